// The contract of the transport port (HttpExchange), as one suite that every implementation
// runs against a real loopback server: the fetch exchange (cross-fetch: node-fetch in Node)
// and the node:http exchange. What the port promises is in lib/api/http-exchange.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import type { ExchangeRequest, HttpExchange } from '../../../lib/api/http-exchange.js';
import { LazyAbort } from '../../../lib/model/lazy-abort.js';
import {
  isNetworkError,
  isTimeoutError,
  NetworkError,
  TimeoutError,
} from '../../../lib/model/errors.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A node:http server on 127.0.0.1 whose handler each spec sets; counts connections. */
class LoopbackServer {
  url = '';
  handler: Handler = (_, res) => res.end();
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => this.handler(req, res, body));
  });

  async start(): Promise<void> {
    this.server.on('connection', (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** What an exchange under the contract controls. */
interface ContractScope {
  /**
   * Whether the exchange owns its connections, so that how many it opens is its promise.
   * Node's native fetch pools them in undici's global dispatcher, which may open a second
   * one of its own accord.
   */
  readonly ownsConnections: boolean;
}

/**
 * Runs the transport port's contract against the exchange `make` builds.
 *
 * @example
 * exchangeContract('node:http', () => nodeHttpExchange());
 */
export function exchangeContract(
  name: string,
  make: () => HttpExchange,
  scope: ContractScope = { ownsConnections: true },
): void {
  describe(`the transport port's contract: ${name}`, () => {
    let server: LoopbackServer;
    let exchange: HttpExchange;
    let controller: AbortController;

    beforeEach(async () => {
      server = new LoopbackServer();
      await server.start();
      exchange = make();
      controller = new AbortController();
    });
    afterEach(async () => {
      controller.abort();
      await server.close();
    });

    const request = (more: Partial<ExchangeRequest> = {}): ExchangeRequest => ({
      method: 'GET',
      url: `${server.url}/v1`,
      headers: { Accept: 'application/json' },
      timeout: 10_000,
      signal: controller.signal,
      maxResponseBytes: 0,
      bodyIdleTimeout: 0,
      ...more,
    });
    const failureOf = (more: Partial<ExchangeRequest> = {}): Promise<unknown> =>
      exchange(request(more)).then(
        (res) => fail(`expected a failure, got ${res.status} ${JSON.stringify(res.text)}`),
        (error: unknown) => error,
      );

    it("sends the caller's headers, and a POST's Content-Length (0 without a body)", async () => {
      const seen: Array<Record<string, string | string[] | undefined>> = [];
      server.handler = (req, res) => {
        seen.push(req.headers);
        req.resume();
        res.writeHead(202).end();
      };
      const json = { Accept: 'application/json', 'Content-Type': 'application/json' };
      await exchange(request({ method: 'POST', headers: json, body: '{"who":"Zoë"}' }));
      await exchange(request({ method: 'POST' }));
      expect(seen.map((h) => h['content-length'])).toEqual(['14', '0']);
      expect(seen[0]!['content-type']).toBe('application/json');
      expect(seen[1]!['accept']).toBe('application/json');
    });

    it('answers the status, the body as text and headers by any case', async () => {
      server.handler = (_, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Flyte': 'a' });
        res.end('{"who":"Zoë"}');
      };
      const res = await exchange(request());
      expect([res.method, res.url, res.status, res.text]).toEqual([
        'GET',
        `${server.url}/v1`,
        200,
        '{"who":"Zoë"}',
      ]);
      expect(res.header('x-flyte')).toBe('a');
      expect(res.header('X-FLYTE')).toBe('a');
      expect(res.header('location')).toBeNull();
    });

    it('sends the method, the headers and the body as given', async () => {
      let seen: { method?: string; type?: string; accept?: string; body?: string } = {};
      server.handler = (req, res, body) => {
        seen = {
          method: req.method,
          type: req.headers['content-type'],
          accept: req.headers.accept,
          body,
        };
        res.writeHead(202).end();
      };
      const res = await exchange(
        request({
          method: 'POST',
          headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
          body: '{"event":"Done"}',
        }),
      );
      expect(res.status).toBe(202);
      expect(seen).toEqual({
        method: 'POST',
        type: 'application/json',
        accept: 'application/json',
        body: '{"event":"Done"}',
      });
    });

    it('answers a 204 with an empty text', async () => {
      server.handler = (_, res) => res.writeHead(204).end();
      const res = await exchange(request({ method: 'POST' }));
      expect([res.status, res.text]).toEqual([204, '']);
    });

    it('answers a 500 and its body as an answer, not a failure', async () => {
      server.handler = (_, res) => res.writeHead(500).end('store down');
      const res = await exchange(request());
      expect([res.status, res.text]).toEqual([500, 'store down']);
    });

    it('never follows a redirect: the 307 and its Location come back', async () => {
      server.handler = (_, res) => res.writeHead(307, { Location: '/elsewhere' }).end();
      const res = await exchange(request({ method: 'POST', body: '{}' }));
      expect(res.status).toBe(307);
      // node-fetch resolves the Location against the URL; either form names the same target.
      expect(new URL(res.header('location')!, res.url).href).toBe(`${server.url}/elsewhere`);
    });

    // Some servers send `Content-Encoding: deflate` without the zlib header.
    const encoded: Array<[string, string, (text: string) => Buffer]> = [
      ['gzip', 'gzip', (t) => gzipSync(t)],
      ['deflate', 'deflate', (t) => deflateSync(t)],
      ['raw deflate', 'deflate', (t) => deflateRawSync(t)],
    ];
    for (const [label, encoding, encode] of encoded) {
      it(`decompresses a ${label} body`, async () => {
        server.handler = (_, res) =>
          res.writeHead(200, { 'Content-Encoding': encoding }).end(encode('{"n":1}'));
        expect((await exchange(request())).text).toBe('{"n":1}');
      });
    }

    it('refuses a body whose Content-Length is over the cap, naming the URL and the cap', async () => {
      server.handler = (_, res) =>
        res.writeHead(200, { 'Content-Length': 5000 }).end('x'.repeat(5000));
      const error = await failureOf({ maxResponseBytes: 1000 });
      expect(isNetworkError(error)).toBeTrue();
      expect((error as Error).message).toContain(`GET ${server.url}/v1`);
      expect((error as Error).message).toContain('limit of 1000 bytes (maxResponseBytes)');
    });

    // The declared length alone decides: the body never comes, so only a refusal made before
    // reading answers; a reader that waited for the bytes would time out instead.
    it('refuses a Content-Length over the cap before reading the body', async () => {
      server.handler = (_, res) => {
        res.writeHead(200, { 'Content-Length': 5000 });
        res.flushHeaders();
      };
      const error = await failureOf({ maxResponseBytes: 1000, timeout: 3000 });
      expect(isTimeoutError(error)).toBeFalse();
      expect(isNetworkError(error)).toBeTrue();
      expect((error as Error).message).toContain(
        'answered a body of 5000 bytes, over the limit of 1000 bytes (maxResponseBytes)',
      );
    });

    // No Content-Length (chunked): only the reader, counting the bytes as they stream, can cut it.
    it('cuts a chunked body (no Content-Length) at the cap while reading it', async () => {
      let declared: string | number | string[] | undefined = 'unset';
      server.handler = (_, res) => {
        res.writeHead(200);
        for (let i = 0; i < 12; i++) res.write('x'.repeat(16_384));
        res.end();
        declared = res.getHeader('content-length');
      };
      const error = await failureOf({ maxResponseBytes: 100_000 });
      expect(declared).toBeUndefined();
      expect(isNetworkError(error)).toBeTrue();
      expect((error as Error).message).toContain(
        'answered a body over the limit of 100000 bytes (maxResponseBytes)',
      );
    });

    it('stops an endless body at the cap', async () => {
      server.handler = (_, res) => {
        res.writeHead(200);
        const more = (): void => {
          if (!res.destroyed && res.write('x'.repeat(16_384))) setImmediate(more);
          else if (!res.destroyed) res.once('drain', more);
        };
        more();
      };
      const error = await failureOf({ maxResponseBytes: 100_000 });
      expect(isNetworkError(error)).toBeTrue();
      expect((error as Error).message).toContain('over the limit of 100000 bytes');
    });

    it('counts the decompressed bytes against the cap (a gzip bomb)', async () => {
      const bomb = gzipSync(Buffer.alloc(5_000_000));
      server.handler = (_, res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(bomb);
      const error = await failureOf({ maxResponseBytes: 100_000 });
      expect((error as Error).message).toContain('over the limit of 100000 bytes');
    });

    it('gives up a body that stops arriving, with a TimeoutError naming bodyIdleTimeout', async () => {
      server.handler = (_, res) => {
        res.writeHead(200, { 'Content-Length': 100 });
        res.write('{"a":');
      };
      const error = await failureOf({ timeout: 0, bodyIdleTimeout: 100 });
      expect(isTimeoutError(error)).toBeTrue();
      expect((error as Error).message).toContain('stopped arriving for 100 ms (bodyIdleTimeout)');
    });

    it('gives up a server that does not answer within the timeout', async () => {
      server.handler = () => undefined;
      const error = await failureOf({ timeout: 100 });
      expect(error).toBeInstanceOf(TimeoutError);
      const e = error as TimeoutError;
      expect([e.method, e.url, e.timeoutMs]).toEqual(['GET', `${server.url}/v1`, 100]);
    });

    it('fails with a NetworkError and its cause when nobody listens', async () => {
      const url = server.url;
      await server.close();
      const error = await failureOf({ url: `${url}/v1` });
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).cause).toBeDefined();
      expect((error as Error).message).toContain(`GET ${url}/v1 got no answer`);
    });

    it('fails with a NetworkError, not a raw TypeError, for a URL it cannot request', async () => {
      const error = await failureOf({ url: 'ftp://127.0.0.1/v1' });
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).toContain('GET ftp://127.0.0.1/v1 got no answer');
    });

    it('stops when the signal aborts, and closes the connection', async () => {
      let closed!: Promise<void>;
      let arrived!: () => void;
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      server.handler = (req) => {
        closed = new Promise((resolve) => req.socket.on('close', () => resolve()));
        arrived();
      };
      const outcome = failureOf({ timeout: 0 });
      await arrival;
      controller.abort();
      expect(isNetworkError(await outcome)).toBeTrue();
      await closed;
    });

    it('stops when an abort offered as onAbort (the signal made only if read) aborts', async () => {
      let arrived!: () => void;
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      server.handler = () => arrived();
      const abort = new LazyAbort();
      const outcome = failureOf({
        timeout: 0,
        get signal() {
          return abort.signal;
        },
        onAbort: (listener) => abort.onAbort(listener),
      });
      await arrival;
      abort.abort(new Error('unsubscribed'));
      expect(isNetworkError(await outcome)).toBeTrue();
    });

    if (!scope.ownsConnections) return;

    it('opens one connection for a request it aborts', async () => {
      let arrived!: () => void;
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      server.handler = () => arrived();
      const outcome = failureOf({ timeout: 0 });
      await arrival;
      controller.abort();
      expect(isNetworkError(await outcome)).toBeTrue();
      expect(server.connections).toBe(1);
    });

    it('sends sequential requests over one kept-alive connection', async () => {
      server.handler = (_, res) => res.writeHead(200).end('{}');
      for (let i = 0; i < 4; i++) await exchange(request());
      expect(server.connections).toBe(1);
    });
  });
}
