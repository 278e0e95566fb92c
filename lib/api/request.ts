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
export async function sendRequest(spec: RequestSpec): Promise<HttpResponse> {
  const { method, url, timeout } = spec;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  if (spec.signal.aborted) controller.abort();
  else spec.signal.addEventListener('abort', onAbort);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const deadline = new Promise<never>((_, reject) => {
    if (timeout > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        reject(new TimeoutError({ method, url, timeoutMs: timeout }));
      }, timeout);
    }
  });
  const exchange = async (): Promise<HttpResponse> => {
    const init: RequestInit & { agent?: unknown } = {
      method,
      headers: spec.headers,
      signal: controller.signal,
      ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
      ...(spec.agent === undefined ? {} : { agent: spec.agent }),
      ...(spec.redirect === undefined ? {} : { redirect: spec.redirect }),
    };
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
  };
  try {
    return await Promise.race([exchange(), deadline]);
  } catch (error) {
    if (timedOut) throw new TimeoutError({ method, url, timeoutMs: timeout });
    if (error instanceof FlyteError) throw error;
    // A body cut off mid-way (node-fetch: "premature close") is a lost answer too.
    const reason = errorMessage(error);
    throw new NetworkError(`${method} ${url} got no answer: ${reason}`, {
      url,
      method,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    spec.signal.removeEventListener('abort', onAbort);
  }
}
