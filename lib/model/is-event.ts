import type { FlyteEvent } from './definitions.js';

/**
 * Whether `value` is an {@link FlyteEvent}: an object whose `eventDef` has a non-empty `name`.
 *
 * @param value - anything a handler produced or a caller passed.
 * @returns true when it can be sent as an event.
 * @example
 * isEvent({ eventDef: { name: 'RotaRetrieved' }, payload: {} }); // true
 * isEvent('done'); // false
 */
export function isEvent(value: unknown): value is FlyteEvent {
  if (typeof value !== 'object' || value === null) return false;
  const eventDef = (value as { eventDef?: unknown }).eventDef;
  if (typeof eventDef !== 'object' || eventDef === null) return false;
  const name = (eventDef as { name?: unknown }).name;
  return typeof name === 'string' && name !== '';
}
