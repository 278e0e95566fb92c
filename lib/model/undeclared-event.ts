import type { PackDef } from './definitions.js';
import { UndeclaredEventError } from './errors.js';
import { isEvent } from './is-event.js';

/**
 * The error for a spontaneous event the pack does not declare in its definition's `events`,
 * if it does not; `undefined` for a declared event, and for a value that is not an event at
 * all (the outbox says what is wrong with it).
 *
 * @param def - the pack definition.
 * @param event - what was given to `sendEvent`.
 * @returns the {@link UndeclaredEventError}, or `undefined`.
 * @example
 * const error = undeclaredEventError(def, event);
 * if (error) return Promise.reject(error);
 */
export function undeclaredEventError(
  def: PackDef,
  event: unknown,
): UndeclaredEventError | undefined {
  if (!isEvent(event)) return undefined;
  const declared = (def.events ?? []).map((d) => d.name);
  if (declared.includes(event.eventDef.name)) return undefined;
  return new UndeclaredEventError({ pack: def.name, event: event.eventDef.name, declared });
}
