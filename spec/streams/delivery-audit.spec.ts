import { BehaviorSubject, map, type Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Action, WireEvent } from '../../lib/model/wire-types.js';
import {
  HttpError,
  InvalidResponseError,
  NetworkError,
  UnauthorizedError,
} from '../../lib/model/errors.js';
import { isRecoveredElsewhereError } from '../../lib/model/recovered-elsewhere-error.js';
import { deliverOne$, type DeliveryDeps } from '../../lib/streams/delivery.js';
import { BARE_500S_FOR_LANDING } from '../../lib/streams/delivery-policy.js';
import type { DeliveryReport, OutboxItem } from '../../lib/model/outbox-item.js';
import { anAction, registeredPack, registration, spyLogger } from './fixtures.js';

describe('delivery after a lost answer: the audit decides (actionState)', () => {
  let scheduler: TestScheduler;
  const taken = anAction('7');
  const recovered: Action = {
    ...anAction('8'),
    recovered: {
      strandedFor: 60_000,
      pendingSince: '2024-05-01T09:59:00.000Z',
      correlationId: 'c8',
    },
  };
  const wire: WireEvent = {
    event: 'Done',
    payload: { x: 1 },
    createdAt: '2024-05-01T10:00:00.000Z',
  };
  const item = (action: Action): OutboxItem => ({ kind: 'result', action, event: wire });
  const bare500 = new HttpError({ method: 'POST', url: taken.resultUrl, status: 500 });
  const drop = new NetworkError('socket hang up');
  const end = (r: DeliveryReport) => r.end;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Deps whose posts answer `replies` in turn (the last repeats); counts audit and health asks. */
  function deps(
    replies: Observable<void>[],
    state?: (action: Action) => Observable<string | null>,
    health: () => Observable<void> = () => of(undefined),
  ) {
    let i = 0;
    const asked: Action[] = [];
    let checks = 0;
    const d: DeliveryDeps = {
      api: {
        completeAction: () => replies[Math.min(i++, replies.length - 1)]!,
        postEvent: () => of(undefined),
        health: () => (checks++, health()),
      },
      registration$: new BehaviorSubject(registration(registeredPack('p1'))),
      backoff: { initialDelay: 10, random: () => 0.5 },
      logger: spyLogger(),
      ...(state && { actionState: (a: Action) => (asked.push(a), state(a)) }),
    };
    return { d, posts: () => i, asked, checks: () => checks };
  }

  it('a drop, then a bare 500, and the audit shows SUCCESS: verified, no more posts', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { d, posts, asked } = deps(
        [cold('-#', undefined, drop), cold('-#', undefined, bare500)],
        () => cold('--(s|)', { s: 'SUCCESS' }),
      );
      // drop at 1, wait 5, bare 500 at 7, the audit answers at 9
      expectObservable(deliverOne$(item(taken), d, scheduler).pipe(map(end))).toBe('9ms (v|)', {
        v: 'verified',
      });
      scheduler.flush();
      expect(posts()).toBe(2);
      expect(asked).toEqual([taken]);
    });
  });

  it('FATAL in the audit also means it landed', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { d } = deps([cold('-#', undefined, drop), cold('-#', undefined, bare500)], () =>
        of('FATAL'),
      );
      expectObservable(deliverOne$(item(taken), d, scheduler).pipe(map(end))).toBe('7ms (v|)', {
        v: 'verified',
      });
    });
  });

  it('PENDING in the audit: it did not land, posted again until accepted', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { d, asked } = deps(
        [
          cold('-#', undefined, drop),
          cold('-#', undefined, bare500),
          cold('-#', undefined, bare500),
          cold('-(a|)', { a: undefined }),
        ],
        () => of('PENDING'),
      );
      // posts at 0, 6, 17 (waits 5, 10), 38 (wait 20): accepted at 39
      expectObservable(deliverOne$(item(taken), d, scheduler).pipe(map(end))).toBe('39ms (d|)', {
        d: 'delivered',
      });
      scheduler.flush();
      expect(asked.length).toBe(2); // every bare 500 after the drop is asked about
    });
  });

  it(`${BARE_500S_FOR_LANDING} bare 500s and more with NO ambiguous attempt before them and a healthy server never infer a landing, nor ask the audit (finding 10)`, () => {
    scheduler.run(({ cold, hot }) => {
      const { d, posts, asked, checks } = deps([cold('-#', undefined, bare500)], () => of(null));
      let report: DeliveryReport | undefined;
      deliverOne$(item(taken), { ...d, deadline$: hot('100s d') }, scheduler).subscribe(
        (r) => (report = r),
      );
      scheduler.flush();
      expect(posts()).toBeGreaterThan(2 * BARE_500S_FOR_LANDING);
      expect(asked).toEqual([]);
      expect(checks()).toBe(0);
      expect(report?.end).toBe('given-up');
    });
  });

  for (const [name, answer] of [
    [
      'refused (403)',
      () => new HttpError({ method: 'GET', url: 'http://flyte/v1/audit/flows', status: 403 }),
    ],
    [
      'refused (401)',
      () =>
        new UnauthorizedError({ method: 'GET', url: 'http://flyte/v1/audit/flows', status: 401 }),
    ],
    [
      'unreadable',
      () =>
        new InvalidResponseError('"flows" must be an array', {
          url: 'http://flyte/v1/audit/flows',
        }),
    ],
  ] as const) {
    it(`an audit ${name}: inference, with the health link asked before EVERY counted bare 500 (finding 3)`, () => {
      scheduler.run(({ cold, expectObservable }) => {
        const { d, asked, checks } = deps(
          [cold('-#', undefined, drop), cold('-#', undefined, bare500)],
          () => cold('-#', undefined, answer()),
        );
        const report$ = deliverOne$(item(taken), d, scheduler);
        expectObservable(report$.pipe(map(end))).toBe('323ms (i|)', {
          i: 'inferred',
        });
        scheduler.flush();
        expect(asked.length).toBe(1); // refused or unreadable once: not asked again
        expect(checks()).toBe(BARE_500S_FOR_LANDING);
      });
    });
  }

  it('without the audit, a health check that fails between bare 500s starts the count again: no landing from an outage (finding 3)', () => {
    scheduler.run(({ cold, hot }) => {
      let n = 0;
      // healthy, except every 4th check
      const { d } = deps(
        [cold('-#', undefined, drop), cold('-#', undefined, bare500)],
        () => of(null),
        () =>
          ++n % 4 === 0
            ? cold<void>('-#', undefined, new Error('500'))
            : cold('-(a|)', { a: undefined }),
      );
      let report: DeliveryReport | undefined;
      deliverOne$(item(taken), { ...d, deadline$: hot('100s d') }, scheduler).subscribe(
        (r) => (report = r),
      );
      scheduler.flush();
      expect(report?.end).toBe('given-up');
    });
  });

  it('an audit that fails for now (network) is asked again at the next bare 500', () => {
    scheduler.run(({ cold, expectObservable }) => {
      let n = 0;
      const { d, asked } = deps(
        [cold('-#', undefined, drop), cold('-#', undefined, bare500)],
        () =>
          n++ === 0
            ? cold<string | null>('-#', undefined, new NetworkError('audit down'))
            : of('SUCCESS'),
      );
      // bare 500 at 7, audit fails at 8, wait 10, bare 500 at 19: verified
      expectObservable(deliverOne$(item(taken), d, scheduler).pipe(map(end))).toBe('19ms (v|)', {
        v: 'verified',
      });
      scheduler.flush();
      expect(asked.length).toBe(2);
    });
  });

  it('a recovered action completed by another client: recovered-elsewhere at the first bare 500, not a loss', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { d } = deps([cold('-#', undefined, bare500)], () => cold('--(s|)', { s: 'SUCCESS' }));
      const report$ = deliverOne$(item(recovered), d, scheduler);
      expectObservable(report$.pipe(map(end))).toBe('---(e|)', { e: 'recovered-elsewhere' });
      let report: DeliveryReport | undefined;
      report$.subscribe((r) => (report = r));
      scheduler.flush();
      const elsewhere = report?.end === 'recovered-elsewhere' ? report.elsewhere : undefined;
      expect(isRecoveredElsewhereError(elsewhere)).toBeTrue();
      expect(elsewhere?.actionId).toBe('8');
      expect(elsewhere?.state).toBe('SUCCESS');
      expect(elsewhere?.event).toEqual(wire);
      expect(d.logger?.info).toHaveBeenCalledWith(
        jasmine.stringMatching(/recovered elsewhere/),
        jasmine.anything(),
      );
    });
  });

  it('other failures never ask the audit', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const down = new HttpError({ method: 'POST', url: recovered.resultUrl, status: 503 });
      const { d, asked } = deps(
        [cold('-#', undefined, down), cold('-(a|)', { a: undefined })],
        () => of('SUCCESS'),
      );
      expectObservable(deliverOne$(item(recovered), d, scheduler).pipe(map(end))).toBe('7ms (d|)', {
        d: 'delivered',
      });
      scheduler.flush();
      expect(asked).toEqual([]);
    });
  });

  it('a 408 on a post is retried, not refused (finding 10)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const timeout408 = new HttpError({ method: 'POST', url: taken.resultUrl, status: 408 });
      const { d, posts } = deps([
        cold('-#', undefined, timeout408),
        cold('-(a|)', { a: undefined }),
      ]);
      expectObservable(deliverOne$(item(taken), d, scheduler).pipe(map(end))).toBe('7ms (d|)', {
        d: 'delivered',
      });
      scheduler.flush();
      expect(posts()).toBe(2);
    });
  });
});
