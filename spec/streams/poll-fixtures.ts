// What the poll$ specs share: the deps of a take loop, a take answering in turn, one letter per outcome.
import { BehaviorSubject, map, type Observable } from 'rxjs';
import type { PollOutcome } from '../../lib/model/outcomes.js';
import type { Action, RegisteredPack } from '../../lib/model/wire-types.js';
import { SlotLedger } from '../../lib/streams/slot-ledger.js';
import type { PollDeps } from '../../lib/streams/polling.js';
import type { Registration } from '../../lib/streams/registration.js';
import { registration } from './fixtures.js';

/**
 * poll$'s deps for `pack`: 5 slots, a 10 ms interval, one take in flight, no burst polling, and
 * a take that must not be called.
 */
export function pollDeps(pack: RegisteredPack, overrides: Partial<PollDeps>): PollDeps {
  return {
    registration$: new BehaviorSubject<Registration>(registration(pack)),
    take: () => {
      throw new Error('no take expected');
    },
    slots: new SlotLedger(5),
    pollInterval: 10,
    maxTakesInFlight: 1,
    burst: false,
    ...overrides,
  };
}

/** A take that answers with each observable in turn (the last one again and again). */
export function takesInTurn(...answers: Observable<Action | null>[]): PollDeps['take'] {
  let i = 0;
  return () => answers[Math.min(i++, answers.length - 1)]!;
}

/** One marble letter per outcome: a(ction), e(mpty), c(ontention), x (error). */
export const pollKinds = (outcomes$: Observable<PollOutcome>): Observable<string> =>
  outcomes$.pipe(map((o) => ({ action: 'a', empty: 'e', contention: 'c', error: 'x' })[o.kind]));
