import {
  isHttpError,
  isNetworkError,
  isPackNotFoundError,
  isTimeoutError,
} from '../model/errors.js';

/**
 * The classes of a failed post, as {@link classifyAttempt} tells them.
 *
 * @example
 * const kind: AttemptClass = classifyAttempt(error);
 */
export type AttemptClass =
  'ambiguous' | 'bare-500' | 'not-found' | 'throttled' | 'refused' | 'failed';

/**
 * What one failed post of a result or event tells about its fate:
 * - `ambiguous`: the server may have applied it (connection lost after sending, timeout, 502,
 *   504, a 2xx other than 202, a body cut off): retry, and remember it;
 * - `bare-500`: a 500 with an empty body (or one saying "not PENDING"): a store failure, or
 *   the server's answer to a result for an action that is no longer PENDING;
 * - `not-found`: 404, the server no longer knows the pack: re-register;
 * - `throttled`: 429 or 503, the server did not act and may say when to come back;
 * - `refused`: another 4xx (a 401 after a fresh token included): another attempt cannot help;
 * - `failed`: anything else, not applied (a connection refused, another 5xx): retry.
 *
 * @param error - what the post failed with.
 * @returns its class.
 * @example
 * classifyAttempt(new HttpError({ method: 'POST', url, status: 504 })); // 'ambiguous'
 */
export function classifyAttempt(error: unknown): AttemptClass {
  if (isPackNotFoundError(error)) return 'not-found';
  if (isTimeoutError(error)) return 'ambiguous';
  if (isNetworkError(error)) return connectionRefused(error) ? 'failed' : 'ambiguous';
  if (!isHttpError(error)) return 'failed';
  const { status } = error;
  if ((status >= 200 && status < 300) || status === 502 || status === 504) return 'ambiguous';
  if (status === 429 || status === 503) return 'throttled';
  if (status === 500) {
    const body = error.bodyExcerpt.trim();
    return body === '' || /not pending/i.test(body) ? 'bare-500' : 'failed';
  }
  if (status >= 400 && status < 500 && status !== 408) return 'refused';
  return 'failed';
}

/** A connection refused never reached the server (node-fetch keeps the system error's code). */
function connectionRefused(error: Error): boolean {
  const cause = error.cause as { code?: unknown; errno?: unknown } | undefined;
  return cause?.code === 'ECONNREFUSED' || cause?.errno === 'ECONNREFUSED';
}
