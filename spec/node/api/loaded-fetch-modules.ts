// Run as a process by no-node-fetch.spec.ts: builds the flyte API as argv[2] says (`runPack`:
// as runPack does; `core`: the core HttpFlyteApi), discovers a loopback server's root through
// it, and prints the fetch packages loaded by then as a JSON array.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { firstValueFrom } from 'rxjs';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { silentLogger } from '../../../lib/model/logger.js';
import { packOptionsFrom } from '../../../lib/node/run-pack-options.js';

async function main(): Promise<void> {
  const server = createServer((req, res) => {
    const base = `http://${req.headers.host}`;
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        links: [{ href: `${base}/v1/packs`, rel: `${base}/swagger#!/pack/listPacks` }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = {
    url,
    labels: {},
    requestTimeout: 10_000,
    healthPort: null,
    healthHost: '127.0.0.1',
    logLevel: 'info' as const,
    logFormat: 'json' as const,
    insecureTls: false,
  };
  const api =
    process.argv[2] === 'runPack'
      ? packOptionsFrom(config, silentLogger).api!
      : new HttpFlyteApi({ url });
  await firstValueFrom(api.discover());
  const loaded = Object.keys(createRequire(`${process.cwd()}/`).cache).flatMap(
    (path) => /node_modules\/((?:node|cross)-fetch)\//.exec(path)?.[1] ?? [],
  );
  console.log(JSON.stringify([...new Set(loaded)].sort()));
  server.close();
}

void main();
