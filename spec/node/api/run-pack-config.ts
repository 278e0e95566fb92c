// What the specs of the API runPack builds share: its runtime configuration, and a loopback
// server that answers every request with a minimal `/v1` document.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PackRuntimeConfig } from '../../../lib/node/config.js';

/**
 * The runtime configuration of a pack against `url`, with no health server.
 *
 * @example
 * const api = packOptionsFrom(runPackConfig(url), silentLogger).api!;
 */
export function runPackConfig(
  url: string,
  more: Partial<PackRuntimeConfig> = {},
): PackRuntimeConfig {
  return {
    url,
    labels: {},
    requestTimeout: 10_000,
    healthPort: null,
    healthHost: '127.0.0.1',
    logLevel: 'info',
    logFormat: 'json',
    insecureTls: false,
    v8OptimiseEarly: false,
    ...more,
  };
}

/**
 * A server on 127.0.0.1 whose every answer is a `/v1` document linking back to it.
 *
 * @example
 * const root = await rootServer();
 * await firstValueFrom(api.discover()); // root.url
 * await root.close();
 */
export async function rootServer(): Promise<{ url: string; close: () => Promise<void> }> {
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
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
