import { Observable } from 'rxjs';
import { LazyAbort } from '../model/lazy-abort.js';

/**
 * A cold observable over an abortable asynchronous call: each subscription starts one call,
 * emits its value and completes (or errors); unsubscribing before the call settles aborts it
 * through the {@link LazyAbort} given to `run` (its listeners, and its signal if read).
 *
 * @param run - starts the call; must honour the abort.
 * @returns the cold observable.
 * @example
 * const body$ = fromAbortable((abort) => fetch(url, { signal: abort.signal }).then((r) => r.text()));
 */
export function fromAbortable<T>(run: (abort: LazyAbort) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const abort = new LazyAbort();
    let settled = false;
    run(abort).then(
      (value) => {
        settled = true;
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        settled = true;
        subscriber.error(error);
      },
    );
    return () => {
      if (!settled) abort.abort(new Error('unsubscribed'));
    };
  });
}
