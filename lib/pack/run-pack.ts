import { defer, type Observable } from 'rxjs';
import type { PackDef } from '../model/definitions.js';
import { Pack } from './pack.js';
import type { PackOptions } from './pack-options.js';
import type { ActionResult } from '../model/outcomes.js';

/**
 * Runs a pack as a cold observable: each subscription builds a new {@link Pack}, starts it,
 * emits the result of every action it handles, and stops it gracefully on unsubscribe.
 * Errors when the definition or the options are invalid, or when the server refuses the
 * registration.
 *
 * @param def - the pack definition.
 * @param options - the pack's options.
 * @returns the results of the actions handled while subscribed.
 * @example
 * const subscription = runPack$(def, { url: 'http://localhost:8080' }).subscribe((r) => console.log(r.outcome));
 * process.on('SIGTERM', () => subscription.unsubscribe());
 */
export function runPack$(def: PackDef, options: PackOptions): Observable<ActionResult> {
  return defer(() => new Pack(def, options).run$());
}
