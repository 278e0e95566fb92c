import {
  asyncScheduler,
  BehaviorSubject,
  lastValueFrom,
  map,
  of,
  ReplaySubject,
  type SchedulerLike,
  take,
  tap,
  toArray,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Action, RegisteredPack } from '../../lib/model/wire-types.js';
import type { Registration } from '../../lib/streams/registration.js';
import { HttpError, PackNotFoundError } from '../../lib/model/errors.js';
import { SlotLedger } from '../../lib/streams/slot-ledger.js';
import { poll$, type PollDeps } from '../../lib/streams/polling.js';
import { anAction, registeredPack, registration } from './fixtures.js';
import { pollDeps, pollKinds, takesInTurn } from './poll-fixtures.js';

describe('poll$', () => {
  let scheduler: TestScheduler;
  const pack = registeredPack('p1');
  const a = anAction('1');
  // A 500 that says what failed (a bare one is a take race: see polling-contention.spec.ts).
  const serverError = new HttpError({
    method: 'POST',
    url: pack.takeActionUrl,
    status: 500,
    body: 'store unavailable',
  });
  const kinds = pollKinds;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  function deps(overrides: Partial<PollDeps>): PollDeps {
    return pollDeps(pack, {
      backoff: { initialDelay: 10, random: () => 0.5 }, // waits 5, 10, 20, ...
      ...overrides,
    });
  }

  const takes = takesInTurn;

  it('waits pollInterval after an empty take and stamps each outcome with the scheduler time', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const empty = cold('-n|', { n: null });
      const outcomes$ = poll$(deps({ take: () => empty }), scheduler);
      expectObservable(outcomes$, '^ 30ms !').toBe('-a 10ms b 10ms c', {
        a: { kind: 'empty', time: 1, ms: 1 },
        b: { kind: 'empty', time: 12, ms: 1 },
        c: { kind: 'empty', time: 23, ms: 1 },
      });
      expectSubscriptions(empty.subscriptions).toBe(['^!', '11ms ^!', '22ms ^!']);
    });
  });

  it('takes again at once while actions keep coming, and never without a free slot', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const gate = new SlotLedger(3);
      const actions = cold('-a|', { a });
      scheduler.schedule(() => gate.settle(a), 10);
      const outcomes$ = poll$(deps({ slots: gate, take: () => actions }), scheduler);
      expectObservable(kinds(outcomes$), '^ 20ms !').toBe('-aaa 7ms a');
      // Three slots: three takes back to back, then none until a slot is released at 10.
      expectSubscriptions(actions.subscriptions).toBe(['^!', '-^!', '--^!', '10ms ^!']);
    });
  });

  it('reserves the slot before the take and releases it when the take brings nothing or fails', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new SlotLedger(1);
      const take = takes(
        cold('--n|', { n: null }),
        cold<Action | null>('--#', undefined, serverError),
      );
      const free: number[] = [];
      scheduler.schedule(() => free.push(gate.free), 1); // during the first take
      scheduler.schedule(() => free.push(gate.free), 3); // after it
      scheduler.schedule(() => free.push(gate.free), 14); // during the second
      scheduler.schedule(() => free.push(gate.free), 15); // after it failed
      expectObservable(kinds(poll$(deps({ slots: gate, take }), scheduler)), '^ 15ms !').toBe(
        '--e 11ms x',
      );
      scheduler.flush();
      expect(free).toEqual([0, 1, 0, 1]);
    });
  });

  it('backs off with jitter after failed takes and starts the count again after a success', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const fail1 = cold<Action | null>('-#', undefined, serverError);
      const fail2 = cold<Action | null>('-#', undefined, serverError);
      const ok = cold('-a|', { a });
      const fail3 = cold<Action | null>('-#', undefined, serverError);
      const idle = cold('-n|', { n: null });
      const take = takes(fail1, fail2, ok, fail3, idle);
      expectObservable(kinds(poll$(deps({ take }), scheduler)), '^ 25ms !').toBe(
        '-x 5ms x 10ms ax 5ms e',
      );
      expectSubscriptions(fail1.subscriptions).toBe('^!'); // fails at 1, waits 5
      expectSubscriptions(fail2.subscriptions).toBe('6ms ^!'); // fails at 7, waits 10
      expectSubscriptions(ok.subscriptions).toBe('17ms ^!'); // action at 18: take again at once
      expectSubscriptions(fail3.subscriptions).toBe('18ms ^!'); // fails at 19, waits 5 again
      expectSubscriptions(idle.subscriptions).toBe('24ms ^!');
    });
  });

  it('asks for re-registration on 404 and takes again with the new pack', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const newPack = registeredPack('p1-again');
      const packs = new BehaviorSubject<Registration>(registration(pack));
      scheduler.schedule(() => packs.next(registration(newPack, 2)), 20);
      const notFound = new PackNotFoundError({ method: 'POST', url: 'take', status: 404 });
      const taken: RegisteredPack[] = [];
      const take = (p: RegisteredPack) => {
        taken.push(p);
        return p === pack
          ? cold<Action | null>('-#', undefined, notFound)
          : cold('-n|', { n: null });
      };
      const reRegister = jasmine.createSpy('reRegister');
      const outcomes$ = poll$(deps({ registration$: packs, take, reRegister }), scheduler);
      expectObservable(kinds(outcomes$), '^ 25ms !').toBe('-x 19ms e');
      scheduler.flush();
      expect(reRegister.calls.allArgs()).toEqual([[registration(pack)]]);
      expect(taken).toEqual([pack, newPack]);
    });
  });

  it('on stop starts no new take but finishes the one in flight and emits its action', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold('10ms a|', { a });
      const stop$ = new ReplaySubject<void>(1);
      scheduler.schedule(() => stop$.next(), 5);
      const outcomes$ = poll$(deps({ take: () => slow, stop$ }), scheduler);
      expectObservable(outcomes$.pipe(map((o) => o.action))).toBe('10ms (a|)', { a });
      expectSubscriptions(slow.subscriptions).toBe('^ 9ms !');
    });
  });

  it('on stop while waiting the poll interval completes without another take', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const empty = cold('-n|', { n: null });
      const stop$ = new ReplaySubject<void>(1);
      scheduler.schedule(() => stop$.next(), 5);
      expectObservable(kinds(poll$(deps({ take: () => empty, stop$ }), scheduler))).toBe(
        '-e 3ms |',
      );
      expectSubscriptions(empty.subscriptions).toBe('^!');
    });
  });

  it('does not take before the pack is registered', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const packs = new ReplaySubject<Registration>(1);
      scheduler.schedule(() => packs.next(registration(pack)), 7);
      const empty = cold('-n|', { n: null });
      expectObservable(
        kinds(poll$(deps({ registration$: packs, take: () => empty }), scheduler)),
        '^ 10ms !',
      ).toBe('8ms e');
      expectSubscriptions(empty.subscriptions).toBe('7ms ^!');
    });
  });
  it('takes 5000 synchronous actions back to back, with no timer after an action and no stack overflow', async () => {
    const gate = new SlotLedger(1);
    const freeAtTake: number[] = [];
    const syncTake = () => {
      freeAtTake.push(gate.free); // the slot is reserved before the take
      return of(a);
    };
    // The real scheduler, watched: only the first take may wait for it.
    const schedule = jasmine
      .createSpy('schedule', asyncScheduler.schedule.bind(asyncScheduler))
      .and.callThrough() as jasmine.Spy<SchedulerLike['schedule']>;
    const scheduler: SchedulerLike = { now: () => asyncScheduler.now(), schedule };
    const outcomes = await lastValueFrom(
      poll$(deps({ slots: gate, take: syncTake }), scheduler).pipe(
        tap((o) => gate.settle(o.action!)), // the handler finished at once
        take(5000),
        toArray(),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'action').length).toBe(5000);
    expect(schedule).toHaveBeenCalledTimes(1);
    expect(freeAtTake.length).toBe(5000);
    expect(freeAtTake.every((free) => free === 0)).toBeTrue();
  });
});
