import { Observable } from 'rxjs';

/**
 * A cold observable over an abortable asynchronous call: each subscription starts one call,
 * emits its value and completes (or errors); unsubscribing before the call settles aborts it
 * through the `AbortSignal` given to `run`.
 *
 * @param run - starts the call; must honour the signal.
 * @returns the cold observable.
 * @example
 * const body$ = fromAbortable((signal) => fetch(url, { signal }).then((r) => r.text()));
 */
export function fromAbortable<T>(run: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    run(controller.signal).then(
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
      if (!settled) controller.abort();
    };
  });
}
