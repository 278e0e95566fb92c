import { NetworkError, TimeoutError } from '../model/errors.js';
import type { LazyAbort } from '../model/lazy-abort.js';

/**
 * Waits for a token from the provider, but no longer than the request's timeout and not
 * after the request was aborted: a provider that hangs must not hang every request forever.
 * The timer is transport plumbing (like the request's own), not a stream.
 *
 * @param pending - the token being asked for.
 * @param request - the request that needs it (for the error) and its timeout (ms, 0 = none).
 * @param abort - aborts the wait.
 * @param giveUp - told at once (before the promise rejects) when the wait ends by the timeout
 *   or the abort: a request sent in the same tick must not join the wait given up.
 * @returns the token.
 * @throws {@link TimeoutError} when the timeout ran out first; {@link NetworkError} when aborted.
 * @example
 * const token = await tokenWithin(tokens.current(), request, abort, () => tokens.abandon());
 */
export function tokenWithin<T>(
  pending: Promise<T>,
  request: { readonly method: string; readonly url: string; readonly timeout: number },
  abort: LazyAbort,
  giveUp: () => void = () => undefined,
): Promise<T> {
  const { method, url, timeout } = request;
  return new Promise<T>((resolve, reject) => {
    const aborted = (): NetworkError =>
      new NetworkError(`${method} ${url} was aborted while waiting for the token provider`);
    if (abort.aborted) {
      giveUp();
      return reject(aborted());
    }
    const timer =
      timeout > 0
        ? setTimeout(() => {
            done();
            giveUp();
            reject(
              new TimeoutError({
                method,
                url,
                timeoutMs: timeout,
                message: `${method} ${url} timed out after ${timeout} ms waiting for the token provider`,
              }),
            );
          }, timeout)
        : undefined;
    // Not aborted yet: the listener, like the timer, runs only after this line.
    const unlisten = abort.onAbort(() => {
      done();
      giveUp();
      reject(aborted());
    });
    function done(): void {
      clearTimeout(timer);
      unlisten();
    }
    pending.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}
