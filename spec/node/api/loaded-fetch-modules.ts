// Run as a process by no-node-fetch.spec.ts: builds the flyte API as argv[2] says (`runPack`:
// as runPack does; `core`: the core HttpFlyteApi), discovers a loopback server's root through
// it, and prints the fetch packages loaded by then as a JSON array.
import { createRequire } from 'node:module';
import { firstValueFrom } from 'rxjs';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { silentLogger } from '../../../lib/model/logger.js';
import { packOptionsFrom } from '../../../lib/node/run-pack-options.js';
import { rootServer, runPackConfig } from './run-pack-config.js';

async function main(): Promise<void> {
  const server = await rootServer();
  const api =
    process.argv[2] === 'runPack'
      ? packOptionsFrom(runPackConfig(server.url), silentLogger).api!
      : new HttpFlyteApi({ url: server.url });
  await firstValueFrom(api.discover());
  const loaded = Object.keys(createRequire(`${process.cwd()}/`).cache).flatMap(
    (path) => /node_modules\/((?:node|cross)-fetch)\//.exec(path)?.[1] ?? [],
  );
  console.log(JSON.stringify([...new Set(loaded)].sort()));
  await server.close();
}

void main();
