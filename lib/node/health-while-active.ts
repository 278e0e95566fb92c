import {
  combineLatest,
  distinctUntilChanged,
  map,
  Observable,
  of,
  type SchedulerAction,
  type SchedulerLike,
  startWith,
  type Subscription,
} from 'rxjs';
import type { PackStatus } from '../pack/pack-options.js';
import type { Health } from './health-check.js';

/**
 * What a watchdog expects at a moment: to watch the activity (the clock starts again from
 * `start()`, and a quiet of the limit means `quiet(last sign of life)`), or a fixed answer
 * for a quiet that is expected (before the start, while every slot is busy, ...).
 *
 * @example
 * const watching: Expectation<number> = { quiet: (since) => stale(since), start: () => scheduler.now() };
 * const busy: Expectation<number> = { healthy: true, status: 'every handler slot is busy' };
 */
export type Expectation<T> =
  | {
      /** The health after a quiet of the limit, from the last sign of life. */
      readonly quiet: (last: T) => Health;
      /** The sign of life the clock starts from. */
      readonly start: () => T;
    }
  | Health;

/**
 * The clock of the watchdogs: while `expectation$` says to watch, `active` at the start and at
 * the first sign of life after a quiet, and `quiet(last sign of life)` once `limit` passes
 * without one; otherwise the expectation's own answer. Each expectation to watch starts the
 * clock again. Emits changes only.
 *
 * A busy pack gives many signs of life per millisecond and moves in and out of "every slot
 * busy" at every action, so neither re-subscribes anything: a sign of life records its time,
 * and one timer is armed per `limit`, re-armed for what is left when it fires early.
 *
 * @param expectation$ - what is expected, whenever that changes.
 * @param activity$ - the signs of life.
 * @param limit - the longest quiet that is still healthy, in ms.
 * @param active - the health while there is activity.
 * @param scheduler - the scheduler of the clock.
 * @returns the health, on every change; completes or errors with either source.
 * @example
 * healthWhileActive(status$.pipe(map(toExpectation)), polls$, 15_000, POLLING, scheduler);
 */
export function healthWhileActive<T>(
  expectation$: Observable<Expectation<T>>,
  activity$: Observable<T>,
  limit: number,
  active: Health,
  scheduler: SchedulerLike,
): Observable<Health> {
  return new Observable<Health>((subscriber) => {
    let watching: Extract<Expectation<T>, { quiet: unknown }> | undefined;
    let lastValue: T;
    let lastAt = 0;
    let quiet = false;
    let shown: Health | undefined;
    let timer: Subscription | undefined;
    const show = (health: Health): void => {
      if (shown?.healthy === health.healthy && shown.status === health.status) return;
      shown = health;
      subscriber.next(health);
    };
    const arm = (): void => {
      timer ??= scheduler.schedule(function (this: SchedulerAction<unknown>) {
        if (watching === undefined) return void (timer = undefined);
        const left = lastAt + limit - scheduler.now();
        if (left > 0) return void this.schedule(undefined, left);
        timer = undefined;
        quiet = true;
        show(watching.quiet(lastValue));
      }, limit);
    };
    const alive = (value: T): void => {
      lastValue = value;
      lastAt = scheduler.now();
      if (watching === undefined || !quiet) return;
      quiet = false;
      show(active);
      arm();
    };
    const fail = (error: unknown): void => subscriber.error(error);
    const end = (): void => subscriber.complete();
    const sources = expectation$.subscribe({
      next: (expectation) => {
        if (!('quiet' in expectation)) {
          watching = undefined;
          return show(expectation);
        }
        watching = expectation;
        quiet = true;
        alive(expectation.start());
      },
      error: fail,
      complete: end,
    });
    sources.add(activity$.subscribe({ next: alive, error: fail, complete: end }));
    return () => {
      sources.unsubscribe();
      timer?.unsubscribe();
    };
  });
}

/**
 * What the watchdogs expect from: the pack's status, and whether every handler slot is busy
 * (`inFlight$` at `concurrency`: the pack then rightly takes nothing), at each change of either.
 *
 * @param status$ - the pack's status; must emit the current one on subscription.
 * @param inFlight$ - handler slots in use; none busy without it.
 * @param concurrency - the slots.
 * @returns `[status, busy]` pairs.
 * @example
 * statusAndBusy$(pack.status$, pack.inFlight$, pack.concurrency).subscribe(([s, busy]) => console.log(s, busy));
 */
export function statusAndBusy$(
  status$: Observable<PackStatus>,
  inFlight$: Observable<number> | undefined,
  concurrency: number,
): Observable<readonly [PackStatus, boolean]> {
  const busy$ = (inFlight$ ?? of(0)).pipe(
    map((n) => n >= concurrency),
    startWith(false),
    distinctUntilChanged(),
  );
  return combineLatest([status$, busy$]);
}
