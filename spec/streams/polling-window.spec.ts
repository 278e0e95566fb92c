import { ReplaySubject, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Action } from '../../lib/model/wire-types.js';
import { CapacityGate } from '../../lib/streams/capacity-gate.js';
import { poll$, type PollDeps } from '../../lib/streams/polling.js';
import { anAction, registeredPack } from './fixtures.js';
import { pollDeps, pollKinds } from './poll-fixtures.js';

describe('poll$ (several takes in flight)', () => {
  let scheduler: TestScheduler;
  const pack = registeredPack('p1');
  const a = anAction('1');
  const kinds = pollKinds;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  function deps(overrides: Partial<PollDeps>): PollDeps {
    return pollDeps(pack, {
      gate: new CapacityGate(10),
      maxTakesInFlight: 3,
      stagger: 2,
      ...overrides,
    });
  }

  /**
   * A take whose n-th call (from 0) answers `answers(n)` after 5 ms, recording when each call
   * was made and the most takes in flight at once.
   */
  function takes(answers: (n: number) => 'a' | 'n') {
    const log = { times: [] as number[], inFlight: 0, maxInFlight: 0 };
    const take: PollDeps['take'] = () => {
      const n = log.times.length;
      log.times.push(scheduler.now());
      log.inFlight += 1;
      log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
      return scheduler
        .createColdObservable<Action | null>(`5ms ${answers(n)}|`, { a, n: null })
        .pipe(tap(() => (log.inFlight -= 1))); // answered: no longer in flight
    };
    return { take, log };
  }

  it('adds a take in flight after each action, staggered, up to maxTakesInFlight', () => {
    scheduler.run(({ expectObservable }) => {
      const { take, log } = takes(() => 'a');
      expectObservable(kinds(poll$(deps({ take }), scheduler)), '^ 18ms !').toBe(
        '5ms a 4ms a 1ms a 2ms a 1ms (aa)',
      );
      scheduler.flush();
      // The first action opens a second lane (2 ms stagger), the second a third; never more.
      expect(log.times).toEqual([0, 5, 7, 10, 12, 12, 15, 17, 17]);
      expect(log.maxInFlight).toBe(3);
    });
  });

  it('never takes without a free slot: the lanes share the handler slots', () => {
    scheduler.run(({ expectObservable }) => {
      const gate = new CapacityGate(2);
      const { take, log } = takes(() => 'a');
      const free: number[] = [];
      gate.free$.subscribe((n) => free.push(n));
      scheduler.schedule(() => gate.release(), 20); // one handler done
      expectObservable(kinds(poll$(deps({ gate, take }), scheduler)), '^ 30ms !').toBe(
        '5ms a 4ms a 14ms a',
      );
      scheduler.flush();
      expect(log.times).toEqual([0, 5, 20]); // the third lane waited for the freed slot
      expect(Math.min(...free)).toBe(0);
    });
  });

  it('collapses to one take per pollInterval once takes come back empty', () => {
    scheduler.run(({ expectObservable }) => {
      const { take, log } = takes((n) => (n < 3 ? 'a' : 'n'));
      expectObservable(kinds(poll$(deps({ take }), scheduler)), '^ 46ms !').toBe(
        '5ms a 4ms a 1ms a 2ms e 1ms (ee) 9ms e 14ms e',
      );
      scheduler.flush();
      expect(log.times).toEqual([0, 5, 7, 10, 12, 12, 25, 40]);
    });
  });

  it('on stop with several takes in flight starts no new take and emits each one’s outcome', () => {
    scheduler.run(({ expectObservable }) => {
      const { take, log } = takes(() => 'a');
      const stop$ = new ReplaySubject<void>(1);
      scheduler.schedule(() => stop$.next(), 13); // three takes in flight: 10→15, 12→17 twice
      expectObservable(kinds(poll$(deps({ take, stop$ }), scheduler))).toBe(
        '5ms a 4ms a 1ms a 2ms a 1ms (aa|)',
      );
      scheduler.flush();
      expect(log.times).toEqual([0, 5, 7, 10, 12, 12]);
    });
  });

  it('with maxTakesInFlight 1 keeps one take in flight, as before', () => {
    scheduler.run(({ expectObservable }) => {
      const { take, log } = takes(() => 'a');
      expectObservable(
        kinds(poll$(deps({ take, maxTakesInFlight: 1 }), scheduler)),
        '^ 16ms !',
      ).toBe('5ms a 4ms a 4ms a');
      scheduler.flush();
      expect(log.times).toEqual([0, 5, 10, 15]);
      expect(log.maxInFlight).toBe(1);
    });
  });
});
