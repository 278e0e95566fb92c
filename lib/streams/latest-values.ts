import type { Observable } from 'rxjs';
import { bufferedValuesFrom } from 'rxjs-for-await';

/**
 * Iterates `source$` lossily, newest first: each pass of a `for await` loop gets the newest
 * value that arrived since the previous pass; the values it overtook are skipped. A value
 * that arrives while the loop body runs is yielded at the next pass, even if the source
 * completes meanwhile. No value is yielded twice; an error is thrown after the newest value.
 *
 * Built on rxjs-for-await's `bufferedValuesFrom` (the values that arrive during one pass,
 * of which the newest is yielded) rather than its `latestValueFrom`, which in 1.0 loses a
 * value that arrives while the loop body runs: a callback queued by an earlier value marks
 * the new one as already taken.
 *
 * Subscribes when the loop starts; leaving the loop (`break`, `return`, a throw) unsubscribes.
 *
 * @param source$ - the observable to iterate.
 * @returns an async iterable of the newest values.
 * @example
 * for await (const status of latestValuesFrom(pack.status$)) await render(status);
 */
export async function* latestValuesFrom<T>(source$: Observable<T>): AsyncGenerator<T, void> {
  for await (const values of bufferedValuesFrom(source$)) {
    // Never empty: bufferedValuesFrom yields only what arrived.
    yield values[values.length - 1] as T;
  }
}
