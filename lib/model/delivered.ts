import type { DeliveryReport } from './outbox-item.js';
import type { WireEvent } from './wire-types.js';

/**
 * The server accepted an action's result or a spontaneous event: what was accepted, after
 * how many posts and how long. One per accepted item on `Pack.delivered$`. An item given up
 * has none (it is reported on `errors$` as a {@link DeliveryError}).
 *
 * @example
 * pack.delivered$.subscribe((d) =>
 *   console.log(d.kind, d.event.event, d.actionId ?? '-', `${d.attempts} posts`, `${d.ms} ms`),
 * );
 */
export interface DeliveryReceipt {
  /** `result`: an action's result; `event`: a spontaneous event. */
  readonly kind: 'result' | 'event';
  /**
   * The event accepted, in wire form. For a result the server refused for good, the FATAL
   * event that answered the action instead (`replacedByFatal`).
   */
  readonly event: WireEvent;
  /** The id of the action answered, when `kind` is `result`. */
  readonly actionId?: string;
  /** Posts made, the failed ones included (at least 1). */
  readonly attempts: number;
  /** `scheduler.now()` when the server accepted it. */
  readonly time: number;
  /** Ms from the first post to the acceptance (backoff waits included, queueing not). */
  readonly ms: number;
  /**
   * `true` when no post was answered 202 but the result most likely landed (see
   * {@link InferredDeliveryError}, also reported on `errors$`); `false` when the server said so.
   */
  readonly inferred: boolean;
  /** Set when the result was refused for good and the action answered with a FATAL event. */
  readonly replacedByFatal?: true;
}

/**
 * The receipt of a delivery the server accepted, or `undefined` when it was given up or was
 * not needed (a recovered action completed elsewhere).
 *
 * @param report - how the delivery ended.
 * @returns the receipt, or `undefined`.
 * @example
 * reports$.pipe(map(toDeliveryReceipt), filter((r) => r !== undefined)).subscribe(console.log);
 */
export function toDeliveryReceipt(report: DeliveryReport): DeliveryReceipt | undefined {
  const { item, attempts, time, ms } = report;
  const replaced = report.replacedByFatal === true;
  if (report.elsewhere || (replaced ? !report.replacement : report.error)) return undefined;
  const event = (replaced && report.replacement) || item.event;
  const common = { event, attempts, time, ms, inferred: report.inferred !== undefined };
  if (item.kind === 'event') return { kind: 'event', ...common };
  return {
    kind: 'result',
    actionId: item.action.id,
    ...common,
    ...(replaced && { replacedByFatal: true as const }),
  };
}
