import { ReplaySubject, take as firstOutcomes, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Action } from '../../lib/model/wire-types.js';
import { SlotLedger } from '../../lib/streams/slot-ledger.js';
import { poll$, type PollDeps } from '../../lib/streams/polling.js';
import { STAGGER_RUN } from '../../lib/streams/take-policy.js';
import { HttpError } from '../../lib/model/errors.js';
import { anAction, registeredPack } from './fixtures.js';
import { pollDeps, pollKinds } from './poll-fixtures.js';

describe('poll$ (several takes in flight)', () => {
  let scheduler: TestScheduler;
  const pack = registeredPack('p1');
  const a = anAction('1');
  const kinds = pollKinds;
  const race = new HttpError({ method: 'POST', url: pack.takeActionUrl, status: 500 });

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  function deps(overrides: Partial<PollDeps>): PollDeps {
    return pollDeps(pack, {
      slots: new SlotLedger(10),
      maxTakesInFlight: 3,
      stagger: 2,
      windowGrowth: 1, // a lane per action, to see the lanes at work in few takes
      contention: { minWait: 1, maxWait: 1, longestWait: 1 }, // a race: retried 1 ms later
      ...overrides,
    });
  }

  /**
   * A take whose n-th call (from 0) answers `answers(n)` after 5 ms, recording when each call
   * was made and the most takes in flight at once.
   */
  function takes(answers: (n: number) => 'a' | 'n' | 'c') {
    const log = { times: [] as number[], inFlight: 0, maxInFlight: 0 };
    const take: PollDeps['take'] = () => {
      const n = log.times.length;
      log.times.push(scheduler.now());
      log.inFlight += 1;
      log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
      return scheduler
        .createColdObservable<Action | null>(
          answers(n) === 'c' ? '5ms #' : `5ms ${answers(n)}|`,
          { a, n: null },
          race,
        )
        .pipe(tap(() => (log.inFlight -= 1))); // answered: no longer in flight
    };
    return { take, log };
  }

  it('adds a take in flight as actions come, up to maxTakesInFlight, together while none raced', () => {
    scheduler.run(({ expectObservable }) => {
      const { take, log } = takes(() => 'a');
      expectObservable(kinds(poll$(deps({ take }), scheduler)), '^ 18ms !').toBe(
        '5ms a 4ms (aa) 1ms (aaa)',
      );
      scheduler.flush();
      // The first action opens a second lane, the second a third; never more than three. No
      // take raced, so nothing is spread: a store that never races is never slowed.
      expect(log.times).toEqual([0, 5, 5, 10, 10, 10, 15, 15, 15]);
      expect(log.maxInFlight).toBe(3);
    });
  });

  it(`after a race spreads the takes in flight stagger apart, until ${STAGGER_RUN} actions came without one`, () => {
    scheduler.run(() => {
      const { take, log } = takes((n) => (n === 0 ? 'c' : 'a'));
      const gate = new SlotLedger(10);
      const actionsAt: number[] = [];
      poll$(deps({ slots: gate, take }), scheduler)
        .pipe(firstOutcomes(STAGGER_RUN + 40))
        .subscribe((o) => {
          if (o.kind !== 'action') return;
          actionsAt.push(o.time);
          gate.settle(o.action!); // each action handled at once
        });
      scheduler.flush();
      // Until the STAGGER_RUN-th action, no two takes are sent within 2 ms of each other.
      const spreadUntil = actionsAt[STAGGER_RUN - 1]!;
      const spread = log.times.filter((t) => t < spreadUntil);
      expect(spread.slice(0, 6)).toEqual([0, 6, 11, 13, 16, 18]);
      expect(spread.every((t, i) => i === 0 || t - spread[i - 1]! >= 2)).toBeTrue();
      // Then they are no longer held apart.
      const later = log.times.filter((t) => t > spreadUntil);
      expect(later.some((t, i) => i > 0 && t - later[i - 1]! < 2)).toBeTrue();
    });
  });

  it('with stagger left out, spreads the takes in flight 1.5 ms apart after a race', () => {
    scheduler.run(() => {
      const { take, log } = takes((n) => (n === 0 ? 'c' : 'a'));
      const gate = new SlotLedger(10);
      poll$(deps({ slots: gate, take, stagger: undefined }), scheduler)
        .pipe(firstOutcomes(12))
        .subscribe((o) => o.action && gate.settle(o.action));
      scheduler.flush();
      // The race at 5, its retry 1 ms later; each lane opened after it books 1.5 ms after
      // the latest send (about what the store's ~2 ms collision window needs once Node's
      // whole-millisecond timers have fired).
      expect(log.times.slice(0, 6)).toEqual([0, 6, 11, 12.5, 16, 17.5]);
    });
  });

  it('with the default growth opens a second take in flight after ten actions in a row', () => {
    scheduler.run(() => {
      const { take, log } = takes(() => 'a');
      const outcomes: number[] = [];
      const gate = new SlotLedger(10);
      poll$(deps({ slots: gate, take, windowGrowth: undefined, maxTakesInFlight: 2 }), scheduler)
        .pipe(firstOutcomes(14))
        .subscribe((o) => {
          outcomes.push(o.time);
          gate.settle(o.action!); // each action handled at once
        });
      scheduler.flush();
      expect(log.times.slice(0, 11)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
      expect(log.times.slice(11, 15)).toEqual([50, 55, 55, 60]); // two lanes (no race: together)
      expect(log.maxInFlight).toBe(2);
    });
  });

  it('after a race, spaces a take from one booked for later, not only from those in flight', () => {
    scheduler.run(() => {
      const sent: number[] = [];
      // The first take races (retried 1 ms later); the third answers at 12, while the fourth
      // waits for its turn at 13.
      const lasts: Array<number | 'race'> = ['race', 5, 1];
      const take: PollDeps['take'] = () => {
        const ms = lasts[sent.length] ?? 5;
        sent.push(scheduler.now());
        return ms === 'race'
          ? scheduler.createColdObservable<Action | null>('5ms #', undefined, race)
          : scheduler.createColdObservable<Action | null>(`${ms}ms a|`, { a });
      };
      const gate = new SlotLedger(10);
      poll$(deps({ slots: gate, take, maxTakesInFlight: 2 }), scheduler)
        .pipe(firstOutcomes(5))
        .subscribe((o) => o.action && gate.settle(o.action));
      scheduler.flush();
      // At 12 nothing is in flight, but a take is booked for 13: the next one goes at 15.
      expect(sent.slice(0, 5)).toEqual([0, 6, 11, 13, 15]);
    });
  });

  it('after a race, spaces the sends of takes that waited for slots past their booking', () => {
    scheduler.run(() => {
      const sent: number[] = [];
      // The first take races; the second brings an action at 11 and opens a second lane; from
      // 13 both lanes wait for a slot, and both slots are free again at 20.
      const take: PollDeps['take'] = () => {
        const n = sent.length;
        sent.push(scheduler.now());
        return n === 0
          ? scheduler.createColdObservable<Action | null>('5ms #', undefined, race)
          : scheduler.createColdObservable<Action | null>('5ms a|', { a: anAction(`${n}`) });
      };
      const gate = new SlotLedger(2);
      const taken: Action[] = [];
      poll$(deps({ slots: gate, take, maxTakesInFlight: 2 }), scheduler)
        .pipe(firstOutcomes(5))
        .subscribe((o) => o.action && taken.push(o.action));
      scheduler.schedule(() => taken.forEach((action) => gate.settle(action)), 20);
      scheduler.flush();
      // Booked 2 ms apart (13 and 16), both sent once the slots are free: 20, then 22.
      expect(sent).toEqual([0, 6, 11, 20, 22]);
    });
  });

  it('while takes race, never sends a take within stagger ms of another one in flight', () => {
    scheduler.run(() => {
      const sends: Array<{ at: number; until: number }> = [];
      const take: PollDeps['take'] = () => {
        const at = scheduler.now();
        const lasts = 3 + (sends.length % 4); // 3 to 6 ms: lanes drift into one another
        sends.push({ at, until: at + lasts });
        // One take in ten races: the takes stay spread.
        return sends.length % 10 === 1
          ? scheduler.createColdObservable<Action | null>(`${lasts}ms #`, undefined, race)
          : scheduler.createColdObservable<Action | null>(`${lasts}ms a|`, { a });
      };
      const gate = new SlotLedger(10);
      poll$(deps({ slots: gate, take, maxTakesInFlight: 4 }), scheduler)
        .pipe(firstOutcomes(200))
        .subscribe((o) => o.action && gate.settle(o.action)); // each action handled at once
      scheduler.flush();
      expect(sends.length).toBeGreaterThanOrEqual(200);
      const tooClose = sends.filter((s, i) =>
        sends.some((o, j) => j < i && o.until > s.at && s.at - o.at < 2),
      );
      expect(tooClose).toEqual([]);
      const overlapping = sends.map((s) => sends.filter((o) => o.at <= s.at && o.until > s.at));
      expect(Math.max(...overlapping.map((o) => o.length))).toBe(3); // 2 ms apart, 3–6 ms each
    });
  });

  it('never takes without a free slot: the lanes share the handler slots', () => {
    scheduler.run(({ expectObservable }) => {
      const gate = new SlotLedger(2);
      const { take, log } = takes(() => 'a');
      const free: number[] = [];
      gate.free$.subscribe((n) => free.push(n));
      scheduler.schedule(() => gate.settle(a), 20); // one handler done
      expectObservable(kinds(poll$(deps({ slots: gate, take }), scheduler)), '^ 30ms !').toBe(
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
        '5ms a 4ms (aa) 1ms (eee) 10ms e 14ms e',
      );
      scheduler.flush();
      // Three lanes empty at 15; then one take per pollInterval (10 ms).
      expect(log.times).toEqual([0, 5, 5, 10, 10, 10, 25, 40]);
    });
  });

  it('on stop with several takes in flight starts no new take and emits each one’s outcome', () => {
    scheduler.run(({ expectObservable }) => {
      const { take, log } = takes(() => 'a');
      const stop$ = new ReplaySubject<void>(1);
      // At 13 three takes are in flight (10→15): no new one is sent, all three are awaited.
      scheduler.schedule(() => stop$.next(), 13);
      expectObservable(kinds(poll$(deps({ take, stop$ }), scheduler))).toBe(
        '5ms a 4ms (aa) 1ms (aaa|)',
      );
      scheduler.flush();
      expect(log.times).toEqual([0, 5, 5, 10, 10, 10]);
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
