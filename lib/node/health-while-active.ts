import { concat, map, type Observable, of, type SchedulerLike, switchMap, timer } from 'rxjs';
import type { Health } from './health-check.js';

/**
 * The clock of the watchdogs: `active` at once and after every value of `activity$`, and
 * `quiet(last value)` once `limit` passes without one. What counts as activity, and what a
 * quiet means, is the caller's.
 *
 * @param activity$ - the signs of life; subscribe it with a first value to start the clock.
 * @param limit - the longest quiet that is still healthy, in ms.
 * @param active - the health while there is activity.
 * @param quiet - the health after `limit` of quiet, from the last sign of life.
 * @param scheduler - the scheduler of the clock.
 * @returns the health, on every change.
 * @example
 * healthWhileActive(polls$.pipe(startWith(now)), 15_000, POLLING, (since) => stale(since), scheduler);
 */
export function healthWhileActive<T>(
  activity$: Observable<T>,
  limit: number,
  active: Health,
  quiet: (last: T) => Health,
  scheduler: SchedulerLike,
): Observable<Health> {
  return activity$.pipe(
    switchMap((last) => concat(of(active), timer(limit, scheduler).pipe(map(() => quiet(last))))),
  );
}
