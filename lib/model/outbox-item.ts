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
 * How the delivery of one {@link OutboxItem} ended: accepted by the server (neither `error`
 * nor `inferred`), most likely accepted without the server saying so (`inferred`), or given
 * up with a {@link DeliveryError} that carries the event. A result the server refused for
 * good and that was answered with a FATAL event instead has both `error` (the refusal) and
 * `replacedByFatal`.
 *
 * @example
 * reports$.subscribe(({ item, error }) => (error ? store(error.event) : ack(item)));
 */
export interface DeliveryReport {
  /** The result or event whose delivery ended. */
  readonly item: OutboxItem;
  /** Why it was given up, when it was. */
  readonly error?: DeliveryError;
  /** Set when the result was inferred to have landed rather than acknowledged. */
  readonly inferred?: InferredDeliveryError;
  /** The result was refused and the action answered with a FATAL event, which was accepted. */
  readonly replacedByFatal?: boolean;
  /** A recovered action's result was not needed: another client completed the action first. */
  readonly elsewhere?: RecoveredElsewhereError;
  /** The FATAL event that answered the action instead, when `replacedByFatal`. */
  readonly replacement?: WireEvent;
  /** Posts made (those of the FATAL that replaced a refused result included). */
  readonly attempts: number;
  /** `scheduler.now()` when the delivery ended. */
  readonly time: number;
  /** Ms from the first post to the end of the delivery; 0 when no post was made. */
  readonly ms: number;
}

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
