import { BehaviorSubject, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HttpError, NetworkError } from '../../lib/model/errors.js';
import type { DeliveryReport, OutboxItem } from '../../lib/model/outbox-item.js';
import type { Action, WireEvent } from '../../lib/model/wire-types.js';
import { SlotLedger } from '../../lib/streams/slot-ledger.js';
import { deliver, deliverOne$, type DeliveryDeps } from '../../lib/streams/delivery.js';
import { dispatch, runAction$ } from '../../lib/streams/dispatch.js';
import { poll$ } from '../../lib/streams/polling.js';
import type { Registration } from '../../lib/streams/registration.js';
import { anAction, command, ok, registeredPack, registration } from './fixtures.js';

describe('durations on the streams', () => {
  let scheduler: TestScheduler;
  const pack = registeredPack('p1');

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  describe("an action result's handlerMs", () => {
    const a = anAction('7');
    const timing = map(
      (r: { outcome: string; handlerMs: number }) => `${r.outcome}:${r.handlerMs}`,
    );

    it('is the time from the handler start to its event, on the scheduler', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const handler = () => cold('5ms e|', { e: ok() });
        const run$ = runAction$(a, { commands: [command({ handler })] }, scheduler);
        expectObservable(run$.pipe(timing)).toBe('5ms (r|)', { r: 'success:5' });
      });
    });

    it('runs to the FATAL that ends a handler past its timeout', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const handler = () => cold('10ms e|', { e: ok() });
        const run$ = runAction$(a, { commands: [command({ handler, timeout: 4 })] }, scheduler);
        expectObservable(run$.pipe(timing)).toBe('4ms (r|)', { r: 'fatal:4' });
      });
    });

    it('is 0 when no handler ran (an unknown command)', () => {
      scheduler.run(({ expectObservable }) => {
        const run$ = runAction$(anAction('8', 'Nope'), { commands: [command({})] }, scheduler);
        expectObservable(run$.pipe(timing)).toBe('(r|)', { r: 'fatal:0' });
      });
    });

    it('counts from when the handler starts, not from when the action arrived and waited its turn', () => {
      scheduler.run(({ cold, hot, expectObservable }) => {
        const work = cold('---e|', { e: ok() });
        const actions = hot('ab|', { a: anAction('a'), b: anAction('b') });
        const results$ = actions.pipe(
          dispatch({ commands: [command({ handler: () => work })], concurrency: 1 }, scheduler),
          map((r) => `${r.action.id}:${r.handlerMs}`),
        );
        expectObservable(results$).toBe('---a--(b|)', { a: 'a:3', b: 'b:3' });
      });
    });

    it('is set on a recovered action too', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const recovered: Action = {
          ...a,
          recovered: {
            strandedFor: 60_000,
            pendingSince: '2024-05-01T10:00:00Z',
            correlationId: 'c1',
          },
        };
        const handler = () => cold('2ms e|', { e: ok() });
        const run$ = runAction$(recovered, { commands: [command({ handler })] }, scheduler);
        expectObservable(
          run$.pipe(map((r) => `${r.recovered === true}:${r.outcome}:${r.handlerMs}`)),
        ).toBe('2ms (r|)', { r: 'true:success:2' });
      });
    });
  });

  describe("a poll outcome's ms", () => {
    it('is how long the take took, whatever it brought', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const answers: Observable<Action | null>[] = [
          cold('---a|', { a: anAction('1') }),
          cold('-n|', { n: null }),
          cold<Action | null>('--#', undefined, new NetworkError('socket hang up')),
        ];
        let i = 0;
        const outcomes$ = poll$(
          {
            registration$: new BehaviorSubject<Registration>(registration(pack)),
            take: () => answers[Math.min(i++, answers.length - 1)],
            slots: new SlotLedger(5),
            pollInterval: 10,
            maxTakesInFlight: 1,
            burst: false,
            backoff: { initialDelay: 10, random: () => 0.5 },
          },
          scheduler,
        );
        // action at 3 (taken again at once), empty at 4, wait 10, error at 16
        expectObservable(
          outcomes$.pipe(map((o) => `${o.kind}:${o.time}:${o.ms}`)),
          '^ 20ms !',
        ).toBe('---ae 11ms x', { a: 'action:3:3', e: 'empty:4:1', x: 'error:16:2' });
      });
    });
  });

  describe("a delivery report's attempts and ms", () => {
    const a = anAction('7');
    const wire: WireEvent = {
      event: 'Done',
      payload: { x: 1 },
      createdAt: '2024-05-01T10:00:00.000Z',
    };
    const result: OutboxItem = { kind: 'result', action: a, event: wire };
    const http = (status: number, retryAfterMs?: number) =>
      new HttpError({ method: 'POST', url: a.resultUrl, status, retryAfterMs });
    const summary = (r: DeliveryReport) =>
      `${r.end === 'given-up' ? 'failed' : 'delivered'} attempts=${r.attempts} ms=${r.ms} time=${r.time}`;

    function deps(...replies: Observable<void>[]): DeliveryDeps {
      let i = 0;
      const next = () => replies[Math.min(i++, replies.length - 1)];
      return {
        api: { completeAction: () => next(), postEvent: () => next() },
        registration$: new BehaviorSubject(registration(pack)),
        backoff: { initialDelay: 10, random: () => 0.5 }, // waits 5, 10, 20, ...
      };
    }

    it('counts the posts of a retried result and the time from the first to the acceptance', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const down = cold<void>('-#', undefined, http(503));
        const up = cold('-a|', { a: undefined });
        // posts at 0, 6 and 17; accepted at 18
        expectObservable(
          deliverOne$(result, deps(down, down, up), scheduler).pipe(map(summary)),
        ).toBe('18ms (d|)', { d: 'delivered attempts=3 ms=18 time=18' });
      });
    });

    it('counts a post retried after Retry-After although it spends no budget', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const slowDown = cold<void>('-#', undefined, http(429, 100));
        const up = cold('-a|', { a: undefined });
        const deps1 = { ...deps(slowDown, up), attempts: 1 };
        expectObservable(deliverOne$(result, deps1, scheduler).pipe(map(summary))).toBe(
          '102ms (d|)',
          { d: 'delivered attempts=2 ms=102 time=102' },
        );
      });
    });

    it('counts from the first post, not from the time the item waited its turn in the outbox', () => {
      scheduler.run(({ cold, hot, expectObservable }) => {
        const slow = cold('----a|', { a: undefined });
        const items = hot('ab', {
          a: result,
          b: { kind: 'result', action: anAction('8'), event: wire } as OutboxItem,
        });
        const reports$ = items.pipe(
          deliver({ ...deps(slow), concurrency: 1 }, scheduler),
          map((r) => (r.item.kind === 'result' ? `${r.item.action.id} ${summary(r)}` : '')),
        );
        expectObservable(reports$).toBe('----a---b', {
          a: '7 delivered attempts=1 ms=4 time=4',
          b: '8 delivered attempts=1 ms=4 time=8',
        });
      });
    });

    it('counts the posts of the FATAL that answered a refused result with those of the result', () => {
      let report: DeliveryReport | undefined;
      scheduler.run(({ cold }) => {
        const refused = cold<void>('-#', undefined, http(422));
        const accepted = cold('--a|', { a: undefined });
        deliverOne$(result, deps(refused, accepted), scheduler).subscribe((r) => (report = r));
      });
      expect(report?.end).toBe('replaced-by-fatal');
      expect(report?.end === 'replaced-by-fatal' && report.replacement.event).toBe('FATAL');
      expect(report?.attempts).toBe(2);
      expect(report?.ms).toBe(3);
    });

    it('is 0 posts and 0 ms for an event given up before any post', () => {
      let report: DeliveryReport | undefined;
      scheduler.run(({ cold }) => {
        const item: OutboxItem = { kind: 'event', event: wire };
        const never = {
          ...deps(cold('-a|', { a: undefined })),
          registration$: cold<Registration>('-'),
        };
        const deadline$ = cold('5ms x', { x: 0 });
        deliverOne$(item, { ...never, deadline$ }, scheduler).subscribe((r) => (report = r));
      });
      expect(report?.end).toBe('given-up');
      expect(report?.attempts).toBe(0);
      expect(report?.ms).toBe(0);
      expect(report?.time).toBe(5);
    });
  });
});
