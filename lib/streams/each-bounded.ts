import {
  asyncScheduler,
  mergeMap,
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';

/** Options of {@link eachBounded}: how many items are worked on at once. */
export interface BoundedOptions {
  /** Items worked on at once; the rest wait their turn. @default 10 */
  readonly concurrency?: number;
}

/**
 * Works on each item with its own inner observable, at most `options.concurrency` (default
 * 10) at once, emitting the inner values in the order they come. The shared shape of the
 * handler dispatch and of the outbox: `work$` gets the item, the operator's options and its
 * scheduler, and is expected never to error (each of them turns failures into values), so
 * one item's failure never ends the stream.
 *
 * @param work$ - the work on one item, e.g. {@link runAction$} or {@link deliverOne$}.
 * @param options - passed to `work$`; `concurrency` bounds the items in flight.
 * @param scheduler - passed to `work$`.
 * @returns the operator from items to the values of their work.
 * @example
 * actions$.pipe(eachBounded(runAction$, { commands, concurrency: 4 }, asyncScheduler));
 */
export function eachBounded<T, R, O extends BoundedOptions>(
  work$: (item: T, options: O, scheduler: SchedulerLike) => Observable<R>,
  options: O,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<T, R> {
  return mergeMap((item: T) => work$(item, options, scheduler), options.concurrency ?? 10);
}
