import { Observable, Subscription } from 'rxjs';

/**
 * `source$`, unless `interrupt$` emits a value before `source$` emits, errors or completes:
 * then `onInterrupt()`'s value, and the end. What `race(interrupt$.pipe(take(1), map(...)),
 * source$)` does with one subscriber each (it runs for every action), with two differences:
 * `onInterrupt` runs before `source$` is unsubscribed (so a teardown of `source$` can read
 * why), and an `interrupt$` that ends without a value interrupts nothing.
 *
 * @param source$ - what runs.
 * @param interrupt$ - its first value interrupts `source$` (e.g. a timer, a cancel signal).
 * @param onInterrupt - the value to emit instead, computed at the interruption.
 * @returns `source$`'s notifications, or `onInterrupt()`'s value.
 * @example
 * unlessInterrupted(handler$, timer(60_000), () => ({ kind: 'timeout' })).subscribe(console.log);
 */
export function unlessInterrupted<T, I>(
  source$: Observable<T>,
  interrupt$: Observable<unknown>,
  onInterrupt: () => I,
): Observable<T | I> {
  return new Observable<T | I>((subscriber) => {
    let decided = false;
    // Closed at an interruption: a source subscription added afterwards ends at once.
    const source = new Subscription();
    const interruption = interrupt$.subscribe({
      next: () => {
        if (decided) return;
        decided = true;
        let value: I;
        try {
          value = onInterrupt();
        } catch (error) {
          source.unsubscribe();
          return subscriber.error(error);
        }
        source.unsubscribe();
        subscriber.next(value);
        subscriber.complete();
      },
      error: (error: unknown) => {
        if (decided) return;
        decided = true;
        source.unsubscribe();
        subscriber.error(error);
      },
    });
    if (decided) return interruption;
    const settle = (): void => {
      decided = true;
      interruption.unsubscribe();
    };
    source.add(
      source$.subscribe({
        next: (value) => {
          if (!decided) settle();
          subscriber.next(value);
        },
        error: (error: unknown) => {
          settle();
          subscriber.error(error);
        },
        complete: () => {
          settle();
          subscriber.complete();
        },
      }),
    );
    return () => {
      interruption.unsubscribe();
      source.unsubscribe();
    };
  });
}
