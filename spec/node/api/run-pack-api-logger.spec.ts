// The API runPack builds logs through the pack's logger (a debug line per request, a warning
// per untrusted origin): a logger that throws must never fail a request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom } from 'rxjs';
import type { Logger } from '../../../lib/model/logger.js';
import { packOptionsFrom } from '../../../lib/node/run-pack-options.js';

describe('the API runPack builds, with a logger that throws', () => {
  let server: Server;
  let url: string;

  beforeEach(async () => {
    server = createServer((req, res) => {
      const base = `http://${req.headers.host}`;
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          links: [{ href: `${base}/v1/packs`, rel: `${base}/swagger#!/pack/listPacks` }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it('still answers', async () => {
    const boom = () => {
      throw new Error('the logger broke');
    };
    const logger: Logger = { error: boom, warn: boom, info: boom, debug: boom };
    const config = {
      url,
      labels: {},
      requestTimeout: 10_000,
      healthPort: null,
      healthHost: '127.0.0.1',
      logLevel: 'debug' as const,
      logFormat: 'json' as const,
      insecureTls: false,
    };
    const root = await firstValueFrom(packOptionsFrom(config, logger).api!.discover());
    expect(root.packsUrl).toBe(`${url}/v1/packs`);
  });
});
