import { map, merge, type Observable, scan, startWith } from 'rxjs';
import type { Pack } from '../pack/pack.js';

/**
 * Running handlers, counted from the pack's actions and results: the watchdog's notion of
 * "busy" (a take in flight does not count, so a hung take is never mistaken for work).
 *
 * @param pack - the pack, before it starts.
 * @returns the count, starting at 0.
 * @example
 * handlersRunning$(pack).subscribe((n) => console.log(`${n} handlers running`));
 */
export function handlersRunning$(pack: Pick<Pack, 'actions$' | 'results$'>): Observable<number> {
  return merge(pack.actions$.pipe(map(() => 1)), pack.results$.pipe(map(() => -1))).pipe(
    scan((n, delta) => n + delta, 0),
    startWith(0),
  );
}
