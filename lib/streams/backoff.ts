import {
  asyncScheduler,
  type MonoTypeOperatorFunction,
  retry,
  type SchedulerLike,
  throwError,
  timer,
} from 'rxjs';
import { isHttpError } from '../model/errors.js';

/**
 * Settings of an exponential backoff with full jitter: attempt `n` (from 0) waits a random
 * time between 0 and `min(maxDelay, initialDelay * factor ** n)`.
 *
 * @example
 * const backoff: BackoffConfig = { initialDelay: 1000, maxDelay: 60_000, factor: 2 };
 */
export interface BackoffConfig {
  /** @default 1000 (ms) */
  readonly initialDelay?: number;
  /** @default 60000 (ms) */
  readonly maxDelay?: number;
  /** @default 2 */
  readonly factor?: number;
  /** Random source in [0, 1) for the jitter; inject a fixed one in tests. @default Math.random */
  readonly random?: () => number;
}

/**
 * Fills in the defaults of a {@link BackoffConfig}: 1 s doubling up to 60 s, `Math.random`.
 *
 * @param config - the settings given, if any.
 * @returns every setting, defaults filled in.
 * @example
 * resolveBackoff({ maxDelay: 10_000 }); // { initialDelay: 1000, maxDelay: 10000, factor: 2, random: Math.random }
 */
export function resolveBackoff(config: BackoffConfig = {}): Required<BackoffConfig> {
  return {
    initialDelay: config.initialDelay ?? 1000,
    maxDelay: config.maxDelay ?? 60_000,
    factor: config.factor ?? 2,
    random: config.random ?? Math.random,
  };
}

/**
 * The wait before retry number `retryCount` (from 1), with full jitter: a random time between
 * 0 and `min(maxDelay, initialDelay * factor ** (retryCount - 1))`, in whole milliseconds.
 *
 * @param config - the backoff settings.
 * @param retryCount - 1 for the first retry, 2 for the second, ...
 * @returns the delay in ms.
 * @example
 * backoffMs({ random: () => 0.5 }, 3); // 2000 (half of 1000 * 2 ** 2)
 */
export function backoffMs(config: BackoffConfig, retryCount: number): number {
  const { initialDelay, maxDelay, factor, random } = resolveBackoff(config);
  const ceiling = Math.min(maxDelay, initialDelay * factor ** Math.max(0, retryCount - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before retrying after `error`: the server's `Retry-After` (a 429 or 503 that
 * carries {@link HttpError.retryAfterMs}) capped at `maxDelay`, else {@link backoffMs}.
 *
 * @param config - the backoff.
 * @param error - what the failed call raised.
 * @param retryCount - the number of the retry (1 for the first).
 * @returns the wait in ms.
 * @example
 * waitAfter({}, new HttpError({ method: 'POST', url, status: 429, retryAfterMs: 3000 }), 1); // 3000
 */
export function waitAfter(config: BackoffConfig, error: unknown, retryCount: number): number {
  const asked = serverAskedWait(error);
  return asked === undefined
    ? backoffMs(config, retryCount)
    : Math.min(asked, resolveBackoff(config).maxDelay);
}

/**
 * The wait the server asked for with `Retry-After` on a 429 or 503, if it did.
 *
 * @param error - what the failed call raised.
 * @returns the wait in ms, or `undefined`.
 * @example
 * if (serverAskedWait(error) !== undefined) attempts += 1; // such waits spend no attempt
 */
export function serverAskedWait(error: unknown): number | undefined {
  return isHttpError(error) && [429, 503].includes(error.status) ? error.retryAfterMs : undefined;
}

/**
 * What {@link retryWithBackoff} retries and whom it tells.
 *
 * @example
 * retryWithBackoff(config, { shouldRetry: (e) => !isPackDefinitionError(e), maxRetries: 5 });
 */
export interface RetryWithBackoffOptions {
  /** Whether `error` may be retried; when not, it goes downstream. @default () => true */
  readonly shouldRetry?: (error: unknown, retryCount: number) => boolean;
  /** Told before each wait (log it, update a status). */
  readonly onRetry?: (error: unknown, retryCount: number, delayMs: number) => void;
  /** Retries before the error goes downstream. @default Infinity */
  readonly maxRetries?: number;
}

/**
 * Resubscribes to the source after an error, waiting an exponential backoff with full jitter;
 * the count starts again after each value (`resetOnSuccess`).
 *
 * @param config - the backoff settings.
 * @param options - which errors to retry, how often, and a hook called before each wait.
 * @param scheduler - the scheduler of the waits.
 * @returns the operator.
 * @example
 * api.discover().pipe(retryWithBackoff({}, { shouldRetry: (e) => !isPackDefinitionError(e) }));
 */
export function retryWithBackoff<T>(
  config: BackoffConfig = {},
  options: RetryWithBackoffOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  const { shouldRetry = () => true, onRetry, maxRetries = Infinity } = options;
  return retry({
    count: maxRetries,
    resetOnSuccess: true,
    delay: (error: unknown, retryCount: number) => {
      if (!shouldRetry(error, retryCount)) return throwError(() => error);
      const delayMs = waitAfter(config, error, retryCount);
      onRetry?.(error, retryCount, delayMs);
      return timer(delayMs, scheduler);
    },
  });
}
