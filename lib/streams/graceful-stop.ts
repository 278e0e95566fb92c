import {
  asyncScheduler,
  concat,
  defer,
  endWith,
  ignoreElements,
  map,
  merge,
  race,
  type Observable,
  type SchedulerLike,
  takeWhile,
  tap,
  timer,
} from 'rxjs';

/**
 * The steps of a graceful stop, in order.
 *
 * @example
 * const steps: StopSteps = { stopTaking, handlersDone$, cancelHandlers, closeOutbox, outboxDone$, giveUpDeliveries };
 */
export interface StopSteps {
  /** Start no new take (a take in flight still finishes). */
  readonly stopTaking: () => void;
  /** Completes when every taken action has its result. */
  readonly handlersDone$: Observable<unknown>;
  /** Cancel the handlers still running (they complete with FATAL `cancelled`). */
  readonly cancelHandlers: () => void;
  /** Accept nothing more into the outbox. */
  readonly closeOutbox: () => void;
  /** Completes when every item of the outbox is delivered or given up. */
  readonly outboxDone$: Observable<unknown>;
  /** Give up the deliveries still pending (they are reported as undelivered). */
  readonly giveUpDeliveries: () => void;
  /**
   * At the hard cap: give up whatever is still in flight (a take, a post that does not
   * answer), reporting each item; the stop completes right after.
   */
  readonly abandon?: () => void;
}

/**
 * Stops a pack gracefully: stops taking, waits for the running handlers for up to `grace` ms
 * and then cancels the rest, closes the outbox, waits for it to drain for up to
 * `flushDeadline` ms and then gives up what is left; completes once both have finished. A
 * take or a post in flight is awaited, but never past `hardCap` ms from the start (when
 * given): then `abandon` runs and the stop completes, so it ends in bounded time whatever the
 * transport does. A limit of 0 acts at once, without a timer.
 *
 * @param steps - how to do each step and how to know it is done.
 * @param limits - `grace`, `flushDeadline` and `hardCap`, in ms.
 * @param scheduler - the scheduler of both limits.
 * @returns an observable that runs the stop when subscribed and completes when it is done.
 * @example
 * gracefulStop$(steps, { grace: 30_000, flushDeadline: 10_000 }).subscribe({ complete: () => console.log('stopped') });
 */
export function gracefulStop$(
  steps: StopSteps,
  limits: { readonly grace: number; readonly flushDeadline: number; readonly hardCap?: number },
  scheduler: SchedulerLike = asyncScheduler,
): Observable<never> {
  const phase$ = (done$: Observable<unknown>, ms: number, onLate: () => void) =>
    ms <= 0
      ? defer(() => {
          onLate();
          return done$.pipe(ignoreElements());
        })
      : merge(
          done$.pipe(ignoreElements(), endWith('done' as const)),
          timer(ms, scheduler).pipe(map(() => 'late' as const)),
        ).pipe(
          tap((step) => step === 'late' && onLate()),
          takeWhile((step) => step !== 'done'),
          ignoreElements(),
        );
  const stop$ = concat(
    defer(() => {
      steps.stopTaking();
      return phase$(steps.handlersDone$, limits.grace, steps.cancelHandlers);
    }),
    defer(() => {
      steps.closeOutbox();
      return phase$(steps.outboxDone$, limits.flushDeadline, steps.giveUpDeliveries);
    }),
  );
  if (limits.hardCap === undefined) return stop$;
  const cap$ = timer(limits.hardCap, scheduler).pipe(tap(() => steps.abandon?.()));
  // race: the stop completing ends it; the cap emitting first wins and unsubscribes the stop.
  return race(stop$, cap$).pipe(ignoreElements());
}
