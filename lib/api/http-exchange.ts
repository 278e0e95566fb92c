/**
 * An HTTP response, read to the end.
 *
 * @example
 * const res: HttpResponse = await exchange(request);
 * if (res.status === 201) console.log(res.header('location'));
 */
export interface HttpResponse {
  /** The method of the request. */
  readonly method: string;
  /** The URL that was requested. */
  readonly url: string;
  /** The HTTP status (0 for a browser's opaque redirect). */
  readonly status: number;
  /** A response header (case-insensitive), or null. */
  header(name: string): string | null;
  /** The whole body as text ('' when empty). */
  readonly text: string;
}

/**
 * One HTTP request, as the transport port carries it: everything is decided (headers, the
 * serialised body, limits); the exchange only sends it and reads the answer.
 *
 * @example
 * const request: ExchangeRequest = {
 *   method: 'POST', url, headers: { Accept: 'application/json' }, body: '{}',
 *   timeout: 10_000, signal, maxResponseBytes: 8_388_608, bodyIdleTimeout: 30_000,
 * };
 */
export interface ExchangeRequest {
  /** The method: flyte's API needs no other. */
  readonly method: 'GET' | 'POST';
  /** The absolute http(s) URL. */
  readonly url: string;
  /** The request headers, the token's included where it may go. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, already serialised; absent for none. */
  readonly body?: string;
  /** Milliseconds for the whole exchange, body included; 0 for none. */
  readonly timeout: number;
  /** Aborts the exchange (e.g. when the caller unsubscribes). */
  readonly signal: AbortSignal;
  /**
   * The same abort as a callback, when the caller offers it: runs `listener` once the exchange
   * is aborted (at once when it already is) and returns its remover. An exchange that needs
   * only to hear the abort uses it rather than `signal`, which then is never made: an
   * `AbortController` per request costs microseconds in Node. `HttpFlyteApi` offers it.
   */
  readonly onAbort?: (listener: () => void) => () => void;
  /** Most bytes of the response body (after decompression); 0 for no cap. */
  readonly maxResponseBytes: number;
  /** Longest pause while the body arrives, in ms; 0 for none. */
  readonly bodyIdleTimeout: number;
}

/**
 * The transport port under {@link HttpFlyteApi}: one request out, one response read to the
 * end. It never follows a redirect (the caller does, deciding where the token may go), and
 * it fails with typed errors only:
 * - a `TimeoutError` when `timeout` runs out or the body pauses longer than `bodyIdleTimeout`;
 * - a `NetworkError` (with `cause`) when no whole answer came: refused, dropped, cut off
 *   mid-body, over `maxResponseBytes`, or malformed framing (a 204 with a body).
 *
 * Implementations: over a fetch function (`fetchExchange`, cross-fetch by default: browsers
 * and the core) and over `node:http` (`nodeHttpExchange` in `flyte-client/node`).
 *
 * @example
 * const res = await exchange({ method: 'GET', url, headers: {}, timeout: 10_000, signal,
 *   maxResponseBytes: 0, bodyIdleTimeout: 0 });
 */
export type HttpExchange = (request: ExchangeRequest) => Promise<HttpResponse>;
