import { escapeControls, HttpError, NetworkError } from '../model/errors.js';
import type { HttpResponse } from './http-exchange.js';

/** Redirects followed by hand, at most. */
export const MAX_REDIRECTS = 5;

/**
 * One request as the transport sends it.
 *
 * @example
 * const request: TransportRequest = { method: 'GET', url, timeout: 10_000 };
 */
export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: unknown;
  readonly timeout: number;
}

/**
 * The request to make next when `res` (exchanges never follow redirects) is a redirect.
 * Redirects are always followed by hand: a GET follows 301, 302, 303, 307 and 308; a POST
 * only 307 and 308 (method and body kept). A 301/302/303 on a POST would turn it into a GET
 * that proves nothing (a result "delivered" that never reached flyte): it is an
 * {@link HttpError} naming the `Location`.
 *
 * @param request - the request that got `res`.
 * @param res - its response.
 * @param hops - redirects followed so far.
 * @returns the next request, or `undefined` when `res` is not a redirect.
 * @throws {@link HttpError} on a POST redirected with 301/302/303 or a redirect whose
 * `Location` is missing or not an http(s) URL; {@link NetworkError} on a browser's opaque
 * redirect (its target cannot be seen) and after {@link MAX_REDIRECTS} redirects.
 * @example
 * const next = redirectOf(request, res, 0); // { method: 'GET', url: 'http://host/moved', ... }
 */
export function redirectOf(
  request: TransportRequest,
  res: HttpResponse,
  hops: number,
): TransportRequest | undefined {
  const { method, url } = request;
  if (res.status === 0) {
    throw new NetworkError(
      `${method} ${url} was redirected, and the client follows only redirects it can see ` +
        `(a browser hides them); set the flyte API URL to the address the server answers on`,
      { method, url },
    );
  }
  if (![301, 302, 303, 307, 308].includes(res.status)) return undefined;
  const location = res.header('location');
  const refuse = (why: string): never => {
    throw new HttpError({
      method,
      url,
      status: res.status,
      message: `${method} ${url} answered ${res.status} ${why}`,
    });
  };
  if (!location) return refuse('without a Location header');
  let target: URL;
  try {
    target = new URL(location, url);
  } catch {
    return refuse(
      `with an invalid Location header: ${JSON.stringify(escapeControls(location.slice(0, 200)))}`,
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return refuse(
      `with a Location that is not http(s): ${JSON.stringify(escapeControls(location.slice(0, 200)))}`,
    );
  }
  if (method === 'POST' && res.status !== 307 && res.status !== 308) {
    return refuse(
      `redirecting to ${target.href}: a POST follows only 307 and 308 (a ${res.status} would turn it into a GET)`,
    );
  }
  if (hops >= MAX_REDIRECTS) {
    throw new NetworkError(`${method} ${url} was redirected more than ${MAX_REDIRECTS} times`, {
      method,
      url,
    });
  }
  return { ...request, url: target.href };
}
