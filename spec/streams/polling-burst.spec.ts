import { type Observable, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Action } from '../../lib/model/wire-types.js';
import { poll$, type PollDeps } from '../../lib/streams/polling.js';
import { anAction, registeredPack } from './fixtures.js';
import { pollDeps } from './poll-fixtures.js';

describe('poll$ (burst polling)', () => {
  let scheduler: TestScheduler;
  const pack = registeredPack('p1');
  const a = anAction('1');

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  function deps(overrides: Partial<PollDeps>): PollDeps {
    return pollDeps(pack, {
      pollInterval: 100,
      burst: { first: 10, factor: 2 }, // 10, 20, 40, 80, then the 100 ms interval
      ...overrides,
    });
  }

  /** A take answering `answers(n)` for its n-th call (from 0) 1 ms later; logs when it was made. */
  function takes(answers: (n: number) => 'a' | 'n' = () => 'n') {
    const times: number[] = [];
    const take: PollDeps['take'] = () => {
      const answer = answers(times.length);
      times.push(scheduler.now());
      return scheduler.createColdObservable<Action | null>(`-${answer}|`, { a, n: null });
    };
    return { take, times };
  }

  /** Runs poll$ for `ms` of virtual time. */
  function runFor(ms: number, outcomes$: Observable<unknown>): void {
    scheduler.run(() => {
      const subscription = outcomes$.subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), ms);
    });
  }

  it('after an action polls again after `first`, then `factor` times longer, up to pollInterval', () => {
    const { take, times } = takes((n) => (n === 0 ? 'a' : 'n'));
    runFor(400, poll$(deps({ take }), scheduler));
    // action at 1, take at once; then empties wait 10, 20, 40, 80, 100, 100
    expect(times).toEqual([0, 1, 12, 33, 74, 155, 256, 357]);
  });

  it('a quiet pack polls every pollInterval from the start (no activity, no burst)', () => {
    const { take, times } = takes();
    runFor(350, poll$(deps({ take }), scheduler));
    expect(times).toEqual([0, 101, 202, 303]);
  });

  it('activity (a result delivered, an event accepted) cuts a long wait to `first` and starts the burst again', () => {
    const { take, times } = takes();
    const activity$ = new Subject<void>();
    scheduler.schedule(() => activity$.next(), 150);
    runFor(450, poll$(deps({ take, activity$ }), scheduler));
    // waiting 102→202 when the activity comes at 150: take at 160, then waits 20, 40, 80, 100
    expect(times).toEqual([0, 101, 160, 181, 222, 303, 404]);
  });

  it('with `false` waits pollInterval after every empty take, as without burst polling', () => {
    const { take, times } = takes((n) => (n === 0 ? 'a' : 'n'));
    const activity$ = new Subject<void>();
    scheduler.schedule(() => activity$.next(), 150);
    runFor(350, poll$(deps({ take, activity$, burst: false }), scheduler));
    expect(times).toEqual([0, 1, 102, 203, 304]);
  });
});
