// Keep-alive over real loopback: sequential requests of one HttpFlyteApi travel on one
// connection, over plain HTTP (Node's global agent) and over HTTPS with the insecure-TLS agent
// (an agent of its own, which must keep connections alive as well). Counted on the server.
import {
  Agent as HttpAgent,
  type ClientRequest,
  createServer as createHttpServer,
  get as httpGet,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { selfSignedCertificate } from '../../support/self-signed-certificate.js';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { insecureTlsAgent } from '../../../lib/node/tls.js';
import { IDLE_SOCKET_TIMEOUT_MS, keepAliveAgent } from '../../../lib/node/keep-alive-agent.js';
import { nodeHttpExchange } from '../../../lib/node/node-http-transport.js';
import type { ExchangeRequest } from '../../../lib/api/http-exchange.js';
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

// A connection's timer is refreshed by every read and write while it is armed: an idle timeout
// that stays armed while the connection carries a request costs every request a timer
// refresh per chunk, for nothing (the exchange has its own timeout).
describe('the idle timeout of kept-alive connections (Node)', () => {
  let server: HttpServer;
  let url: string;
  /** What the server saw: per request, the client socket's timeout while it was in flight. */
  const seen: Array<number | undefined> = [];
  let clientSockets: Socket[] = [];
  const onRequestStart = (message: unknown): void => {
    const { request } = message as { request: ClientRequest };
    // Requests of other specs in this process are published too.
    if (request.getHeader('host') !== new URL(url).host) return;
    if (request.socket) clientSockets.push(request.socket as Socket);
    else request.once('socket', (socket) => clientSockets.push(socket as Socket));
  };

  beforeEach(async () => {
    seen.length = 0;
    clientSockets = [];
    server = createHttpServer((req, res) => {
      // The request is in flight: its socket is the latest the client took.
      seen.push(clientSockets.at(-1)?.timeout);
      setTimeout(
        () => res.end('{}'),
        Number(new URL(req.url!, 'http://x').searchParams.get('ms') ?? 0),
      );
    });
    server.keepAliveTimeout = 60_000; // announced as Keep-Alive: timeout=60, longer than ours
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    subscribe('http.client.request.start', onRequestStart);
  });

  afterEach(async () => {
    unsubscribe('http.client.request.start', onRequestStart);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (target: string): ExchangeRequest => ({
    method: 'GET',
    url: target,
    headers: {},
    timeout: 0,
    signal: new AbortController().signal,
    maxResponseBytes: 0,
    bodyIdleTimeout: 0,
  });
  const afterFree = () => new Promise((resolve) => setImmediate(resolve));

  it('arms no timer on a connection that carries a request, and the idle timeout once it is free', async () => {
    const exchange = nodeHttpExchange();
    await exchange(request(`${url}/`));
    await afterFree();
    const idle = clientSockets[0]?.timeout;
    await exchange(request(`${url}/`));
    expect(clientSockets.length).toBe(2);
    expect(clientSockets[1]).toBe(clientSockets[0]!); // kept alive and reused
    expect(seen.map((timeout) => timeout ?? 0)).toEqual([0, 0]);
    expect(idle).toBe(IDLE_SOCKET_TIMEOUT_MS);
  });

  it("keeps the server's announced keep-alive timeout when it is shorter, less a second", async () => {
    server.keepAliveTimeout = 3000;
    await nodeHttpExchange()(request(`${url}/`));
    await afterFree();
    expect(clientSockets[0]?.timeout).toBe(2000);
  });

  it('closes a connection left idle for its timeout, and keeps one whose answer takes longer', async () => {
    const agent = keepAliveAgent(HttpAgent, {}, 100);
    const get = (path: string) =>
      new Promise<void>((resolve, reject) =>
        httpGet(`${url}${path}`, { agent }, (res) => res.resume().on('end', resolve)).on(
          'error',
          reject,
        ),
      );
    await get('/?ms=300'); // three idle timeouts long, in flight all along
    await get('/');
    expect(clientSockets.length).toBe(2);
    expect(clientSockets[1]).toBe(clientSockets[0]!);
    const closed = new Promise<number>((resolve) => {
      const start = Date.now();
      clientSockets[0]!.once('close', () => resolve(Date.now() - start));
    });
    expect(await closed).toBeGreaterThanOrEqual(90);
    expect(clientSockets[0]!.destroyed).toBe(true);
  });
});
