import { BehaviorSubject, map, type Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Action, WireEvent } from '../../lib/model/wire-types.js';
import { HttpError } from '../../lib/model/errors.js';
import { isRecoveredElsewhereError } from '../../lib/model/recovered-elsewhere-error.js';
import { deliverOne$, type DeliveryDeps } from '../../lib/streams/delivery.js';
import type { DeliveryReport, OutboxItem } from '../../lib/model/outbox-item.js';
import { anAction, registeredPack, registration, spyLogger } from './fixtures.js';

describe('delivering the result of a recovered action (the completedElsewhere hook)', () => {
  let scheduler: TestScheduler;
  const recovered: Action = {
    ...anAction('7'),
    recovered: {
      strandedFor: 60_000,
      pendingSince: '2024-05-01T09:59:00.000Z',
      correlationId: 'c7',
    },
  };
  const wire: WireEvent = {
    event: 'Done',
    payload: { x: 1 },
    createdAt: '2024-05-01T10:00:00.000Z',
  };
  const item = (action: Action): OutboxItem => ({ kind: 'result', action, event: wire });
  const bare500 = new HttpError({ method: 'POST', url: recovered.resultUrl, status: 500 });
  const outcome = (r: DeliveryReport) =>
    r.elsewhere
      ? `elsewhere ${r.elsewhere.state}`
      : r.error
        ? 'failed'
        : r.inferred
          ? 'inferred'
          : 'delivered';

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  function deps(
    replies: Observable<void>[],
    completedElsewhere: DeliveryDeps['completedElsewhere'],
  ): DeliveryDeps & { posts: () => number; asked: Action[] } {
    let i = 0;
    const asked: Action[] = [];
    return {
      api: {
        completeAction: () => replies[Math.min(i++, replies.length - 1)]!,
        postEvent: () => of(undefined),
      },
      registration$: new BehaviorSubject(registration(registeredPack('p1'))),
      backoff: { initialDelay: 10, random: () => 0.5 },
      logger: spyLogger(),
      completedElsewhere: completedElsewhere && ((a) => (asked.push(a), completedElsewhere(a))),
      posts: () => i,
      asked,
    };
  }

  it('a bare 500 whose action the audit shows completed: reported "recovered elsewhere", not retried, not a loss', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const d = deps([cold('-#', undefined, bare500)], () => cold('--(s|)', { s: 'SUCCESS' }));
      const report$ = deliverOne$(item(recovered), d, scheduler);
      expectObservable(report$.pipe(map(outcome))).toBe('---(e|)', { e: 'elsewhere SUCCESS' });
      let report: DeliveryReport | undefined;
      report$.subscribe((r) => (report = r));
      scheduler.flush();
      expect(d.posts()).toBe(2); // one per subscription
      expect(d.asked).toEqual([recovered, recovered]);
      expect(isRecoveredElsewhereError(report?.elsewhere)).toBeTrue();
      expect(report?.error).toBeUndefined();
      expect(report?.elsewhere?.actionId).toBe('7');
      expect(report?.elsewhere?.event).toEqual(wire);
      expect(d.logger?.info).toHaveBeenCalledWith(
        jasmine.stringMatching(/recovered elsewhere/),
        jasmine.anything(),
      );
    });
  });

  it('a bare 500 while the audit still shows it PENDING: the usual policy, retried until accepted', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const d = deps([cold('-#', undefined, bare500), cold('-(a|)', { a: undefined })], () =>
        of(null),
      );
      expectObservable(deliverOne$(item(recovered), d, scheduler).pipe(map(outcome))).toBe(
        '7ms (d|)',
        {
          d: 'delivered',
        },
      );
    });
  });

  it('an audit that fails is no proof either: the usual policy', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const d = deps([cold('-#', undefined, bare500), cold('-(a|)', { a: undefined })], () =>
        cold('-#', undefined, new Error('audit down')),
      );
      expectObservable(deliverOne$(item(recovered), d, scheduler).pipe(map(outcome))).toBe(
        '8ms (d|)',
        {
          d: 'delivered',
        },
      );
    });
  });

  it('the hook answering undefined (a taken action) keeps the policy: no audit read', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const taken = anAction('8');
      const d = deps(
        [cold('-#', undefined, bare500), cold('-(a|)', { a: undefined })],
        () => undefined,
      );
      expectObservable(deliverOne$(item(taken), d, scheduler).pipe(map(outcome))).toBe('7ms (d|)', {
        d: 'delivered',
      });
      scheduler.flush();
      expect(d.asked).toEqual([taken]);
    });
  });

  it('other failures never ask the hook', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const down = new HttpError({ method: 'POST', url: recovered.resultUrl, status: 503 });
      const d = deps([cold('-#', undefined, down), cold('-(a|)', { a: undefined })], () =>
        of('SUCCESS'),
      );
      expectObservable(deliverOne$(item(recovered), d, scheduler).pipe(map(outcome))).toBe(
        '7ms (d|)',
        {
          d: 'delivered',
        },
      );
      scheduler.flush();
      expect(d.asked).toEqual([]);
    });
  });
});
