import { BehaviorSubject, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { PACK_DEFAULTS } from '../../lib/model/defaults.js';
import type { Action } from '../../lib/model/wire-types.js';
import { poll$, type PollDeps } from '../../lib/streams/polling.js';
import type { Registration } from '../../lib/streams/registration.js';
import { SlotLedger } from '../../lib/streams/slot-ledger.js';
import { anAction, registeredPack, registration } from './fixtures.js';

describe('poll$ (defaults: the same as a Pack’s)', () => {
  let scheduler: TestScheduler;
  const pack = registeredPack('p1');

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** A take whose n-th call answers `answer(n)` after 5 ms; logs when each call was made. */
  function takes(answer: (n: number) => 'a' | 'n') {
    const times: number[] = [];
    const take: PollDeps['take'] = () => {
      const n = times.length;
      times.push(scheduler.now());
      return scheduler.createColdObservable<Action | null>(`5ms ${answer(n)}|`, {
        a: anAction(String(n)),
        n: null,
      });
    };
    return { take, times };
  }

  it('with burst and maxTakesInFlight left out, polls soon after activity as a Pack does', () => {
    const { take, times } = takes((n) => (n === 0 ? 'a' : 'n'));
    const deps: PollDeps = {
      registration$: new BehaviorSubject<Registration>(registration(pack)),
      take,
      slots: new SlotLedger(10),
      pollInterval: PACK_DEFAULTS.polling.interval,
    };
    scheduler.run(() => {
      const subscription = poll$(deps, scheduler).subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 1000);
    });
    // The action at 5, taken again at once; empty at 10: the next take `burst.first` later.
    const { first } = PACK_DEFAULTS.polling.burst;
    expect(times.slice(0, 3)).toEqual([0, 5, 10 + first]);
  });

  it('with maxTakesInFlight left out, opens more than one take in flight on a backlog', () => {
    const { take } = takes(() => 'a');
    let most = 0;
    let inFlight = 0;
    const counting: PollDeps['take'] = (p, c) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      return take(p, c).pipe(tap(() => (inFlight -= 1))); // answered: no longer in flight
    };
    const slots = new SlotLedger(10);
    scheduler.run(() => {
      const subscription = poll$(
        {
          registration$: new BehaviorSubject<Registration>(registration(pack)),
          take: counting,
          slots,
          pollInterval: 1000,
        },
        scheduler,
      ).subscribe((o) => o.action && slots.settle(o.action));
      scheduler.schedule(() => subscription.unsubscribe(), 500);
    });
    expect(most).toBeGreaterThan(1);
  });
});
