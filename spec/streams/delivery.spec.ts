import { BehaviorSubject, map, type Observable, ReplaySubject, shareReplay, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { RegisteredPack, WireEvent } from '../../lib/model/wire-types.js';
import type { Registration } from '../../lib/streams/registration.js';
import {
  HttpError,
  isDeliveryError,
  isInferredDeliveryError,
  NetworkError,
  PackNotFoundError,
  TimeoutError,
  UnauthorizedError,
} from '../../lib/model/errors.js';
import { deliverOne$, type DeliveryDeps } from '../../lib/streams/delivery.js';
import { BARE_500S_FOR_LANDING } from '../../lib/streams/delivery-policy.js';
import { deliver } from '../../lib/streams/delivery.js';
import type { DeliveryReport, OutboxItem } from '../../lib/model/outbox-item.js';
import { anAction, registeredPack, spyLogger, registration } from './fixtures.js';

describe('the outbox', () => {
  let scheduler: TestScheduler;
  const pack = registeredPack('p1');
  const a = anAction('7');
  const wire: WireEvent = {
    event: 'Done',
    payload: { x: 1 },
    createdAt: '2024-05-01T10:00:00.000Z',
  };
  const result: OutboxItem = { kind: 'result', action: a, event: wire };
  const spontaneous: OutboxItem = { kind: 'event', event: { ...wire, event: 'Seen' } };
  const http = (status: number, Type = HttpError) =>
    new Type({ method: 'POST', url: a.resultUrl, status });
  const outcome = (r: DeliveryReport) =>
    r.end === 'given-up'
      ? `failed: ${r.error.message}`
      : r.end === 'verified'
        ? 'verified'
        : 'delivered';
  const errorOf = (r?: DeliveryReport) => (r?.end === 'given-up' ? r.error : undefined);
  const inferredOf = (r?: DeliveryReport) => (r?.end === 'inferred' ? r.inferred : undefined);

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Answers each post with the next observable (the last one repeats). */
  function answers(...replies: Observable<void>[]) {
    let i = 0;
    const calls: { pack?: RegisteredPack; event: WireEvent }[] = [];
    const next = () => replies[Math.min(i++, replies.length - 1)];
    const api: DeliveryDeps['api'] = {
      completeAction: (_action, event) => (calls.push({ event }), next()),
      postEvent: (p, event) => (calls.push({ pack: p, event }), next()),
    };
    return { api, calls };
  }

  function deps(api: DeliveryDeps['api'], overrides: Partial<DeliveryDeps> = {}): DeliveryDeps {
    return {
      api,
      registration$: new BehaviorSubject(registration(pack)),
      backoff: { initialDelay: 10, random: () => 0.5 }, // waits 5, 10, 20, ...
      ...overrides,
    };
  }

  it('hears its deadline once for the whole delivery, not once per step (issue 22: it runs for every result)', () => {
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const down = cold<void>('-#', undefined, http(503));
      const up = cold('-a|', { a: undefined });
      const deadline$ = hot<void>('1s d');
      const { api } = answers(down, down, up);
      expectObservable(
        deliverOne$(result, deps(api, { deadline$ }), scheduler).pipe(map(outcome)),
      ).toBe('18ms (d|)', { d: 'delivered' });
      expectSubscriptions(deadline$.subscriptions).toBe('^-----------------!');
    });
  });

  it('posts with the registration known at once, never subscribing to the registrations (issue 22: once per post otherwise)', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const registration$ = cold<Registration>('r', { r: registration(pack) });
      const down = cold<void>('-#', undefined, http(503));
      const up = cold('-a|', { a: undefined });
      const { api, calls } = answers(down, up);
      const latest = () => registration(pack);
      expectObservable(
        deliverOne$(spontaneous, deps(api, { registration$, latest }), scheduler).pipe(
          map(outcome),
        ),
      ).toBe('7ms (d|)', { d: 'delivered' });
      scheduler.flush();
      expect(calls.map((c) => c.pack)).toEqual([pack, pack]);
      expectSubscriptions(registration$.subscriptions).toBe([]);
    });
  });

  it('posts a result until the server accepts it, backing off between attempts', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const down = cold<void>('-#', undefined, http(503));
      const up = cold('-a|', { a: undefined });
      const { api, calls } = answers(down, down, up);
      expectObservable(deliverOne$(result, deps(api), scheduler).pipe(map(outcome))).toBe(
        '18ms (d|)',
        { d: 'delivered' },
      );
      expectSubscriptions(down.subscriptions).toBe(['^!', '6ms ^!']);
      expectSubscriptions(up.subscriptions).toBe('17ms ^!');
      scheduler.flush();
      expect(calls.map((c) => c.event)).toEqual([wire, wire, wire]);
    });
  });

  // Only a value of the deadline means "stop now"; a deadline stream that merely ends (a
  // pack torn down without a stop) must not end a delivery without a report.
  it('goes on posting when its deadline stream ends without a value', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const down = cold<void>('-#', undefined, http(503));
      const up = cold('-a|', { a: undefined });
      const { api } = answers(down, up);
      const over = deps(api, { deadline$: cold('--|') });
      expectObservable(deliverOne$(result, over, scheduler).pipe(map(outcome))).toBe('7ms (d|)', {
        d: 'delivered',
      });
    });
  });

  it('refuses an event for good on 400 or 401: one attempt, a DeliveryError with the event, logged with it', () => {
    for (const refusal of [http(400), http(401, UnauthorizedError)]) {
      scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
      const logger = spyLogger();
      let report: DeliveryReport | undefined;
      scheduler.run(({ cold, expectSubscriptions }) => {
        const refused = cold<void>('-#', undefined, refusal);
        deliverOne$(spontaneous, deps(answers(refused).api, { logger }), scheduler).subscribe(
          (r) => (report = r),
        );
        expectSubscriptions(refused.subscriptions).toBe('^!');
      });
      expect(isDeliveryError(errorOf(report))).toBe(true);
      expect(errorOf(report)?.message).toContain('the server refused the event "Seen"');
      expect(errorOf(report)?.event).toEqual(spontaneous.event);
      expect(errorOf(report)?.cause).toBe(refusal);
      expect(logger.error).toHaveBeenCalledWith(errorOf(report)?.message as string, {
        event: spontaneous.event,
      });
    }
  });

  it('answers a result refused for good (400, 401, 403, 422) with a FATAL event saying so, and reports the refusal', () => {
    for (const refusal of [http(400), http(401, UnauthorizedError), http(403), http(422)]) {
      scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
      let report: DeliveryReport | undefined;
      const { api, calls } = answers(
        new TestScheduler(() => undefined).createColdObservable<void>('-#', undefined, refusal),
      );
      scheduler.run(({ cold }) => {
        const refused = cold<void>('-#', undefined, refusal);
        const accepted = cold('-a|', { a: undefined });
        let n = 0;
        const twoAnswers: DeliveryDeps['api'] = {
          completeAction: (action, event) =>
            n++ === 0 ? api.completeAction(action, event) && refused : accepted,
          postEvent: api.postEvent,
        };
        deliverOne$(result, deps(twoAnswers), scheduler).subscribe((r) => (report = r));
      });
      expect(calls.length).toBe(1);
      expect(report?.end).toBe('replaced-by-fatal');
      const reported = report?.end === 'replaced-by-fatal' ? report.refusal : undefined;
      expect(reported?.event).toEqual(wire);
      expect(reported?.actionId).toBe('7');
      expect(reported?.message).toContain('answering the action with FATAL instead');
    }
  });

  it('posts FATAL with reason "refused", the status and the event name, after a refused result', () => {
    const posted: WireEvent[] = [];
    scheduler.run(({ cold }) => {
      const api: DeliveryDeps['api'] = {
        completeAction: (_a, event) => (
          posted.push(event),
          posted.length === 1
            ? cold<void>(
                '-#',
                undefined,
                new HttpError({
                  method: 'POST',
                  url: a.resultUrl,
                  status: 422,
                  body: 'bad\npayload',
                }),
              )
            : cold('-a|', { a: undefined })
        ),
        postEvent: () => cold('-a|', { a: undefined }),
      };
      deliverOne$(result, deps(api), scheduler).subscribe();
    });
    expect(posted.map((e) => e.event)).toEqual(['Done', 'FATAL']);
    expect(posted[1].payload).toEqual(
      jasmine.objectContaining({
        reason: 'refused',
        actionId: '7',
        refused: { event: 'Done', status: 422, body: 'bad\\npayload' },
      }),
    );
  });

  it('reports the original result when its FATAL answer is refused too', () => {
    let report: DeliveryReport | undefined;
    scheduler.run(({ cold }) => {
      const { api, calls } = answers(cold<void>('-#', undefined, http(400)));
      deliverOne$(result, deps(api), scheduler).subscribe((r) => (report = r));
      scheduler.flush();
      expect(calls.map((c) => c.event.event)).toEqual(['Done', 'FATAL']);
    });
    expect(report?.end).toBe('given-up');
    expect(errorOf(report)?.event).toEqual(wire);
    expect(errorOf(report)?.message).toMatch(
      /FATAL instead, which failed too: the server refused the result "FATAL"/,
    );
  });

  it('gives up an event after `eventAttempts` attempts with a DeliveryError', () => {
    let report: DeliveryReport | undefined;
    scheduler.run(({ cold, expectSubscriptions }) => {
      const down = cold<void>('-#', undefined, http(500));
      deliverOne$(spontaneous, deps(answers(down).api, { eventAttempts: 3 }), scheduler).subscribe(
        (r) => (report = r),
      );
      expectSubscriptions(down.subscriptions).toBe(['^!', '6ms ^!', '17ms ^!']);
    });
    expect(errorOf(report)?.message).toBe(
      'gave up delivering the event "Seen" after 3 attempts: POST http://flyte/v1/packs/p1/actions/7/result answered 500',
    );
  });

  /** `deps` whose server health answers with `health` (one cold observable per check). */
  function withHealth(api: DeliveryDeps['api'], health: () => Observable<void>) {
    let checks = 0;
    return { api: { ...api, health: () => (checks++, health()) }, checks: () => checks };
  }

  it('never takes one bare 500 after a lost answer for a landing: a store outage keeps it retrying (finding 1)', () => {
    let report: DeliveryReport | undefined;
    scheduler.run(({ cold }) => {
      const storeDown = cold<void>('-#', undefined, http(500));
      const { api, calls } = answers(
        cold<void>('-#', undefined, new TimeoutError({ timeoutMs: 10 })),
        storeDown,
        storeDown,
        cold('-a|', { a: undefined }),
      );
      const sick = withHealth(api, () => cold<void>('-#', undefined, http(500)));
      deliverOne$(result, deps(sick.api), scheduler).subscribe((r) => (report = r));
      scheduler.flush();
      expect(calls.length).toBe(4);
      expect(sick.checks()).toBe(2);
    });
    expect(errorOf(report)).toBeUndefined();
    expect(inferredOf(report)).toBeUndefined();
  });

  it('without the audit or a health check, a result answered bare 500s after a lost answer is posted until the deadline, never assumed landed', () => {
    let report: DeliveryReport | undefined;
    scheduler.run(({ cold, hot }) => {
      const { api, calls } = answers(
        cold<void>('-#', undefined, new NetworkError('socket hang up')),
        cold<void>('-#', undefined, http(500)),
      );
      const deadline$ = hot('10s d');
      deliverOne$(result, deps(api, { deadline$ }), scheduler).subscribe((r) => (report = r));
      scheduler.flush();
      expect(calls.length).toBeGreaterThan(BARE_500S_FOR_LANDING + 1);
    });
    expect(report?.end).toBe('given-up');
    expect(errorOf(report)?.message).toMatch(/^the pack stopped before the result "Done"/);
  });

  it('infers a landing only from BARE_500S_FOR_LANDING bare 500s in a row around a healthy server after a lost answer: an InferredDeliveryError, logged', () => {
    const logger = spyLogger();
    let report: DeliveryReport | undefined;
    scheduler.run(({ cold, expectObservable }) => {
      const notPending = cold<void>('-#', undefined, http(500));
      const { api } = answers(
        cold<void>('-#', undefined, new NetworkError('socket hang up')),
        notPending,
      );
      const healthy = withHealth(api, () => cold('-a|', { a: undefined }));
      const report$ = deliverOne$(result, deps(healthy.api, { logger }), scheduler).pipe(
        tap((r) => (report = r)),
      );
      // drop at 1, wait 5, bare 500 at 7, health 200 at 8, then five more bare 500s, each
      // asking health (1 ms), after backoff waits of 10, 20, 40, 80, 160 ms
      expectObservable(
        report$.pipe(map((r) => (r.end === 'inferred' ? 'inferred' : outcome(r)))),
      ).toBe('328ms (i|)', { i: 'inferred' });
    });
    expect(errorOf(report)).toBeUndefined();
    expect(isInferredDeliveryError(inferredOf(report))).toBe(true);
    expect(inferredOf(report)?.actionId).toBe('7');
    expect(inferredOf(report)?.event).toEqual(wire);
    expect(logger.warn).toHaveBeenCalledWith(
      jasmine.stringMatching(
        /^the result "Done" of action 7 \(command "Rota"\) most likely landed/,
      ),
      { event: wire, actionId: '7' },
    );
  });

  it('keeps retrying through fewer bare 500s in a row than BARE_500S_FOR_LANDING, even with a healthy server', () => {
    let report: DeliveryReport | undefined;
    scheduler.run(({ cold }) => {
      const bare = cold<void>('-#', undefined, http(500));
      const { api, calls } = answers(
        cold<void>('-#', undefined, new NetworkError('socket hang up')),
        ...Array.from({ length: BARE_500S_FOR_LANDING - 1 }, () => bare),
        cold('-a|', { a: undefined }),
      );
      const healthy = withHealth(api, () => cold('-a|', { a: undefined }));
      deliverOne$(result, deps(healthy.api), scheduler).subscribe((r) => (report = r));
      scheduler.flush();
      expect(calls.length).toBe(BARE_500S_FOR_LANDING + 1);
    });
    expect(inferredOf(report)).toBeUndefined();
    expect(errorOf(report)).toBeUndefined();
  });

  it('treats 502, 504 and a 2xx other than 202 as ambiguous, so the bare 500s after them can end in a landing (finding 6)', () => {
    for (const status of [502, 504, 200, 204]) {
      scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
      let report: DeliveryReport | undefined;
      scheduler.run(({ cold }) => {
        const { api } = answers(
          cold<void>('-#', undefined, http(status)),
          cold<void>('-#', undefined, http(500)),
        );
        const healthy = withHealth(api, () => cold('-a|', { a: undefined }));
        deliverOne$(result, deps(healthy.api), scheduler).subscribe((r) => (report = r));
      });
      expect(isInferredDeliveryError(inferredOf(report)))
        .withContext(`after ${status}`)
        .toBe(true);
    }
  });

  it('does not take a bare 500 on a spontaneous event for a landing (events have no PENDING state)', () => {
    let report: DeliveryReport | undefined;
    scheduler.run(({ cold }) => {
      const { api } = answers(
        cold<void>('-#', undefined, new NetworkError('socket hang up')),
        cold<void>('-#', undefined, http(500)),
      );
      const healthy = withHealth(api, () => cold('-a|', { a: undefined }));
      deliverOne$(spontaneous, deps(healthy.api, { eventAttempts: 4 }), scheduler).subscribe(
        (r) => (report = r),
      );
      scheduler.flush();
      expect(healthy.checks()).toBe(0);
    });
    expect(inferredOf(report)).toBeUndefined();
    expect(errorOf(report)?.message).toMatch(/after 4 attempts/);
  });

  it('waits what Retry-After asks on 429/503 without spending the attempt budget (finding 7)', () => {
    let report: DeliveryReport | undefined;
    scheduler.run(({ cold, expectObservable }) => {
      const slowDown = (status: number) =>
        cold<void>(
          '-#',
          undefined,
          new HttpError({ method: 'POST', url: a.resultUrl, status, retryAfterMs: 3000 }),
        );
      const { api, calls } = answers(
        slowDown(429),
        slowDown(503),
        slowDown(429),
        cold('-a|', { a: undefined }),
      );
      const report$ = deliverOne$(spontaneous, deps(api, { eventAttempts: 2 }), scheduler).pipe(
        tap((r) => (report = r)),
      );
      expectObservable(report$.pipe(map(outcome))).toBe('9004ms (d|)', { d: 'delivered' });
      scheduler.flush();
      expect(calls.length).toBe(4);
    });
    expect(errorOf(report)).toBeUndefined();
  });

  it('caps a Retry-After wait at the backoff maxDelay', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { api } = answers(
        cold<void>(
          '-#',
          undefined,
          new HttpError({ method: 'POST', url: a.resultUrl, status: 503, retryAfterMs: 3_600_000 }),
        ),
        cold('-a|', { a: undefined }),
      );
      const capped = deps(api, { backoff: { initialDelay: 10, maxDelay: 50, random: () => 0.5 } });
      expectObservable(deliverOne$(result, capped, scheduler).pipe(map(outcome))).toBe(
        '52ms (d|)',
        { d: 'delivered' },
      );
    });
  });

  it('retries a 500 that says something else, even after an ambiguous failure', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const storeDown = new HttpError({
        method: 'POST',
        url: a.resultUrl,
        status: 500,
        body: 'store unavailable',
      });
      const ok = cold('-a|', { a: undefined });
      const { api } = answers(
        cold<void>('-#', undefined, new NetworkError('socket hang up')),
        cold<void>('-#', undefined, storeDown),
        ok,
      );
      expectObservable(deliverOne$(result, deps(api), scheduler).pipe(map(outcome))).toBe(
        '18ms (d|)',
        { d: 'delivered' },
      );
      expectSubscriptions(ok.subscriptions).toBe('17ms ^!');
    });
  });

  it('retries a 500 that follows no ambiguous failure', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { api } = answers(
        cold<void>('-#', undefined, http(500)),
        cold('-a|', { a: undefined }),
      );
      expectObservable(deliverOne$(result, deps(api), scheduler).pipe(map(outcome))).toBe(
        '7ms (d|)',
        {
          d: 'delivered',
        },
      );
    });
  });

  it('retries after a timeout (the server may not have applied it)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const timedOut = cold<void>('-#', undefined, new TimeoutError({ timeoutMs: 10 }));
      const { api } = answers(timedOut, cold('-a|', { a: undefined }));
      expectObservable(deliverOne$(spontaneous, deps(api), scheduler).pipe(map(outcome))).toBe(
        '7ms (d|)',
        { d: 'delivered' },
      );
    });
  });

  // Known at once or not, the registration that answered 404 is stale: the delivery waits for
  // a newer one from the registrations.
  for (const known of [false, true]) {
    it(`on 404 asks for re-registration and posts an event with the new pack${known ? ' (the registration known at once too)' : ''}`, () => {
      const newPack = registeredPack('p1-again');
      const reRegister = jasmine.createSpy('reRegister');
      let calls: { pack?: RegisteredPack }[] = [];
      scheduler.run(({ cold, expectObservable }) => {
        const packs = new BehaviorSubject<Registration>(registration(pack));
        scheduler.schedule(() => packs.next(registration(newPack, 2)), 10);
        const fake = answers(
          cold<void>('-#', undefined, http(404, PackNotFoundError)),
          cold('-a|', { a: undefined }),
        );
        calls = fake.calls;
        const report$ = deliverOne$(
          spontaneous,
          deps(fake.api, {
            registration$: packs,
            reRegister,
            ...(known && { latest: () => packs.value }),
          }),
          scheduler,
        );
        expectObservable(report$.pipe(map(outcome))).toBe('11ms (d|)', { d: 'delivered' });
      });
      expect(reRegister.calls.allArgs()).toEqual([[registration(pack)]]);
      expect(calls.map((c) => c.pack)).toEqual([pack, newPack]);
    });
  }

  it('on 404 for a result re-registers and posts to the same result link again', () => {
    const reRegister = jasmine.createSpy('reRegister');
    const actions: unknown[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const packs = new BehaviorSubject<Registration>(registration(pack));
      scheduler.schedule(() => packs.next(registration(registeredPack('p1-again'), 2)), 4);
      const replies = [
        cold<void>('-#', undefined, http(404, PackNotFoundError)),
        cold('-a|', { a: undefined }),
      ];
      const api: DeliveryDeps['api'] = {
        completeAction: (action) => (actions.push(action), replies[actions.length - 1]),
        postEvent: () => {
          throw new Error('a result is not posted as an event');
        },
      };
      const report$ = deliverOne$(
        result,
        deps(api, { registration$: packs, reRegister }),
        scheduler,
      );
      expectObservable(report$.pipe(map(outcome))).toBe('5ms (d|)', { d: 'delivered' });
    });
    expect(reRegister).toHaveBeenCalledOnceWith(registration(pack));
    expect(actions).toEqual([a, a]);
  });

  it('backs off when 404s repeat (only the first re-registers at once), then gives an event up', () => {
    // A result's 404 means the pack OR the action is unknown: re-registering cannot fix an
    // unknown action, so the attempts must be spaced, not spent back to back.
    const posts: number[] = [];
    const reRegister = jasmine.createSpy('reRegister');
    scheduler.run(({ cold, expectObservable }) => {
      const packs = new BehaviorSubject<Registration>(registration(pack));
      reRegister.and.callFake(() =>
        packs.next(registration(registeredPack(`p${scheduler.now()}`), packs.value.generation + 1)),
      );
      const notFound = cold<void>('-#', undefined, http(404, PackNotFoundError));
      const api: DeliveryDeps['api'] = {
        completeAction: () => notFound,
        postEvent: () => (posts.push(scheduler.now()), notFound),
      };
      const report$ = deliverOne$(
        spontaneous,
        deps(api, { registration$: packs, reRegister, eventAttempts: 4 }),
        scheduler,
      );
      // posts at 0, 1 (at once), 12 (after 10), 33 (after 20); the 4th 404 gives up at 34
      expectObservable(report$.pipe(map(outcome))).toBe('34ms (f|)', {
        f: jasmine.stringMatching(/^failed: gave up delivering .* after 4 attempts/),
      });
    });
    expect(posts).toEqual([0, 1, 12, 33]);
    expect(reRegister).toHaveBeenCalledTimes(4);
  });

  it('holds an event until the pack is registered', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const packs = new ReplaySubject<Registration>(1);
      scheduler.schedule(() => packs.next(registration(pack)), 8);
      const ok = cold('-a|', { a: undefined });
      const report$ = deliverOne$(
        spontaneous,
        deps(answers(ok).api, { registration$: packs }),
        scheduler,
      );
      expectObservable(report$.pipe(map(outcome))).toBe('9ms (d|)', { d: 'delivered' });
      expectSubscriptions(ok.subscriptions).toBe('8ms ^!');
    });
  });

  it('at the deadline gives up a delivery that waits, reporting the last error', () => {
    const logger = spyLogger();
    scheduler.run(({ cold, hot, expectObservable }) => {
      const down = cold<void>('-#', undefined, http(503));
      const deadline$ = hot('3ms d');
      const { api } = answers(down);
      const report$ = deliverOne$(result, deps(api, { deadline$, logger }), scheduler);
      expectObservable(report$.pipe(map(outcome))).toBe('3ms (f|)', {
        f:
          'failed: the pack stopped before the result "Done" of action 7 (command "Rota") was delivered ' +
          '(last error: POST http://flyte/v1/packs/p1/actions/7/result answered 503)',
      });
    });
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('at the deadline lets the post in flight finish and reports its real outcome (finding 5)', () => {
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const down = cold<void>('-#', undefined, http(503));
      const slow = cold('----a|', { a: undefined });
      const deadline$ = hot('8ms d');
      const { api } = answers(down, slow);
      const report$ = deliverOne$(result, deps(api, { deadline$ }), scheduler);
      expectObservable(report$.pipe(map(outcome))).toBe('10ms (d|)', { d: 'delivered' });
      expectSubscriptions(slow.subscriptions).toBe('6ms ^---!');
    });
  });

  it('at the deadline starts no new attempt after a post in flight fails', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const { api, calls } = answers(
        cold<void>('-#', undefined, http(503)),
        cold<void>('----#', undefined, http(503)),
      );
      const deadline$ = hot('8ms d').pipe(shareReplay(1));
      const report$ = deliverOne$(result, deps(api, { deadline$ }), scheduler);
      expectObservable(
        report$.pipe(map((r) => (r.end === 'given-up' ? 'failed' : 'delivered'))),
      ).toBe('10ms (f|)', { f: 'failed' });
      scheduler.flush();
      expect(calls.length).toBe(2);
    });
  });

  it('deliver: results go ahead of events waiting for a slot, and the size is told', () => {
    const sizes: number[] = [];
    scheduler.run(({ cold, hot, expectObservable }) => {
      const items = hot('(abc)|', {
        a: spontaneous,
        b: { ...spontaneous, event: { ...wire, event: 'Later' } } as OutboxItem,
        c: result,
      });
      const api: DeliveryDeps['api'] = {
        completeAction: () => cold('--a|', { a: undefined }),
        postEvent: () => cold('--a|', { a: undefined }),
      };
      const reports$ = items.pipe(
        deliver({ ...deps(api), concurrency: 1, onSize: (n) => sizes.push(n) }, scheduler),
        map((r) => r.item.event.event),
      );
      expectObservable(reports$).toBe('--a-b-(c|)', { a: 'Seen', b: 'Done', c: 'Later' });
    });
    expect(sizes).toEqual([1, 2, 3, 2, 1, 0]);
  });

  it('deliver: reports every item, and one refused item does not stop the others', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const items = hot('a-b-c|', {
        a: spontaneous,
        b: { kind: 'event', event: { ...wire, event: 'Refused' } } as OutboxItem,
        c: result,
      });
      const api: DeliveryDeps['api'] = {
        completeAction: () => cold('--a|', { a: undefined }),
        postEvent: (_p, event) =>
          event.event === 'Refused'
            ? cold<void>('-#', undefined, http(400))
            : cold('-a|', { a: undefined }),
      };
      const reports$ = items.pipe(
        deliver({ ...deps(api) }, scheduler),
        map((r) => `${r.item.event.event}:${r.end === 'given-up' ? 'failed' : 'ok'}`),
      );
      expectObservable(reports$).toBe('-a-b--(c|)', {
        a: 'Seen:ok',
        b: 'Refused:failed',
        c: 'Done:ok',
      });
    });
  });
});
