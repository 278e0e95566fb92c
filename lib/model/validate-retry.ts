import { describe, isRecord, type Problems } from './validate-parts.js';

/**
 * Checks a `retry` (a command's or the pack definition's; see `HandlerRetry`): an object whose
 * `attempts` is a whole number >= 1, whose `backoff` is settings (delays finite and >= 0, a
 * factor >= 1, `random` a function) or a function, whose `retryIf` is a function and whose
 * `timeouts` is a boolean.
 *
 * @param retry - the value of `retry`.
 * @param at - where it is, for the messages.
 * @param problems - where problems go.
 * @example
 * checkRetry(command.retry, 'commands[0].retry', problems);
 */
export function checkRetry(retry: unknown, at: string, problems: Problems): void {
  if (retry === undefined) return;
  if (!isRecord(retry)) {
    problems.push(
      `${at}: must be an object ({ attempts, backoff?, retryIf?, timeouts? }), got ${describe(retry)}`,
    );
    return;
  }
  const { attempts, backoff, retryIf, timeouts } = retry;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1) {
    problems.push(
      `${at}.attempts: must be a whole number >= 1 (the runs in all, the first included), got ${describe(attempts)}`,
    );
  }
  checkBackoff(backoff, `${at}.backoff`, problems);
  if (retryIf !== undefined && typeof retryIf !== 'function') {
    problems.push(
      `${at}.retryIf: must be a function (error, attempt) => boolean, got ${describe(retryIf)}`,
    );
  }
  if (timeouts !== undefined && typeof timeouts !== 'boolean') {
    problems.push(`${at}.timeouts: must be a boolean, got ${describe(timeouts)}`);
  }
}

function checkBackoff(backoff: unknown, at: string, problems: Problems): void {
  if (backoff === undefined || typeof backoff === 'function') return;
  if (!isRecord(backoff)) {
    problems.push(
      `${at}: must be { initialDelay?, factor?, maxDelay?, random? } or a function (retry, error) => ms, got ${describe(backoff)}`,
    );
    return;
  }
  const finite = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value);
  for (const key of ['initialDelay', 'maxDelay'] as const) {
    const value = backoff[key];
    if (value !== undefined && !(finite(value) && value >= 0)) {
      problems.push(
        `${at}.${key}: must be a finite number of milliseconds >= 0, got ${describe(value)}`,
      );
    }
  }
  const { factor, random } = backoff;
  if (factor !== undefined && !(finite(factor) && factor >= 1)) {
    problems.push(`${at}.factor: must be a finite number >= 1, got ${describe(factor)}`);
  }
  if (random !== undefined && typeof random !== 'function') {
    problems.push(
      `${at}.random: must be a function returning a number in [0, 1), got ${describe(random)}`,
    );
  }
}
