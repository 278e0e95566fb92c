import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * The clock a take loop books its sends on, in ms. In real time (the `asyncScheduler`) it is
 * finer than a millisecond (`performance.timeOrigin + performance.now()`): the scheduler's own
 * `now()` is `Date.now()`, in whole milliseconds, on which a spacing of 1.5 ms between two
 * takes comes out anywhere from 0.5 to 2.5 ms, while takes that reach flyte's store within
 * about 2 ms of each other collide. With any other scheduler (virtual time in tests) it is the
 * scheduler's `now()`.
 *
 * @param scheduler - the take loop's scheduler.
 * @returns the clock.
 * @example
 * const now = bookingClock(asyncScheduler);
 * decideTake(config, state, { kind: 'book', lane: 0, now: now() });
 */
export function bookingClock(scheduler: SchedulerLike): () => number {
  if (scheduler !== asyncScheduler || typeof performance === 'undefined') {
    return () => scheduler.now();
  }
  return () => performance.timeOrigin + performance.now();
}
