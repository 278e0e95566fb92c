import { asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { deliverOne$, type DeliveryDeps } from './deliver-one.js';
import { type BoundedOptions, eachBounded } from './each-bounded.js';
import type { DeliveryReport, OutboxItem } from '../model/outbox-item.js';

/** Options of {@link deliver}. */
export interface OutboxOptions extends DeliveryDeps, BoundedOptions {}

/**
 * The outbox: delivers every item (action results and spontaneous events, fed through one
 * `Subject`) with retry and backoff, and reports how each delivery ended — exactly one
 * {@link DeliveryReport} per item, never an error, so one undeliverable event never stops
 * the others. Completes when the source has completed and every delivery has ended; to flush
 * at stop, complete the source and make `deadline$` emit after the flush deadline.
 *
 * @param options - see {@link deliverOne$}, plus the concurrency.
 * @param scheduler - the scheduler of the backoff waits.
 * @returns the operator from items to reports.
 * @example
 * const outbox = new Subject<OutboxItem>();
 * outbox.pipe(deliver({ api, pack$, attempts: 10, logger })).subscribe(({ error }) => error && errors$.next(error));
 */
export function deliver(
  options: OutboxOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<OutboxItem, DeliveryReport> {
  return eachBounded(deliverOne$, options, scheduler);
}
