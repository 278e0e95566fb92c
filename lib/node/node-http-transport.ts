import {
  Agent as HttpAgent,
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import {
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
} from 'node:zlib';
import type { Transform } from 'node:stream';
import type { ExchangeRequest, HttpExchange, HttpResponse } from '../api/http-exchange.js';
import { bodyStalled, bodyTooLarge, lostAnswer } from '../api/exchange-errors.js';
import { NetworkError, TimeoutError } from '../model/errors.js';
import { httpsModule } from './https-module.js';
import { keepAliveAgent } from './keep-alive-agent.js';
import { insecureTlsAgent } from './tls.js';

/**
 * Options of {@link nodeHttpExchange}.
 *
 * @example
 * const exchange = nodeHttpExchange({ insecureTls: process.env.FLYTE_INSECURE_TLS === 'true' });
 */
export interface NodeHttpExchangeOptions {
  /**
   * Accept any certificate from an https server (see `insecureTlsAgent`): **anyone on the
   * network path can then read and alter the traffic, the token included**. http URLs are
   * unaffected.
   * @default false
   */
  readonly insecureTls?: boolean;
}

/** The encodings asked for: every one that `decoderOf` decompresses. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Flushing that lets a gzip or deflate body end without its trailer, as browsers allow. */
const LENIENT = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

/**
 * The {@link HttpExchange} over `node:http` and `node:https`, for Node: what `runPack` and
 * `nodeFlyteApi` use. Compared with fetch (node-fetch 2 under cross-fetch) it carries no
 * stream or header objects of its own and no AbortController per request, and it reads the
 * socket's end directly:
 * - a body cut off mid-way, or a connection closed after the headers, fails at once as a
 *   lost answer (a `NetworkError`), not after the body idle timeout;
 * - a 204 or 304 that declares a body is refused (a `NetworkError` naming the status) and its
 *   connection closed: its stray bytes would otherwise precede the next answer;
 * - any connection that carried a failed exchange is destroyed, never reused;
 * - connections are kept alive (one agent per exchange, most recently used first, closed
 *   after 5 s idle: see `keepAliveAgent`), also with `insecureTls`;
 * - gzip, deflate and br bodies are decompressed with `zlib`, and the cap counts the
 *   decompressed bytes;
 * - the whole-exchange timeout is one timer; the body idle timeout another, re-armed per chunk,
 *   armed only when it can run out before the whole exchange's (no timeout, or a longer one);
 * - the abort is heard through the request's `onAbort` when offered, else its `signal`.
 *
 * @param options - see {@link NodeHttpExchangeOptions}.
 * @returns the exchange; give it to `new HttpFlyteApi({ url, exchange })`.
 * @example
 * import { HttpFlyteApi } from 'flyte-client';
 * import { nodeHttpExchange } from 'flyte-client/node';
 * const api = new HttpFlyteApi({ url: 'http://localhost:8080', exchange: nodeHttpExchange() });
 */
export function nodeHttpExchange(options: NodeHttpExchangeOptions = {}): HttpExchange {
  const http: Client = { agent: keepAliveAgent(HttpAgent, {}), send: httpRequest };
  // node:https loads with the first https URL: an http pack never pays for TLS.
  let https: Client | undefined;
  const secure = () =>
    (https ??= {
      agent: options.insecureTls ? insecureTlsAgent() : keepAliveAgent(httpsModule().Agent, {}),
      send: httpsModule().request,
    });
  return (request) => exchange(request, request.url.startsWith('https:') ? secure() : http);
}

/** An agent and the `request` of its module. */
interface Client {
  readonly agent: HttpAgent | HttpsAgent;
  readonly send: typeof httpRequest;
}

function exchange(request: ExchangeRequest, client: Client): Promise<HttpResponse> {
  const { method, url, timeout } = request;
  return new Promise<HttpResponse>((resolve, reject) => {
    const { agent, send } = client;
    const armed = new Armed();
    /** Ends the exchange with `error` and destroys its connection (never reused). */
    const fail = (error: unknown): void => {
      if (!armed.disarm()) return;
      req.destroy();
      reject(lostAnswer(method, url, error));
    };
    const onAbort = (): void => fail(new Error('aborted'));
    let req: ClientRequest;
    try {
      // The caller's headers as they are (no copy); node:http adds the Content-Length at end().
      req = send(url, { method, headers: request.headers, agent });
      req.setHeader('Accept-Encoding', ACCEPT_ENCODING);
    } catch (error) {
      // A URL node:http refuses (another scheme, a malformed host) throws at once.
      reject(lostAnswer(method, url, error));
      return;
    }
    req.on('error', fail);
    req.on('response', (res) => {
      const text = bodyOf(request, res, fail, () => armed.idle?.refresh());
      if (text === undefined) return;
      const ms = request.bodyIdleTimeout;
      // The whole exchange's timer, when shorter, always runs out first: no second timer.
      const needed = ms > 0 && (timeout <= 0 || ms < timeout);
      if (needed) armed.idle = setTimeout(() => fail(bodyStalled(method, url, ms)), ms);
      text.then((body) => {
        if (!armed.disarm()) return;
        const status = res.statusCode ?? 0;
        resolve({ method, url, status, text: body, header: (name) => headerOf(res, name) });
      }, fail);
    });
    if (timeout > 0) {
      armed.timer = setTimeout(
        () => fail(new TimeoutError({ method, url, timeoutMs: timeout })),
        timeout,
      );
    }
    armed.unlisten = listenForAbort(request, onAbort);
    if (armed.over) return; // aborted already
    req.end(request.body);
  });
}

/** What one exchange arms (its timers, its abort listener): disarmed once, when it ends. */
class Armed {
  /** The whole exchange's timeout. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The body's idle timeout. */
  idle: ReturnType<typeof setTimeout> | undefined;
  /** Removes the abort listener. */
  unlisten: () => void = () => undefined;
  private ended = false;

  /** Whether the exchange has ended. */
  get over(): boolean {
    return this.ended;
  }

  /** Ends the exchange: clears the timers and the listener; `false` when it had ended. */
  disarm(): boolean {
    if (this.ended) return false;
    this.ended = true;
    clearTimeout(this.timer);
    clearTimeout(this.idle);
    this.unlisten();
    return true;
  }
}

/** Runs `onAbort` at the request's abort (at once when aborted); returns its remover. */
function listenForAbort(request: ExchangeRequest, onAbort: () => void): () => void {
  if (request.onAbort) return request.onAbort(onAbort);
  const { signal } = request;
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort);
  return () => signal.removeEventListener('abort', onAbort);
}

/**
 * The body of `res` as text, read within the cap; `undefined` after failing the exchange
 * (a declared body where none may be, or a Content-Length over the cap).
 */
function bodyOf(
  request: ExchangeRequest,
  res: IncomingMessage,
  fail: (error: unknown) => void,
  progress: () => void,
): Promise<string> | undefined {
  const { method, url, maxResponseBytes: cap } = request;
  const status = res.statusCode ?? 0;
  const declared = res.headers['content-length'];
  const framing = res.headers['transfer-encoding'];
  if ((status === 204 || status === 304) && (Number(declared) > 0 || framing !== undefined)) {
    const what =
      declared === undefined ? `Transfer-Encoding ${framing}` : `Content-Length ${declared}`;
    fail(
      new NetworkError(
        `${method} ${url} answered ${status} with a body (${what}): a ${status} has none, so ` +
          `the answer cannot be trusted and its connection is closed`,
        { method, url },
      ),
    );
    return undefined;
  }
  if (cap > 0 && Number(declared) > cap) {
    fail(bodyTooLarge(method, url, cap, `of ${declared} bytes, over`));
    return undefined;
  }
  const encoding = res.headers['content-encoding'];
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let decoder: Transform | undefined;
    const take = (chunk: Buffer): void => {
      size += chunk.length;
      if (cap > 0 && size > cap) {
        decoder?.destroy();
        reject(bodyTooLarge(method, url, cap, 'over'));
      } else chunks.push(chunk);
    };
    const end = (): void =>
      resolve(chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString());
    res.on('data', (chunk: Buffer) => {
      progress();
      if (decoder === undefined) {
        decoder = decoderOf(encoding, chunk);
        if (decoder === undefined) return take(chunk);
        decoder.on('data', take);
        decoder.on('end', end);
        decoder.on('error', reject);
      }
      decoder.write(chunk);
    });
    res.on('end', () => (decoder ? decoder.end() : end()));
    // The socket's end is noticed here at once: a body that stops short of its length.
    res.on('close', () => {
      if (!res.complete) reject(new Error('the connection closed before the whole body came'));
    });
    res.on('error', reject);
  });
}

/**
 * A decompressor for the `Content-Encoding`, picked at the body's first chunk, or
 * `undefined` for a body sent as it is. A `deflate` body is zlib-wrapped as the standard says
 * or raw as some servers send it: the first byte tells (a zlib header's low nibble is 8).
 */
function decoderOf(encoding: string | undefined, first: Buffer): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip(LENIENT);
    case 'deflate':
      return (first[0]! & 0x0f) === 0x08 ? createInflate(LENIENT) : createInflateRaw(LENIENT);
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/** A response header (case-insensitive), repeated ones joined as fetch joins them. */
function headerOf(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : String(value);
}
