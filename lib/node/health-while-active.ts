import { Observable, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Health } from './health-check.js';

/**
 * The clock of the watchdogs: `active` at the first value of `activity$` and at the first
 * after a quiet, and `quiet(last value)` once `limit` passes without one. What counts as
 * activity, and what a quiet means, is the caller's.
 *
 * A busy pack gives many signs of life per millisecond, so a sign of life only records its
 * time: one timer is armed per `limit` and, when it fires early (there was activity since),
 * re-armed for what is left of the limit.
 *
 * @param activity$ - the signs of life; subscribe it with a first value to start the clock.
 * @param limit - the longest quiet that is still healthy, in ms.
 * @param active - the health while there is activity.
 * @param quiet - the health after `limit` of quiet, from the last sign of life.
 * @param scheduler - the scheduler of the clock.
 * @returns the health, on every change; completes or errors with `activity$`.
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
  return new Observable<Health>((subscriber) => {
    let lastValue: T;
    let lastAt = 0;
    let timer: Subscription | undefined;
    const source = activity$.subscribe({
      next: (value) => {
        lastValue = value;
        lastAt = scheduler.now();
        if (timer !== undefined) return;
        subscriber.next(active);
        timer = scheduler.schedule(function (this: SchedulerAction<unknown>) {
          const left = lastAt + limit - scheduler.now();
          if (left > 0) return void this.schedule(undefined, left);
          timer = undefined;
          subscriber.next(quiet(lastValue));
        }, limit);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      source.unsubscribe();
      timer?.unsubscribe();
    };
  });
}
