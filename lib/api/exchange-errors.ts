import { FlyteError, NetworkError, TimeoutError, errorMessage } from '../model/errors.js';

/**
 * The error of an exchange that got no whole answer: a {@link FlyteError} as it is, anything
 * else (a refused or dropped connection, a body cut off mid-way) a {@link NetworkError}
 * naming the request, with the original as `cause`.
 *
 * @param method - the request's method.
 * @param url - the request's URL.
 * @param error - what the exchange failed with.
 * @returns the error to raise.
 * @example
 * socket.on('error', (e) => reject(lostAnswer('POST', url, e)));
 */
export function lostAnswer(method: string, url: string, error: unknown): FlyteError {
  if (error instanceof FlyteError) return error;
  return new NetworkError(`${method} ${url} got no answer: ${errorMessage(error)}`, {
    method,
    url,
    cause: error,
  });
}

/**
 * The error of a response body over `maxResponseBytes`.
 *
 * @param method - the request's method.
 * @param url - the request's URL.
 * @param cap - the cap in bytes.
 * @param what - how it is over: `'over'` while reading, `'of N bytes, over'` when declared.
 * @returns a {@link NetworkError} naming the URL and the cap.
 * @example
 * throw bodyTooLarge('GET', url, 8_388_608, 'over');
 */
export function bodyTooLarge(method: string, url: string, cap: number, what: string): NetworkError {
  return new NetworkError(
    `${method} ${url} answered a body ${what} the limit of ${cap} bytes (maxResponseBytes)`,
    { method, url },
  );
}

/**
 * The error of a response body that stopped arriving for `idleTimeout` ms.
 *
 * @param method - the request's method.
 * @param url - the request's URL.
 * @param idleTimeout - the body idle timeout, in ms.
 * @returns a {@link TimeoutError} naming the option.
 * @example
 * setTimeout(() => reject(bodyStalled('GET', url, 30_000)), 30_000);
 */
export function bodyStalled(method: string, url: string, idleTimeout: number): TimeoutError {
  const message = `${method} ${url}: the response body stopped arriving for ${idleTimeout} ms (bodyIdleTimeout)`;
  return new TimeoutError({ method, url, timeoutMs: idleTimeout, message });
}
