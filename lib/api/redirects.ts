import { NetworkError } from '../model/errors.js';
import type { HttpResponse } from './request.js';

/** Redirects followed by hand for a request carrying the token, at most. */
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
 * The request to make next when `res` (fetched with `redirect: 'manual'`) is a redirect,
 * with fetch's rules: 307/308 keep method and body, 303 (and 301/302 after a POST) become a
 * GET without body.
 *
 * @param request - the request that got `res`.
 * @param res - its response.
 * @param hops - redirects followed so far.
 * @returns the next request, or `undefined` when `res` is not a redirect.
 * @throws {@link NetworkError} on a browser's opaque redirect (its target cannot be vetted)
 * and after {@link MAX_REDIRECTS} redirects.
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
      `${method} ${url} was redirected, and a request carrying the bearer token follows only ` +
        `redirects it can see; set the flyte API URL to the address the server answers on`,
      { method, url },
    );
  }
  const location = [301, 302, 303, 307, 308].includes(res.status) && res.header('location');
  if (!location) return undefined;
  if (hops >= MAX_REDIRECTS) {
    throw new NetworkError(`${method} ${url} was redirected more than ${MAX_REDIRECTS} times`, {
      method,
      url,
    });
  }
  const target = new URL(location, url).href;
  const keep = res.status === 307 || res.status === 308 || (res.status !== 303 && method === 'GET');
  return keep
    ? { ...request, url: target }
    : { method: 'GET', url: target, timeout: request.timeout };
}
