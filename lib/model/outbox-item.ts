import type { Action, WireEvent } from './wire-types.js';
import type { DeliveryError, InferredDeliveryError } from './errors.js';
import type { RecoveredElsewhereError } from './recovered-elsewhere-error.js';

/**
 * What the outbox delivers: an action's result (posted to the action's result link) or a
 * spontaneous event (posted to the pack's event link).
 *
 * @example
 * outbox.next({ kind: 'result', action, event: toWireEvent(result.event, scheduler.now()) });
 * outbox.next({ kind: 'event', event: toWireEvent(seen, scheduler.now()) });
 */
export type OutboxItem =
  | {
      /** An action's result. */
      readonly kind: 'result';
      /** The action it answers. */
      readonly action: Action;
      /** The result event, in wire form. */
      readonly event: WireEvent;
    }
  | {
      /** A spontaneous event. */
      readonly kind: 'event';
      /** The event, in wire form. */
      readonly event: WireEvent;
    };

/**
 * What every {@link DeliveryReport} carries: the item, the posts made and the times.
 *
 * @example
 * const { item, attempts, ms }: DeliveryTiming = report;
 */
export interface DeliveryTiming {
  /** The result or event whose delivery ended. */
  readonly item: OutboxItem;
  /** Posts made (those of the FATAL that replaced a refused result included). */
  readonly attempts: number;
  /** `scheduler.now()` when the delivery ended. */
  readonly time: number;
  /** Ms from the first post to the end of the delivery; 0 when no post was made. */
  readonly ms: number;
}

/**
 * How the delivery of one {@link OutboxItem} ended, told apart by `end`:
 * - `delivered`: the server answered 202;
 * - `verified`: an answer was lost, and the server's audit shows the action completed (the
 *   result landed);
 * - `recovered-elsewhere`: a recovered action's result was not needed, another client
 *   completed it first (`elsewhere`);
 * - `replaced-by-fatal`: the server refused the result for good (`refusal`) and accepted the
 *   FATAL event that answered the action instead (`replacement`);
 * - `inferred`: the audit could not be read, and bare 500s around a healthy server say it
 *   most likely landed (`inferred`), unconfirmed;
 * - `given-up`: refused (an event, or a FATAL too), an event's budget spent, or the pack
 *   stopped first (`error`, carrying the event).
 *
 * @example
 * reports$.subscribe((r) => (r.end === 'given-up' ? store(r.error.event) : ack(r.item)));
 */
export type DeliveryReport = DeliveryTiming &
  (
    | {
        /** Answered 202, or shown landed by the audit. */
        readonly end: 'delivered' | 'verified';
      }
    | {
        /** Another client completed the recovered action first. */
        readonly end: 'recovered-elsewhere';
        /** What happened, with the action's state in the audit. */
        readonly elsewhere: RecoveredElsewhereError;
      }
    | {
        /** Refused for good; the FATAL that answered the action instead was accepted. */
        readonly end: 'replaced-by-fatal';
        /** The refusal, with the result refused. */
        readonly refusal: DeliveryError;
        /** The FATAL event accepted instead. */
        readonly replacement: WireEvent;
      }
    | {
        /** Most likely landed, unconfirmed (the audit could not be read). */
        readonly end: 'inferred';
        /** Why it is believed, with the result. */
        readonly inferred: InferredDeliveryError;
      }
    | {
        /** Not delivered. */
        readonly end: 'given-up';
        /** Why, with the event. */
        readonly error: DeliveryError;
      }
  );

/**
 * The ends of a delivery, as `DeliveryReport['end']`.
 *
 * @example
 * const end: DeliveryEnd = 'verified';
 */
export type DeliveryEnd = DeliveryReport['end'];

/**
 * Names an outbox item in a sentence.
 *
 * @param item - the item.
 * @returns e.g. `the result "RotaRetrieved" of action 7 (command "Rota")` or `the event "Seen"`.
 * @example
 * logger.warn(`retrying ${describeItem(item)}`);
 */
export function describeItem(item: OutboxItem): string {
  return item.kind === 'result'
    ? `the result "${item.event.event}" of action ${item.action.id} (command "${item.action.command}")`
    : `the event "${item.event.event}"`;
}
