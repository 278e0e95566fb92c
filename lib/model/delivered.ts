import type { DeliveryEnd, DeliveryReport } from './outbox-item.js';
import type { WireEvent } from './wire-types.js';

/**
 * A result or spontaneous event the server has: what was accepted, how it is known, after how
 * many posts and how long. One per such item on `Pack.delivered$`. An item given up has none
 * (it is reported on `errors$` as a {@link DeliveryError}).
 *
 * @example
 * pack.delivered$.subscribe((d) =>
 *   console.log(d.end, d.event.event, d.actionId ?? '-', `${d.attempts} posts`, `${d.ms} ms`),
 * );
 */
export interface DeliveryReceipt {
  /** `result`: an action's result; `event`: a spontaneous event. */
  readonly kind: 'result' | 'event';
  /**
   * How it is known: `delivered` (answered 202), `verified` (an answer was lost and the audit
   * shows the action completed), `recovered-elsewhere` (a recovered action another client
   * completed first: this result was not needed), `replaced-by-fatal` (refused for good, the
   * FATAL that answered the action instead was accepted), `inferred` (unconfirmed: see
   * {@link InferredDeliveryError}, also on `errors$`).
   */
  readonly end: Exclude<DeliveryEnd, 'given-up'>;
  /**
   * The event accepted, in wire form. For a result the server refused for good, the FATAL
   * event that answered the action instead (`replacedByFatal`).
   */
  readonly event: WireEvent;
  /** The id of the action answered, when `kind` is `result`. */
  readonly actionId?: string;
  /** Posts made, the failed ones included (0 when a recovered action needed none). */
  readonly attempts: number;
  /** `scheduler.now()` when the delivery ended. */
  readonly time: number;
  /** Ms from the first post to the end (backoff waits included, queueing not). */
  readonly ms: number;
  /** `true` when `end` is `inferred`: no answer and no audit confirmed it. */
  readonly inferred: boolean;
  /** Set when `end` is `replaced-by-fatal`. */
  readonly replacedByFatal?: true;
}

/**
 * The receipt of a delivery that ended with the server having the item (or its action
 * completed), or `undefined` when it was given up.
 *
 * @param report - how the delivery ended.
 * @returns the receipt, or `undefined`.
 * @example
 * reports$.pipe(map(toDeliveryReceipt), filter((r) => r !== undefined)).subscribe(console.log);
 */
export function toDeliveryReceipt(report: DeliveryReport): DeliveryReceipt | undefined {
  if (report.end === 'given-up') return undefined;
  const { item, attempts, time, ms, end } = report;
  const replaced = report.end === 'replaced-by-fatal';
  const event = replaced ? report.replacement : item.event;
  const common = { end, event, attempts, time, ms, inferred: end === 'inferred' };
  if (item.kind === 'event') return { kind: 'event', ...common };
  return {
    kind: 'result',
    actionId: item.action.id,
    ...common,
    ...(replaced && { replacedByFatal: true as const }),
  };
}
