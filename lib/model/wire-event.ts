import type { WireEvent } from './wire-types.js';
import type { FlyteEvent } from './definitions.js';

/**
 * Maps an event to its wire form (`{ event, payload, createdAt }`).
 *
 * `createdAt` is the event's own time when it has a valid one, else `now` (the time it was
 * handed to the SDK, from the caller's scheduler), as RFC 3339 in UTC. An invalid `Date`
 * falls back to `now` rather than failing the delivery of the event.
 *
 * @param event - the event.
 * @param now - the current time in ms since the epoch, e.g. `scheduler.now()`.
 * @returns the wire event.
 * @example
 * toWireEvent({ eventDef: rotaRetrieved, payload: { onCall: 'Ann' } }, scheduler.now());
 * // { event: 'RotaRetrieved', payload: { onCall: 'Ann' }, createdAt: '2024-05-01T10:00:00.000Z' }
 */
export function toWireEvent(event: FlyteEvent, now: number): WireEvent {
  const created = event.createdAt;
  const time =
    created instanceof Date && !Number.isNaN(created.getTime()) ? created : new Date(now);
  return { event: event.eventDef.name, payload: event.payload, createdAt: time.toISOString() };
}
