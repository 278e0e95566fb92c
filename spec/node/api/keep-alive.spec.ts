// Keep-alive over real loopback: sequential requests of one HttpFlyteApi travel on one
// connection, over plain HTTP (Node's global agent) and over HTTPS with the insecure-TLS agent
// (an agent of its own, which must keep connections alive as well). Counted on the server.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { selfSignedCertificate } from '../../support/self-signed-certificate.js';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { insecureTlsAgent } from '../../../lib/node/tls.js';
import { packOptionsFrom } from '../../../lib/node/run-pack-options.js';
import { silentLogger } from '../../../lib/model/logger.js';
import { runPackConfig } from './run-pack-config.js';

const REQUESTS = 5;

/** Answers every request with a minimal `/v1` document whose links point back at it. */
function answerRoot(scheme: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const base = `${scheme}://${req.headers.host}`;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        links: [{ href: `${base}/v1/packs`, rel: `${base}/swagger#!/pack/listPacks` }],
      }),
    );
  };
}

/** A listening server that counts the TCP connections it accepted. */
async function counted(
  server: Server,
): Promise<{ url: (scheme: string) => string; connections: () => number }> {
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: (scheme) => `${scheme}://127.0.0.1:${port}`, connections: () => connections };
}

async function discoverTimes(api: HttpFlyteApi, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await firstValueFrom(api.discover());
}

describe('keep-alive on loopback (Node)', () => {
  const servers: Server[] = [];
  const serve = (server: Server) => {
    servers.push(server);
    return counted(server);
  };

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends sequential HTTP requests over one connection (the default agent)', async () => {
    const server = await serve(createHttpServer(answerRoot('http')));
    await discoverTimes(new HttpFlyteApi({ url: server.url('http') }), REQUESTS);
    expect(server.connections()).toBe(1);
  });

  it('sends sequential HTTPS requests over one connection with the insecure-TLS agent', async () => {
    const credentials = selfSignedCertificate();
    if (!credentials) return pending('the openssl CLI is not available to make a certificate');
    const server = await serve(createHttpsServer(credentials, answerRoot('https')));
    const api = new HttpFlyteApi({ url: server.url('https'), agent: insecureTlsAgent() });
    await discoverTimes(api, REQUESTS);
    expect(server.connections()).toBe(1);
  });

  it('keeps HTTPS connections alive when FLYTE_INSECURE_TLS builds the API (runPack)', async () => {
    const credentials = selfSignedCertificate();
    if (!credentials) return pending('the openssl CLI is not available to make a certificate');
    const server = await serve(createHttpsServer(credentials, answerRoot('https')));
    const config = runPackConfig(server.url('https'), { insecureTls: true });
    const options = packOptionsFrom(config, silentLogger);
    await discoverTimes(options.api as HttpFlyteApi, REQUESTS);
    expect(server.connections()).toBe(1);
  });
});
