import type { HandlerRetry } from '../model/handler-retry.js';
import { backoffMs } from './backoff.js';

/**
 * How a run of a handler failed, as far as a retry is concerned: it threw, its promise
 * rejected, its observable errored, or it ran out of time.
 *
 * @example
 * const failure: HandlerFailure = { reason: 'rejected', error: new Error('503') };
 */
export interface HandlerFailure {
  /** Which way it failed. */
  readonly reason: 'threw' | 'rejected' | 'errored' | 'timeout';
  /** What was thrown, rejected or emitted; a `TimeoutError` for a timeout. */
  readonly error: unknown;
}

/**
 * What {@link retryDecision} decided: run the handler again after `delayMs`, or give up.
 *
 * @example
 * const decision: RetryDecision = { retry: true, delayMs: 1000 };
 */
export type RetryDecision =
  | {
      /** Run the handler again. */
      readonly retry: true;
      /** After this many ms. */
      readonly delayMs: number;
    }
  | {
      /** The action completes FATAL with this failure. */
      readonly retry: false;
    };

/**
 * One retry of a handler, as {@link RunActionOptions.onRetry} is told of it when the run
 * failed: which run, out of how many, why, and the wait before the next.
 *
 * @example
 * const notice: HandlerRetryNotice = { attempt: 1, of: 3, reason: 'threw', error, delayMs: 1000 };
 */
export interface HandlerRetryNotice extends HandlerFailure {
  /** The number of the run that failed (1 for the first). */
  readonly attempt: number;
  /** The runs allowed in all. */
  readonly of: number;
  /** The wait before the next run, in ms. */
  readonly delayMs: number;
}

/**
 * Whether a handler whose run number `attempt` failed runs again, and after how long. The
 * cases, in order:
 *
 * | retry policy                     | failure               | decision                       |
 * |----------------------------------|-----------------------|--------------------------------|
 * | none                             | any                   | give up                        |
 * | `attempts` spent (`attempt >= attempts`) | any           | give up                        |
 * | `timeouts` not set               | `timeout`             | give up                        |
 * | `retryIf(error, attempt)` false  | any                   | give up                        |
 * | `backoff` a function             | any                   | retry after `backoff(attempt, error)` ms |
 * | `backoff` settings (or none)     | any                   | retry after `min(maxDelay, initialDelay * factor ** (attempt - 1))` ms (jittered with `random`) |
 *
 * @param policy - the command's retry, else the pack's; `undefined` for none.
 * @param failure - how the run failed.
 * @param attempt - the number of the run that failed (1 for the first).
 * @returns the decision.
 * @example
 * retryDecision({ attempts: 3 }, { reason: 'threw', error }, 1); // { retry: true, delayMs: 1000 }
 */
export function retryDecision(
  policy: HandlerRetry | undefined,
  failure: HandlerFailure,
  attempt: number,
): RetryDecision {
  if (!policy || attempt >= policy.attempts) return { retry: false };
  if (failure.reason === 'timeout' && !policy.timeouts) return { retry: false };
  if (policy.retryIf && !policy.retryIf(failure.error, attempt)) return { retry: false };
  const { backoff = {} } = policy;
  const delayMs =
    typeof backoff === 'function'
      ? backoff(attempt, failure.error)
      : backoffMs({ ...backoff, random: backoff.random ?? (() => 1) }, attempt);
  return { retry: true, delayMs: Math.max(0, delayMs) };
}
