import type { Observable } from 'rxjs';
import { eachValueFrom, nextValueFrom } from 'rxjs-for-await';
import { ConfigError } from '../model/errors.js';
import { latestValuesFrom } from './latest-values.js';

/**
 * What a `for await` loop over a stream gets when its body is slower than the stream:
 * - `buffer` (the default): every value, in order; the values that arrive while the body
 *   runs wait in a queue, which grows without bound while the body stays slower than the
 *   stream (rxjs-for-await's `eachValueFrom`);
 * - `latest`: the newest value at each pass; the values it overtook are skipped (at most
 *   the values that arrive during one pass are held);
 * - `drop`: the first value that arrives after the loop asks for the next one; the values
 *   that arrive while the body runs are dropped (rxjs-for-await's `nextValueFrom`).
 *
 * @example
 * for await (const result of pack.results('latest')) await showLatest(result);
 */
export type ForAwaitMode = 'buffer' | 'latest' | 'drop';

/** The iteration of each mode. */
const ITERATE: Readonly<Record<ForAwaitMode, <T>(source$: Observable<T>) => AsyncIterable<T>>> = {
  buffer: eachValueFrom,
  latest: latestValuesFrom,
  drop: nextValueFrom,
};

/**
 * `source$` as an async iterable for `for await`, with `mode` saying what a slow loop body
 * gets (see {@link ForAwaitMode}). Subscribes when the loop starts, so it sees the values
 * emitted from then on; the loop ends when `source$` completes and throws its error; leaving
 * the loop early (`break`, `return`, a throw) unsubscribes.
 *
 * @param source$ - the observable to iterate.
 * @param mode - `buffer` (default), `latest` or `drop`.
 * @param where - how the caller names `mode` in the error, e.g. `pack.results(mode)`.
 * @returns an async iterable of the values of `source$`.
 * @throws {@link "flyte-client".ConfigError} at once when `mode` is not one of the three.
 * @example
 * for await (const action of valuesFrom(pack.actions$, 'drop')) await sample(action);
 */
export function valuesFrom<T>(
  source$: Observable<T>,
  mode: ForAwaitMode = 'buffer',
  where = 'mode',
): AsyncIterable<T> {
  if (!Object.prototype.hasOwnProperty.call(ITERATE, mode)) {
    const modes = Object.keys(ITERATE).map((m) => `'${m}'`);
    throw new ConfigError([
      `${where}: must be one of ${modes.join(', ')}; got ${JSON.stringify(mode)}`,
    ]);
  }
  return ITERATE[mode](source$);
}
