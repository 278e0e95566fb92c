import { Observable, type OperatorFunction, Subscription } from 'rxjs';
import { queueEach } from './concurrency-queue.js';

/**
 * Like `mergeMap(project, concurrency)`, but the values waiting for a free slot start by
 * priority (lower first; in arrival order within a priority), and `onSize` is told how many
 * values are waiting or running each time that changes. Completes once the source has
 * completed and every inner observable has; an inner error is passed on.
 *
 * @param project - the inner observable of a value.
 * @param priority - the priority of a value: 0 goes ahead of 1.
 * @param concurrency - inner observables subscribed at once, at least 1.
 * @param onSize - told the number of values waiting or running.
 * @returns the operator.
 * @example
 * items$.pipe(prioritisedMerge((i) => post$(i), (i) => (i.kind === 'result' ? 0 : 1), 4, (n) => size$.next(n)));
 */
export function prioritisedMerge<T, R>(
  project: (value: T) => Observable<R>,
  priority: (value: T) => number,
  concurrency: number,
  onSize?: (size: number) => void,
): OperatorFunction<T, R> {
  return (source$) =>
    new Observable<R>((subscriber) => {
      const running = new Subscription();
      const source = queueEach(source$, subscriber, {
        concurrency,
        priority,
        onSize,
        start: (value, done) => {
          const inner = new Subscription();
          running.add(inner);
          inner.add(
            project(value).subscribe({
              next: (r) => subscriber.next(r),
              error: (e: unknown) => subscriber.error(e),
              complete: () => {
                running.remove(inner);
                done();
              },
            }),
          );
        },
      });
      return () => {
        source.unsubscribe();
        running.unsubscribe();
      };
    });
}
