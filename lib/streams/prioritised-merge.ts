import { Observable, type OperatorFunction, Subscription } from 'rxjs';

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
      const queues = new Map<number, T[]>();
      const running = new Subscription();
      let active = 0;
      let waiting = 0;
      let sourceDone = false;
      const size = (): void => onSize?.(waiting + active);
      /** The priorities met so far, lowest first (kept sorted as they come: a value each). */
      const order: number[] = [];
      const nextValue = (): T | undefined => {
        for (const key of order) {
          const queue = queues.get(key) as T[];
          if (queue.length) return queue.shift();
        }
        return undefined;
      };
      let draining = false;
      let drainAgain = false;
      const finishIfDone = (): void => {
        if (sourceDone && active === 0 && waiting === 0) subscriber.complete();
      };
      // Not re-entrant: an inner observable that completes while it is being subscribed (a
      // delivery given up at once) asks for another pass instead of recursing, so giving up
      // any number of queued values uses constant stack.
      const drain = (): void => {
        if (draining) {
          drainAgain = true;
          return;
        }
        draining = true;
        do {
          drainAgain = false;
          while (active < Math.max(1, concurrency) && waiting > 0 && !subscriber.closed) {
            const value = nextValue() as T;
            waiting -= 1;
            active += 1;
            const inner = new Subscription();
            running.add(inner);
            inner.add(
              project(value).subscribe({
                next: (r) => subscriber.next(r),
                error: (e: unknown) => subscriber.error(e),
                complete: () => {
                  active -= 1;
                  running.remove(inner);
                  size();
                  drain();
                },
              }),
            );
          }
        } while (drainAgain);
        draining = false;
        finishIfDone();
      };
      const outer = source$.subscribe({
        next: (value) => {
          const key = priority(value);
          let queue = queues.get(key);
          if (!queue) {
            queue = [];
            queues.set(key, queue);
            const at = order.findIndex((k) => k > key);
            order.splice(at < 0 ? order.length : at, 0, key);
          }
          queue.push(value);
          waiting += 1;
          size();
          drain();
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          sourceDone = true;
          if (!draining) finishIfDone();
        },
      });
      return () => {
        outer.unsubscribe();
        running.unsubscribe();
      };
    });
}
