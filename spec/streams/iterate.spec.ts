import { EMPTY, type Observable, of, takeWhile, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { iterate$ } from '../../lib/streams/iterate.js';

describe('iterate$', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('emits the seed and each step, one step subscribed at a time, and completes on an empty step', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const steps: Record<number, ReturnType<typeof cold<number>>> = {
        0: cold('-a--b|', { a: 1, b: 9 }), // only the first value counts
        1: cold('--a|', { a: 2 }),
        2: cold('---|'),
      };
      const out$ = iterate$(0, (n) => steps[n]);
      expectObservable(out$).toBe('ab-c--|', { a: 0, b: 1, c: 2 });
      expectSubscriptions(steps[0].subscriptions).toBe('^!');
      expectSubscriptions(steps[1].subscriptions).toBe('-^-!');
      expectSubscriptions(steps[2].subscriptions).toBe('---^--!');
    });
  });

  it('passes on the error of a step and stops', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const boom = new Error('boom');
      const out$ = iterate$(0, (n) => (n === 0 ? cold('-a|', { a: 1 }) : cold('--#', {}, boom)));
      expectObservable(out$).toBe('ab-#', { a: 0, b: 1 }, boom);
    });
  });

  it('unsubscribes the running step when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold<number>('-----a|', { a: 1 });
      expectObservable(
        iterate$(0, () => slow),
        '^--!',
      ).toBe('a', { a: 0 });
      expectSubscriptions(slow.subscriptions).toBe('^--!');
    });
  });

  it('runs 100000 synchronous steps without growing the stack', () => {
    const seen: number[] = [];
    const step = (n: number): Observable<number> => (n < 100_000 ? of(n + 1) : EMPTY);
    let completed = false;
    iterate$(0, step).subscribe({ next: (n) => seen.push(n), complete: () => (completed = true) });
    expect(completed).toBeTrue();
    expect(seen.length).toBe(100_001);
    expect(seen[100_000]).toBe(100_000);
  });

  it('stops a synchronous loop when the subscriber unsubscribes', () => {
    let steps = 0;
    const seen: number[] = [];
    iterate$(0, (n) => {
      steps += 1;
      return of(n + 1);
    })
      .pipe(takeWhile((n) => n < 3, true))
      .subscribe((n) => seen.push(n));
    // The steps never end by themselves: the loop ended at 3 only because takeWhile unsubscribed.
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(steps).toBe(3);
  });

  it('errors synchronously from a synchronous failing step', () => {
    let caught: unknown;
    iterate$(0, () => throwError(() => new Error('no'))).subscribe({ error: (e) => (caught = e) });
    expect((caught as Error).message).toBe('no');
  });
});
