import { from, of, timer, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { prioritisedMerge } from '../../lib/streams/prioritised-merge.js';

describe('prioritisedMerge', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('runs 20,000 waiting values that end as they start in constant stack, then completes (finding 1)', () => {
    scheduler.run(({ expectObservable }) => {
      const values = Array.from({ length: 20_000 }, (_, i) => i);
      // The first value holds the one slot for 5 ms; every other ends as soon as it starts.
      const out$ = from(values).pipe(
        prioritisedMerge(
          (i) => (i === 0 ? timer(5).pipe(map(() => i)) : of(i)),
          () => 0,
          1,
        ),
        toArray(),
        map((all) => `${all.length}:${all[0]}:${all[all.length - 1]}`),
      );
      expectObservable(out$).toBe('5ms (a|)', { a: '20000:0:19999' });
    });
  });

  it('starts waiting values by priority, in arrival order within one', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('(abcd)|', { a: 'e1', b: 'r1', c: 'e2', d: 'r2' });
      const out$ = source.pipe(
        prioritisedMerge(
          (v) => timer(1).pipe(map(() => v)),
          (v) => (v.startsWith('r') ? 0 : 1),
          1,
        ),
      );
      expectObservable(out$).toBe('-abcd-|', { a: 'e1', b: 'r1', c: 'r2', d: 'e2' });
    });
  });
});
