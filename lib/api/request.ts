import { FlyteError, NetworkError, TimeoutError, errorMessage } from '../model/errors.js';
import { readBody } from './read-body.js';

/**
 * An HTTP response, read to the end.
 *
 * @example
 * const res: HttpResponse = await sendRequest(spec);
 * if (res.status === 201) console.log(res.header('location'));
 */
export interface HttpResponse {
  readonly method: string;
  /** The URL that was requested. */
  readonly url: string;
  readonly status: number;
  /** A response header (case-insensitive), or null. */
  header(name: string): string | null;
  /** The whole body as text ('' when empty). */
  readonly text: string;
}

/**
 * One HTTP request to make.
 *
 * @example
 * const spec: RequestSpec = { method: 'GET', url, headers: {}, timeout: 10_000, signal, fetch };
 */
export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Serialised as JSON when present. */
  readonly body?: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** Milliseconds for the whole exchange, body included; 0 for none. */
  readonly timeout: number;
  /** Aborts the request (e.g. when the caller unsubscribes). */
  readonly signal: AbortSignal;
  readonly fetch: typeof fetch;
  /** How fetch treats a redirect. @default 'follow' */
  readonly redirect?: RequestRedirect;
  /** Node only: handed to node-fetch (e.g. an insecure TLS agent). */
  readonly agent?: unknown;
  /** Most bytes of a response body (decompressed); 0 for no cap. @default 0 */
  readonly maxResponseBytes?: number;
  /** Longest pause while a body arrives, in ms; 0 for none. @default 0 */
  readonly bodyIdleTimeout?: number;
}

/**
 * Makes one HTTP request and reads its body within the limits ({@link readBody}); the
 * transport under {@link HttpFlyteApi}.
 *
 * The timeout is a plain timer inside this promise (transport, not a stream). It aborts the
 * request and the promise rejects with {@link TimeoutError} even when the fetch
 * implementation ignores the abort reason (node-fetch 2 behind cross-fetch) or the signal.
 *
 * @param spec - the request.
 * @returns the response, whatever its status.
 * @throws {@link TimeoutError} when the timeout ran out; {@link NetworkError} (with `cause`)
 * when no HTTP answer arrived.
 * @example
 * const res = await sendRequest({ method: 'GET', url: 'http://127.0.0.1:8080/v1', headers: {}, timeout: 10_000, signal, fetch });
 */
export function sendRequest(spec: RequestSpec): Promise<HttpResponse> {
  const { method, url, timeout } = spec;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  // One promise settled by whichever comes first: the exchange, or the timeout (no race).
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      spec.signal.removeEventListener('abort', abort);
      return true;
    };
    if (spec.signal.aborted) controller.abort();
    else spec.signal.addEventListener('abort', abort);
    if (timeout > 0) {
      timer = setTimeout(() => {
        if (!settle()) return;
        controller.abort();
        reject(new TimeoutError({ method, url, timeoutMs: timeout }));
      }, timeout);
    }
    exchange(spec, controller).then(
      (res) => {
        if (settle()) resolve(res);
      },
      (error: unknown) => {
        if (settle()) reject(failure(spec, error));
      },
    );
  });
}

/** The request and its body read, aborted through `controller`. */
async function exchange(spec: RequestSpec, controller: AbortController): Promise<HttpResponse> {
  const { method, url } = spec;
  const init: RequestInit & { agent?: unknown } = {
    method,
    headers: spec.headers,
    signal: controller.signal,
  };
  if (spec.body !== undefined) init.body = JSON.stringify(spec.body);
  if (spec.agent !== undefined) init.agent = spec.agent;
  if (spec.redirect !== undefined) init.redirect = spec.redirect;
  const call = spec.fetch;
  const res = await call(url, init);
  const limits = {
    method,
    url,
    maxBytes: spec.maxResponseBytes ?? 0,
    idleTimeout: spec.bodyIdleTimeout ?? 0,
  };
  const text = await readBody(res, limits, () => controller.abort());
  return { method, url, status: res.status, text, header: (name) => res.headers.get(name) };
}

/** What the exchange's failure becomes: a FlyteError as it is, anything else a NetworkError. */
function failure(spec: RequestSpec, error: unknown): FlyteError {
  if (error instanceof FlyteError) return error;
  const { method, url } = spec;
  // A body cut off mid-way (node-fetch: "premature close") is a lost answer too.
  const reason = errorMessage(error);
  return new NetworkError(`${method} ${url} got no answer: ${reason}`, {
    url,
    method,
    cause: error,
  });
}
