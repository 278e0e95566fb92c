import { Observable, type Subscription } from 'rxjs';

/**
 * A serial, stack-safe `expand`: emits `seed`, then the first value of `step(seed)`, then the
 * first value of `step(thatValue)`, and so on, one step subscribed at a time (the next step
 * starts when the previous one completes). Completes when a step completes without a value;
 * errors when a step errors. A step that answers synchronously is continued by a loop, not by
 * recursion, so a long run of synchronous steps never grows the stack (`expand` subscribes
 * its inner observables recursively, which is why loops built on it needed a timer per step).
 *
 * @param seed - the first value.
 * @param step - the next step from the latest value; only its first value is used.
 * @returns the seed and the value of every step.
 * @example
 * iterate$(0, (n) => (n < 3 ? of(n + 1) : EMPTY)).subscribe(console.log); // 0, 1, 2, 3
 */
export function iterate$<T>(seed: T, step: (value: T) => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let current: Subscription | undefined;
    let pending: { readonly value: T } | undefined = { value: seed };
    let looping = false;

    const run = (): void => {
      looping = true;
      while (pending !== undefined && !subscriber.closed) {
        const { value } = pending;
        pending = undefined;
        // The step ends at its first value (as take(1) would end it, without its subscriber).
        let ended = false;
        const end = (next: { readonly value: T } | undefined): void => {
          if (ended) return;
          ended = true;
          current?.unsubscribe();
          if (next === undefined) return subscriber.complete();
          pending = next;
          // Synchronous: the loop below picks it up. Later: start the loop again.
          if (!looping) run();
        };
        current = undefined;
        const subscription = step(value).subscribe({
          next: (next) => {
            if (ended) return;
            subscriber.next(next);
            end({ value: next });
          },
          error: (error: unknown) => {
            if (ended) return;
            ended = true;
            subscriber.error(error);
          },
          complete: () => end(undefined),
        });
        if (ended || subscriber.closed) subscription.unsubscribe();
        else current = subscription;
      }
      looping = false;
    };

    subscriber.next(seed);
    run();
    return () => current?.unsubscribe();
  });
}
