import { type BackoffConfig, backoffMs } from '../streams/backoff.js';
import type { RecoveryOptions } from './pack-options.js';

/**
 * The problems of a pack's `recovery` option: `after` a number > 0, `every` and
 * `horizon` (when given) numbers > 0.
 *
 * @param options - the option as given (may be absent).
 * @returns each problem, prefixed with where it is; empty when valid or absent.
 * @example
 * recoveryProblems({ after: -1 }); // ['options.recovery.after: must be a number > 0, got -1']
 */
export function recoveryProblems(options: RecoveryOptions | undefined): string[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null) {
    return [`options.recovery: must be an object { after, every?, horizon? }`];
  }
  const problems: string[] = [];
  const check = (name: keyof RecoveryOptions, required: boolean) => {
    const value: unknown = options[name];
    if (value === undefined && !required) return;
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      problems.push(`options.recovery.${name}: must be a number > 0 (ms), got ${String(value)}`);
    }
  };
  check('after', true);
  check('every', false);
  check('horizon', false);
  return problems;
}

/**
 * The warning for a `recovery.after` shorter than the longest a live replica may still hold an
 * action while its server answers: its handler's timeout plus a delivery's time (as many posts
 * as an event's budget, each backoff capped at `maxRetryDelay`). Warned, not refused: a short
 * `after` is sound for idempotent handlers, and in tests and demos.
 *
 * @param settings - the recovery (absent when off), the handler timeout, the delivery settings
 *   and the backoff.
 * @returns the warning, or `undefined` when `after` is long enough or recovery is off.
 * @example
 * recoveryAfterWarning({ recovery: { after: 1000 }, handlerTimeout: 300_000, delivery: { eventAttempts: 10, maxRetryDelay: 30_000 }, backoff: {} });
 */
export function recoveryAfterWarning(settings: {
  readonly recovery?: { readonly after: number };
  readonly handlerTimeout: number;
  readonly delivery: { readonly eventAttempts: number; readonly maxRetryDelay: number };
  readonly backoff: BackoffConfig;
}): string | undefined {
  const { recovery, handlerTimeout, delivery, backoff } = settings;
  if (!recovery) return undefined;
  const maxDelay = Math.min(backoff.maxDelay ?? Infinity, delivery.maxRetryDelay);
  let budget = handlerTimeout;
  for (let retry = 1; retry < delivery.eventAttempts; retry++) {
    budget += backoffMs({ ...backoff, maxDelay, random: () => 1 }, retry);
  }
  if (recovery.after >= budget) return undefined;
  return (
    `recovery.after (${recovery.after} ms) is shorter than handlers.timeout + the delivery ` +
    `time (${budget} ms): a replica still running or delivering an action may see it ` +
    `recovered, and its handler run twice`
  );
}
