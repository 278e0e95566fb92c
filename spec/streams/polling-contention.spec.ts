import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Action } from '../../lib/model/wire-types.js';
import { HttpError } from '../../lib/model/errors.js';
import { SlotLedger } from '../../lib/streams/slot-ledger.js';
import { poll$, type PollDeps } from '../../lib/streams/polling.js';
import { anAction, registeredPack } from './fixtures.js';
import { pollDeps, pollKinds, takesInTurn } from './poll-fixtures.js';

describe('poll$ (take races)', () => {
  let scheduler: TestScheduler;
  const pack = registeredPack('p1');
  const a = anAction('1');
  const url = pack.takeActionUrl;
  const bare500 = new HttpError({ method: 'POST', url, status: 500 });
  const kinds = pollKinds;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  function deps(overrides: Partial<PollDeps>): PollDeps {
    return pollDeps(pack, {
      backoff: { initialDelay: 10, random: () => 0.5 }, // waits 5, 10, 20, ...
      // Races wait 4 ms (longestWait 4: no doubling in a row); the third bare 500 in a row
      // checks the server's health.
      contention: { minWait: 4, maxWait: 4, longestWait: 4, checkHealthAfter: 3 },
      ...overrides,
    });
  }

  const takes = takesInTurn;

  it('retries a bare 500 on a take after a short jittered wait, as contention, not an error', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const gate = new SlotLedger(1);
      const race = cold<Action | null>('-#', undefined, bare500);
      const idle = cold('-n|', { n: null });
      const free: number[] = [];
      scheduler.schedule(() => free.push(gate.free), 2); // after the race
      const outcomes$ = poll$(deps({ slots: gate, take: takes(race, idle) }), scheduler);
      expectObservable(outcomes$, '^ 10ms !').toBe('-c 4ms e', {
        c: { kind: 'contention', time: 1, ms: 1, error: bare500 },
        e: { kind: 'empty', time: 6, ms: 1 },
      });
      expectSubscriptions(race.subscriptions).toBe('^!');
      expectSubscriptions(idle.subscriptions).toBe('5ms ^!'); // 4 ms later, not the 5 ms backoff
      scheduler.flush();
      expect(free).toEqual([1]); // the slot reserved for the take is free again
    });
  });

  it('doubles the wait for each bare 500 in a row, up to longestWait, and starts again after a take', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const race = cold<Action | null>('-#', undefined, bare500);
      const action = cold<Action | null>('-a|', { a });
      const contention = { minWait: 2, maxWait: 6, longestWait: 10, random: () => 0.5 };
      const idle = cold('-n|', { n: null });
      const take = takes(race, race, race, race, action, race, action, idle);
      const outcomes$ = poll$(deps({ take, contention, slots: new SlotLedger(10) }), scheduler);
      // Waits 4, 8, 10 (not 16), 10 after the races in a row; after the action, 4 again.
      expectObservable(kinds(outcomes$), '^ 45ms !').toBe('-c 4ms c 8ms c 10ms c 10ms a c 4ms a e');
    });
  });

  it('treats a 500 with a body on a take as a failed take, backed off', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const said500 = new HttpError({ method: 'POST', url, status: 500, body: 'db down' });
      const failed = cold<Action | null>('-#', undefined, said500);
      const idle = cold('-n|', { n: null });
      const outcomes$ = poll$(deps({ take: takes(failed, idle) }), scheduler);
      expectObservable(kinds(outcomes$), '^ 10ms !').toBe('-x 5ms e');
      expectSubscriptions(idle.subscriptions).toBe('6ms ^!');
    });
  });

  it('after checkHealthAfter bare 500s in a row asks the server health; healthy, they stay contention', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const race = cold<Action | null>('-#', undefined, bare500);
      const idle = cold('-n|', { n: null });
      const health = cold('-h|', { h: undefined });
      const take = takes(race, race, race, idle);
      const outcomes$ = poll$(deps({ take, health: () => health }), scheduler);
      expectObservable(kinds(outcomes$), '^ 20ms !').toBe('-c 4ms c 5ms c 4ms e');
      expectSubscriptions(health.subscriptions).toBe('11ms ^!'); // at the third bare 500
    });
  });

  it('after checkHealthAfter bare 500s in a row, an unhealthy server makes them failed takes with backoff', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const race = cold<Action | null>('-#', undefined, bare500);
      const idle = cold('-n|', { n: null });
      const down = cold('-#', undefined, new Error('health: 503'));
      const take = takes(race, race, race, race, idle);
      const outcomes$ = poll$(deps({ take, health: () => down }), scheduler);
      // Third bare 500: unhealthy, an error, backoff 5; the fourth checks again: backoff 10.
      expectObservable(outcomes$.pipe(map((o) => o.kind)), '^ 31ms !').toBe(
        '-c 4ms c 5ms x 6ms x 10ms e',
        { c: 'contention', x: 'error', e: 'empty' },
      );
      expectSubscriptions(down.subscriptions).toBe(['11ms ^!', '18ms ^!']);
    });
  });

  it('counts bare 500s in a row again after a take that is not one', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const race = cold<Action | null>('-#', undefined, bare500);
      const got = cold('-a|', { a });
      const idle = cold('-n|', { n: null });
      const health = cold('-h|', { h: undefined });
      const take = takes(race, race, got, race, race, race, idle);
      const outcomes$ = poll$(deps({ take, health: () => health }), scheduler);
      expectObservable(kinds(outcomes$), '^ 30ms !').toBe('-c 4ms c 4ms ac 4ms c 5ms c 4ms e');
      expectSubscriptions(health.subscriptions).toBe('22ms ^!');
    });
  });

  it('keeps backing off bare 500s in a row past a health check that passed, up to longestWaitAfterCheck', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // A store that refuses writes while its health answers 200: every take a bare 500.
      const race = cold<Action | null>('-#', undefined, bare500);
      const health = cold('-h|', { h: undefined });
      const contention = {
        minWait: 4,
        maxWait: 4,
        longestWait: 4,
        checkHealthAfter: 3,
        longestWaitAfterCheck: 16,
      };
      const outcomes$ = poll$(
        deps({ take: () => race, contention, health: () => health }),
        scheduler,
      );
      // Waits 4, 4, (health) 4, then 8, 16, (health) 16, 16: no longer 4 for ever.
      expectObservable(kinds(outcomes$), '^ 62ms !').toBe(
        '-c 4ms c 5ms c 4ms c 8ms c 17ms c 16ms c',
      );
      // Asked again only after another checkHealthAfter races, not at every one.
      expectSubscriptions(health.subscriptions).toBe(['11ms ^!', '43ms ^!']);
    });
  });

  it('without a health check, checkHealthAfter bare 500s in a row are failed takes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const race = cold<Action | null>('-#', undefined, bare500);
      const idle = cold('-n|', { n: null });
      const take = takes(race, race, race, idle);
      expectObservable(kinds(poll$(deps({ take }), scheduler)), '^ 20ms !').toBe(
        '-c 4ms c 4ms x 5ms e',
      );
    });
  });
});
