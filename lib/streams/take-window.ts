import { distinctUntilChanged, type OperatorFunction, scan, startWith } from 'rxjs';
import type { PollOutcome } from '../model/outcomes.js';

/**
 * The next size of the window of takes in flight, an additive-increase /
 * multiplicative-decrease controller: one more after a take that brought an action (a backlog:
 * take faster, up to `max`), half after a take that lost a race (takes collide: fewer), and
 * back to one after an empty or failed take (no backlog, or trouble: a quiet pack makes one
 * take per interval).
 *
 * @param window - the size now (from 1).
 * @param kind - how the latest take ended.
 * @param max - the largest size (`maxTakesInFlight`).
 * @returns the next size, between 1 and `max`.
 * @example
 * nextTakeWindow(3, 'action', 8); // 4
 * nextTakeWindow(4, 'contention', 8); // 2
 * nextTakeWindow(4, 'empty', 8); // 1
 */
export function nextTakeWindow(window: number, kind: PollOutcome['kind'], max: number): number {
  const top = Math.max(1, max);
  switch (kind) {
    case 'action':
      return Math.min(top, window + 1);
    case 'contention':
      return Math.max(1, Math.floor(window / 2));
    default:
      return 1;
  }
}

/**
 * The window of takes in flight over the take outcomes (see {@link nextTakeWindow}): starts at
 * 1 and emits each new size. Synchronous, so it needs no scheduler: time comes from the
 * outcomes.
 *
 * @param max - the largest window (`maxTakesInFlight`).
 * @returns the operator from outcomes to window sizes (1 first, then each change).
 * @example
 * pack.polls$.pipe(takeWindow(8)).subscribe((n) => console.log(`${n} takes in flight at most`));
 */
export function takeWindow(max: number): OperatorFunction<PollOutcome, number> {
  return (outcome$) =>
    outcome$.pipe(
      scan((window, outcome) => nextTakeWindow(window, outcome.kind, max), 1),
      startWith(1),
      distinctUntilChanged(),
    );
}
