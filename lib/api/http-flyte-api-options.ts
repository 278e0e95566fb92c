import { ConfigError } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import { apiRootUrl, credentialsProblem } from './api-urls.js';
import type { HttpExchange } from './http-exchange.js';
import { checkTrustedOrigins } from './trusted-origins.js';
import type { TokenProvider } from './token.js';

/** Default per-request timeout, in ms. */
export const DEFAULT_TIMEOUT = 10_000;

/** Default cap of a response body (decompressed), in bytes: 8 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Default longest pause while a response body arrives, in ms. */
export const DEFAULT_BODY_IDLE_TIMEOUT = 30_000;

/** Smallest default timeout of a take, in ms (see {@link HttpFlyteApiOptions.takeTimeout}). */
export const MIN_DEFAULT_TAKE_TIMEOUT = 60_000;

/**
 * Options of {@link HttpFlyteApi}.
 *
 * @example
 * const api = new HttpFlyteApi({ url: 'https://flyte.example/flyte', token: () => getIdToken(), timeout: 5_000 });
 */
export interface HttpFlyteApiOptions {
  /** Base URL of the flyte server; may carry a path prefix (`https://host/flyte`). `/v1` is appended. */
  readonly url: string;
  /**
   * Bearer token, or a function asked for one before the first request and again after a
   * 401 (the request is then retried once). Sent only to the origin of `url` and `trustedOrigins`.
   * @default none
   */
  readonly token?: TokenProvider;
  /**
   * Origins (`https://host[:port]`) besides that of `url` that may receive the token, e.g. the
   * public origin a proxy puts into the server's links. A link on any other origin is called
   * without the token (with a warning logged once per origin).
   * @default []
   */
  readonly trustedOrigins?: readonly string[];
  /** Timeout of each request (body included), in ms; 0 for none. @default 10000 */
  readonly timeout?: number;
  /**
   * Timeout of a take, in ms; 0 for none. A take the server has acted on has moved an action
   * to PENDING for good: if the client gives up before reading the answer, nobody knows the
   * action's id and it is stranded. So a take gets far longer than other requests before it
   * is abandoned.
   * @default max(60000, 6 × timeout), or 0 when `timeout` is 0
   */
  readonly takeTimeout?: number;
  /**
   * The transport: sends one request and reads its answer. `flyte-client/node` offers one
   * over `node:http` (`nodeHttpExchange`, what `nodeFlyteApi` and `runPack` use); `fetch`
   * and `agent` are ignored when it is given.
   * @default an exchange over `fetch`
   */
  readonly exchange?: HttpExchange;
  /**
   * The fetch implementation (when no `exchange` is given). It is called as a plain function
   * (never as a method).
   * @default cross-fetch (node-fetch 2 in Node, the native fetch in browsers), loaded at the first request
   */
  readonly fetch?: typeof fetch;
  /**
   * Node only: an `http(s).Agent` handed to node-fetch, e.g. `insecureTlsAgent()` from
   * `flyte-client/node` for a server with a self-signed certificate. Browsers ignore it.
   * @default none
   */
  readonly agent?: unknown;
  /**
   * Most bytes of a response body, counted after decompression; a larger answer is abandoned
   * with a `NetworkError` naming the URL and the cap. 0 for no cap.
   * @default 8388608 (8 MiB)
   */
  readonly maxResponseBytes?: number;
  /**
   * Longest pause while a response body arrives, in ms: a body that stops arriving is
   * abandoned with a `TimeoutError`, even when `timeout` is 0. 0 for none.
   * @default 30000
   */
  readonly bodyIdleTimeout?: number;
  /** Receives a warning per untrusted origin and a debug line per request. @default silentLogger */
  readonly logger?: Logger;
}

/**
 * The take timeout for the given options (see {@link HttpFlyteApiOptions.takeTimeout}).
 *
 * @param timeout - the per-request timeout in ms (0 = none).
 * @param takeTimeout - the take timeout asked for, if any.
 * @returns the take timeout in ms (0 = none).
 * @example
 * takeTimeoutOf(10_000, undefined); // 60000
 */
export function takeTimeoutOf(timeout: number, takeTimeout: number | undefined): number {
  if (takeTimeout !== undefined) return takeTimeout;
  return timeout === 0 ? 0 : Math.max(MIN_DEFAULT_TAKE_TIMEOUT, 6 * timeout);
}

/**
 * Checks the options and derives what the adapter uses from them.
 *
 * @param options - the options given.
 * @returns the root URL (`{base}/v1`), the request timeout and the take timeout.
 * @throws {@link ConfigError} listing every invalid option.
 * @example
 * resolveHttpOptions({ url: 'http://localhost:8080' }); // { rootUrl: 'http://localhost:8080/v1', timeout: 10000, takeTimeout: 60000, ... }
 */
export function resolveHttpOptions(options: HttpFlyteApiOptions): {
  rootUrl: string;
  timeout: number;
  takeTimeout: number;
  maxResponseBytes: number;
  bodyIdleTimeout: number;
} {
  const problems: string[] = [];
  const rootUrl = apiRootUrl(options.url);
  if (rootUrl === undefined) {
    problems.push(`url: must be an absolute http(s) URL, got ${JSON.stringify(options.url)}`);
  } else if (hasCredentials(options.url)) {
    problems.push(credentialsProblem('url'));
  }
  const timeout = checkMs(options.timeout ?? DEFAULT_TIMEOUT, 'timeout', problems);
  const takeTimeout = checkMs(takeTimeoutOf(timeout, options.takeTimeout), 'takeTimeout', problems);
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 0) {
    problems.push(
      `maxResponseBytes: must be a whole number of bytes >= 0 (0 = no cap), got ${String(maxResponseBytes)}`,
    );
  }
  const bodyIdleTimeout = checkMs(
    options.bodyIdleTimeout ?? DEFAULT_BODY_IDLE_TIMEOUT,
    'bodyIdleTimeout',
    problems,
  );
  checkTrustedOrigins(options.trustedOrigins, problems);
  if (problems.length) throw new ConfigError(problems);
  return { rootUrl: rootUrl!, timeout, takeTimeout, maxResponseBytes, bodyIdleTimeout };
}

function checkMs(value: number, name: string, problems: string[]): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    problems.push(
      `${name}: must be a finite number of milliseconds >= 0 (0 = none), got ${String(value)}`,
    );
  }
  return value;
}

function hasCredentials(url: string): boolean {
  const { username, password } = new URL(url);
  return username !== '' || password !== '';
}
