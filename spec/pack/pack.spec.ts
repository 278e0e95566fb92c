import { map, merge, scan } from 'rxjs';
import {
  type DeliveryError,
  HttpError,
  isConfigError,
  isDeliveryError,
  isPackDefinitionError,
} from '../../lib/model/errors.js';
import { type PackDef } from '../../lib/model/definitions.js';
import { Pack } from '../../lib/pack/pack.js';
import type { FlyteApi } from '../../lib/api/flyte-api.js';
import type { RegisteredPack } from '../../lib/model/wire-types.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';
import { packRig, rotaPack, rotaRetrieved, seen, slowRota } from './pack-fixtures.js';

describe('Pack', () => {
  const instant = () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' }));

  /** Runs `pack` through the server's dead-pack clean-up at 7 s; an action comes at 8 s. */
  function outliveDeadPackCleanUp(rig: ReturnType<typeof packRig>, pack: Pack): void {
    const { scheduler, model, enqueue } = rig;
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => model.deletePack('rota-pack'), 7000);
      enqueue(8000);
      scheduler.schedule(() => void pack.stop(), 12_000);
    });
  }

  describe('construction', () => {
    it('refuses an invalid definition, listing every problem', () => {
      const bad = {
        name: '',
        commands: [{ name: 'Rota', outputEvents: [] }],
      } as unknown as PackDef;
      let error: unknown;
      try {
        new Pack(bad, { api: new InMemoryFlyteApi() });
      } catch (e) {
        error = e;
      }
      expect(isPackDefinitionError(error)).toBe(true);
      expect((error as { problems: string[] }).problems.length).toBeGreaterThanOrEqual(3);
    });

    it('refuses invalid options, listing every problem', () => {
      let error: unknown;
      try {
        new Pack(instant(), { handlers: { concurrency: 0 }, delivery: { eventAttempts: 1.5 } });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as { problems: string[] }).problems).toEqual([
        'options.handlers.concurrency: must be an integer >= 1, got 0',
        'options.delivery.eventAttempts: must be an integer >= 1, got 1.5',
        'options.url: required (the base URL of the flyte server) unless options.api is given',
      ]);
    });

    it('defaults to polling every 5 s with 10 slots and merges the labels over the definition', () => {
      const pack = new Pack(
        { ...instant(), labels: { env: 'dev', team: 'ops' } },
        { api: new InMemoryFlyteApi(), labels: { env: 'prod' } },
      );
      expect([pack.pollInterval, pack.concurrency, pack.status]).toEqual([5000, 10, 'idle']);
      expect(pack.labels).toEqual({ env: 'prod', team: 'ops' });
    });

    it('raises a poll interval under 500 ms to 500, warning on the console by default', () => {
      const warn = spyOn(console, 'warn');
      const pack = new Pack(instant(), { api: new InMemoryFlyteApi(), polling: { interval: 100 } });
      expect(pack.pollInterval).toBe(500);
      expect(warn).toHaveBeenCalledWith(
        '[flyte-client] polling.interval 100 ms is too short; using 500 ms',
      );
    });
  });

  it('registers, polls every pollInterval, handles each action and posts its result', async () => {
    // A fixed interval: burst polling (its own spec below) would poll again soon after the result.
    const { scheduler, api, pack, model, enqueue } = packRig(() => instant(), {
      polling: { burst: false },
    });
    let registered = false;
    scheduler.run(({ expectObservable }) => {
      expectObservable(pack.status$).toBe('(abc) 11995ms (de|)', {
        a: 'idle',
        b: 'registering',
        c: 'running',
        d: 'stopping',
        e: 'stopped',
      });
      scheduler.schedule(() => void pack.start().then(() => (registered = true)));
      enqueue(7000, { day: 'tue' });
      scheduler.schedule(() => void pack.stop(), 12_000);
    });
    await Promise.resolve();
    expect(registered).toBe(true);
    expect(api.timesOf('register')).toEqual([0]);
    expect(api.timesOf('take')).toEqual([0, 5000, 10_000, 10_000]);
    expect(model.actions().map((a) => [a.state, a.result?.event, a.result?.payload])).toEqual([
      ['SUCCESS', 'RotaRetrieved', 'Ann'],
    ]);
    expect(pack.registered?.id).toBe('rota-pack');
  });

  it('exposes every take on polls$, every action on actions$ and every result on results$', () => {
    const { scheduler, pack, timed, enqueue } = packRig(() => instant(), {
      polling: { burst: false },
    });
    const polls = timed(pack.polls$.pipe(map((p) => p.kind)));
    const actions = timed(pack.actions$.pipe(map((a) => a.input)));
    const results = timed(pack.results$.pipe(map((r) => [r.outcome, r.event.payload])));
    scheduler.run(() => {
      enqueue(6000, 'wed');
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 11_000);
    });
    expect(polls).toEqual([
      [0, 'empty'],
      [5000, 'empty'],
      [10_000, 'action'],
      [10_000, 'empty'],
    ]);
    expect(actions).toEqual([[10_000, 'wed']]);
    expect(results).toEqual([[10_000, ['success', 'Ann']]]);
  });

  it('polls again soon after a delivered result, then 20 % longer each time (burst polling, the default)', () => {
    const { scheduler, api, pack, enqueue } = packRig(() => instant());
    scheduler.run(() => {
      enqueue(0);
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 2000);
    });
    // The action at 0, then the burst: 100, 120, 144, 173, 207, 249, 299, 358 ms apart.
    expect(api.timesOf('take')).toEqual([0, 0, 100, 220, 364, 537, 744, 993, 1292, 1650]);
  });

  it('polls again soon after the server accepted a sendEvent (burst polling)', () => {
    const { scheduler, api, pack } = packRig(() => instant());
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(
        () => void pack.sendEvent({ eventDef: seen, payload: { who: 'Ann' } }),
        1000,
      );
      scheduler.schedule(() => void pack.stop(), 1300);
    });
    expect(api.timesOf('take')).toEqual([0, 1100, 1220]); // quiet: no take at 5 s intervals yet
  });

  it('never takes while every slot is busy (concurrency bound across the whole pack)', () => {
    const { scheduler, api, pack, timed, enqueue } = packRig((s) => rotaPack(slowRota(1000, s)), {
      polling: { burst: false },
      handlers: { concurrency: 2 },
    });
    const running = timed(
      merge(pack.actions$.pipe(map(() => 1)), pack.results$.pipe(map(() => -1))).pipe(
        scan((n, d) => n + d, 0),
      ),
    );
    scheduler.run(() => {
      for (let i = 0; i < 4; i++) enqueue(0, i);
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 3500);
    });
    expect(Math.max(...running.map(([, n]) => n))).toBe(2);
    // Two takes at once; the next two only as handlers finish at 1000; at 2000 the take finds
    // nothing (four actions are too few to open a second lane of takes).
    expect(api.timesOf('take')).toEqual([0, 0, 1000, 1000, 2000]);
  });

  it('stops taking while results cannot be delivered: never more than `concurrency` undelivered actions (finding 2)', () => {
    const { scheduler, api, pack, timed, enqueue, model } = packRig(() => instant(), {
      polling: { interval: 500 },
      handlers: { concurrency: 3 },
    });
    api.onCall((call) => (call.method === 'complete' ? { fault: 'hang' } : undefined));
    const sizes = timed(pack.outboxSize$);
    const inFlight = timed(pack.inFlight$);
    scheduler.run(() => {
      for (let i = 0; i < 50; i++) enqueue(0, i);
      void pack.start();
      scheduler.schedule(() => void pack.stop({ grace: 0, flushDeadline: 0 }), 600_000);
    });
    expect(model.actions().filter((a) => a.state !== 'NEW').length).toBe(3);
    expect(Math.max(...inFlight.map(([, n]) => n))).toBe(3);
    expect(Math.max(...sizes.map(([, n]) => n))).toBe(3);
  });

  it('frees the slot of an action when its result is delivered, not when it is produced', () => {
    const { scheduler, api, pack, enqueue } = packRig(() => instant(), {
      handlers: { concurrency: 1 },
    });
    api.failNext('complete', 503, 1);
    scheduler.run(() => {
      enqueue(0, 'a');
      enqueue(0, 'b');
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 3000);
    });
    // the first result is refused once (503) and delivered after a 500 ms backoff: only then is b taken
    expect(api.timesOf('take').slice(0, 2)).toEqual([0, 500]);
  });

  it('says `unauthorized` while the token is refused, with one error line a minute, not a warning per take (finding 11)', () => {
    const { scheduler, api, pack, logger, timed } = packRig(() => instant(), {
      transport: { backoff: { initialDelay: 1000, maxDelay: 1000, random: () => 0.5 } },
    });
    api.failNext('take', 401, 200);
    const statuses = timed(pack.status$);
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 90_000);
    });
    expect(api.timesOf('take').length).toBeGreaterThan(100);
    expect(statuses.map(([, s]) => s)).toContain('unauthorized');
    const refusals = logger.error.calls.allArgs().filter(([m]) => /refuses the token/.test(m));
    expect(refusals.length).toBe(2); // at 0 and after a minute
    expect(logger.warn.calls.allArgs().filter(([m]) => /taking an action failed/.test(m))).toEqual(
      [],
    );
  });

  it('says `unauthorized` while the registration is refused for the token, with one error line a minute, not a warning per attempt (finding 11)', () => {
    const { scheduler, api, pack, logger, timed } = packRig(() => instant(), {
      transport: { backoff: { initialDelay: 1000, maxDelay: 1000, random: () => 0.5 } },
    });
    api.failNext('discover', 401, 200);
    const statuses = timed(pack.status$);
    scheduler.run(() => {
      pack.start().catch(() => undefined);
      scheduler.schedule(() => void pack.stop(), 90_000);
    });
    expect(api.timesOf('discover').length).toBeGreaterThan(60);
    expect(statuses.map(([, s]) => s)).toEqual([
      'idle',
      'registering',
      'unauthorized',
      'stopping',
      'stopped',
    ]);
    const refusals = logger.error.calls.allArgs().filter(([m]) => /refuses the token/.test(m));
    expect(refusals.length).toBe(2); // at 0 and after a minute
    expect(logger.warn.calls.allArgs().filter(([m]) => /registering pack/.test(m))).toEqual([]);
  });

  it('leaves `unauthorized` when the registration fails for another reason, and when it succeeds', () => {
    const { scheduler, api, pack, timed } = packRig(() => instant());
    api.failNext('discover', 401).failNext('discover', 503).failNext('discover', 401);
    const statuses = timed(pack.status$);
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 10_000);
    });
    expect(statuses.map(([, s]) => s)).toEqual([
      'idle',
      'registering',
      'unauthorized',
      'registering',
      'unauthorized',
      'running',
      'stopping',
      'stopped',
    ]);
  });

  it('stops a pack whose registration is refused for the token at once: no flush deadline, no request after stop, what waited reported (finding 11)', async () => {
    const { scheduler, api, pack, timed } = packRig(() => instant(), {
      transport: { backoff: { initialDelay: 1000, maxDelay: 1000, random: () => 0.5 } },
    });
    api.failNext('discover', 401, 1000);
    const statuses = timed(pack.status$);
    const errors = timed(pack.errors$);
    let sent: Promise<void> | undefined;
    scheduler.run(() => {
      pack.start().catch(() => undefined);
      sent = pack.sendEvent({ eventDef: seen, payload: { who: 'Ann' } });
      scheduler.schedule(() => void pack.stop({ grace: 30_000, flushDeadline: 10_000 }), 5000);
    });
    expect(statuses.filter(([, s]) => s === 'stopped')).toEqual([[5000, 'stopped']]);
    expect(api.timesOf('discover').every((t) => t < 5000)).toBeTrue();
    const refused = await sent?.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDeliveryError(refused)).toBeTrue();
    expect((refused as DeliveryError).event.event).toBe('Seen');
    expect(errors.filter(([, e]) => e === refused).map(([t]) => t)).toEqual([5000]);
  });

  it('registers again when a take answers 404 and carries on with the new registration', () => {
    const rig = packRig(() => instant());
    const { api, pack, model, timed } = rig;
    const statuses = timed(pack.status$);
    outliveDeadPackCleanUp(rig, pack);
    expect(api.timesOf('register')).toEqual([0, 10_000]);
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
    expect(statuses.filter(([t]) => t === 10_000).map(([, s]) => s)).toEqual([
      'registering',
      'running',
    ]);
  });

  it('registers again when the api answers every registration with the same (cached) object', () => {
    const rig = packRig(() => instant());
    const { scheduler, api, model, logger } = rig;
    let cached: RegisteredPack | undefined;
    const caching: FlyteApi = {
      discover: () => api.discover(),
      register: (root, body) => api.register(root, body).pipe(map((p) => (cached ??= p))),
      takeAction: (p, options) => api.takeAction(p, options),
      completeAction: (action, event) => api.completeAction(action, event),
      postEvent: (p, event) => api.postEvent(p, event),
      health: (root) => api.health(root),
    };
    const pack = new Pack(instant(), { api: caching, scheduler, logger });
    outliveDeadPackCleanUp(rig, pack);
    expect(api.timesOf('register')).toEqual([0, 10_000]);
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
  });

  it('backs off after failed takes (status backing-off) and is running again after a success', () => {
    const { scheduler, api, pack, timed } = packRig(() => instant());
    api.failNext('take', 503, 2);
    const statuses = timed(pack.status$);
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 3000);
    });
    // random 0.5: waits 500 then 1000 ms
    expect(api.timesOf('take')).toEqual([0, 500, 1500]);
    expect(statuses.map(([t, s]) => `${t}:${s}`)).toEqual([
      '0:idle',
      '0:registering',
      '0:running',
      '0:backing-off',
      '1500:running',
      '3000:stopping',
      '3000:stopped',
    ]);
  });

  it('keeps retrying registration with backoff, reporting each failure on errors$', () => {
    const { scheduler, api, pack, timed } = packRig(() => instant());
    api.failNext('register', 503, 2);
    const errors = timed(pack.errors$);
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 2000);
    });
    expect(api.timesOf('register')).toEqual([0, 500, 1500]);
    expect(errors.map(([t]) => t)).toEqual([0, 500]);
  });

  it('waits what Retry-After asks after a 429 or 503 on a take and on the registration (finding 7)', () => {
    const { scheduler, api, pack } = packRig(() => instant());
    const slowDown = (status: number, url: string) =>
      new HttpError({ method: 'POST', url, status, retryAfterMs: 3000 });
    api.failNext('register', slowDown(503, 'http://flyte.test/v1/packs'));
    api.failNext('take', slowDown(429, 'http://flyte.test/take'));
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 10_000);
    });
    // the backoff alone would retry after 500 ms (1 s × a draw of 0.5)
    expect(api.timesOf('register')).toEqual([0, 3000]);
    expect(api.timesOf('take').slice(0, 2)).toEqual([3000, 6000]);
  });

  it('rejects start() on a definition error (registration refused with 400) and stops', async () => {
    const { scheduler, api, pack } = packRig(() => instant());
    api.failNext('register', 400);
    let error: unknown;
    scheduler.run(() => {
      pack.start().catch((e: unknown) => (error = e));
    });
    await Promise.resolve();
    expect(isPackDefinitionError(error)).toBe(true);
    expect(pack.status).toBe('stopped');
    expect(api.timesOf('register')).toEqual([0]);
  });

  it('keeps running when a re-registration is refused with 400: only the first registration defines the pack (finding 3)', () => {
    const rig = packRig(() => instant());
    const { scheduler, api, pack, model, timed } = rig;
    const statuses = timed(pack.status$);
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => {
        model.deletePack('rota-pack');
        api.failNext('register', 400);
      }, 1000);
      rig.enqueue(20_000);
      scheduler.schedule(() => void pack.stop(), 30_000);
    });
    expect(api.timesOf('register').length).toBeGreaterThanOrEqual(3);
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
    expect(statuses.filter(([t]) => t < 30_000).map(([, s]) => s)).not.toContain('stopping');
  });

  it('rejects start() when stopped before it registered', async () => {
    const { scheduler, api, pack } = packRig(() => instant());
    api.failNext('register', 503, 100);
    let error: unknown;
    scheduler.run(() => {
      pack.start().catch((e: unknown) => (error = e));
      scheduler.schedule(() => void pack.stop(), 100);
    });
    await Promise.resolve();
    expect((error as Error).message).toBe('pack "rota-pack" was stopped before it registered');
  });

  it('asks the flyte server for its health, discovering the root until registered', () => {
    const { scheduler, api, pack } = packRig(() => instant());
    let checks = 0;
    scheduler.run(() => {
      pack.flyteHealth().subscribe(() => checks++);
      void pack.start(); // discovers once more, then keeps the root
      pack.flyteHealth().subscribe(() => checks++);
      scheduler.schedule(() => void pack.stop(), 10);
    });
    expect(checks).toBe(2);
    expect(api.callsOf('discover').length).toBe(2);
    expect(api.callsOf('health').length).toBe(2);
  });

  it('fails the health check when the flyte server is unhealthy', () => {
    const { scheduler, api, pack } = packRig(() => instant());
    api.failNext('health', 500);
    let failed: unknown;
    scheduler.run(() => {
      pack.flyteHealth().subscribe({ error: (e: unknown) => (failed = e) });
    });
    expect((failed as { status?: number }).status).toBe(500);
  });

  it('completes every stream at stop, so for-await loops over them end', async () => {
    const { scheduler, pack, enqueue } = packRig(() => instant());
    const commands: string[] = [];
    const loop = (async () => {
      for await (const action of pack.actions()) commands.push(action.command);
    })();
    scheduler.run(() => {
      enqueue(0);
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 100);
    });
    await loop;
    expect(commands).toEqual(['Rota']);
  });

  describe('results() and actions() (for await)', () => {
    /** Runs the pack over three actions that come at once, with `loops` iterating meanwhile. */
    function threeActionsAtOnce(rig: ReturnType<typeof packRig>): void {
      const { scheduler, pack, enqueue } = rig;
      scheduler.run(() => {
        for (const day of ['mon', 'tue', 'wed']) enqueue(0, { day });
        void pack.start();
        scheduler.schedule(() => void pack.stop(), 100);
      });
    }
    const day = (input: unknown) => (input as { day: string }).day;

    it('yield every result and action by default, and end when the pack stops', async () => {
      const rig = packRig(() => instant());
      const results: string[] = [];
      const actions: string[] = [];
      const loops = Promise.all([
        (async () => {
          for await (const r of rig.pack.results())
            results.push(`${day(r.action.input)} ${r.outcome}`);
        })(),
        (async () => {
          for await (const a of rig.pack.actions('buffer')) actions.push(day(a.input));
        })(),
      ]);
      threeActionsAtOnce(rig); // synchronous: the loop bodies run only afterwards
      await loops;
      expect(results).toEqual(['mon success', 'tue success', 'wed success']);
      expect(actions).toEqual(['mon', 'tue', 'wed']);
    });

    it("yield only the newest ('latest') or the first ('drop') of what came while the body waited", async () => {
      const rig = packRig(() => instant());
      const latest: string[] = [];
      const dropped: string[] = [];
      const loops = Promise.all([
        (async () => {
          for await (const r of rig.pack.results('latest')) latest.push(day(r.action.input));
        })(),
        (async () => {
          for await (const a of rig.pack.actions('drop')) dropped.push(day(a.input));
        })(),
      ]);
      threeActionsAtOnce(rig);
      await loops;
      expect(latest).toEqual(['wed']);
      expect(dropped).toEqual(['mon']);
    });

    it('unsubscribe when the loop is left, while the pack runs on', async () => {
      const rig = packRig(() => instant());
      const { scheduler, pack, enqueue } = rig;
      const seenResults: string[] = [];
      const resultSubject = (pack as unknown as { resultSubject: { observers: unknown[] } })
        .resultSubject;
      const before = resultSubject.observers.length; // the pack's own (tracing) subscribers
      const loop = (async () => {
        for await (const r of pack.results()) {
          seenResults.push(day(r.action.input));
          break;
        }
      })();
      const all = rig.timed(pack.results$);
      expect(resultSubject.observers.length).toBe(before + 2);
      scheduler.run(() => {
        enqueue(0, { day: 'mon' });
        void pack.start();
        scheduler.maxFrames = 1000; // the pack runs on: leave its polls for the next run
      });
      await loop; // left after one result
      expect(seenResults).toEqual(['mon']);
      expect(resultSubject.observers.length).toBe(before + 1); // only `timed` is left
      expect(pack.status).toBe('running');
      scheduler.run(() => {
        enqueue(0, { day: 'tue' });
        scheduler.schedule(() => void pack.stop(), 10_000);
      });
      expect(all.map(([, r]) => day(r.action.input))).toEqual(['mon', 'tue']);
    });

    it('refuse an unknown mode, naming the method', () => {
      const { pack } = packRig(() => instant());
      expect(() => pack.actions('newest' as 'drop')).toThrowMatching(
        (e: { problems?: string[] }) =>
          e.problems?.[0] ===
          `pack.actions(mode): must be one of 'buffer', 'latest', 'drop'; got "newest"`,
      );
    });
  });

  describe('run$()', () => {
    it('starts on subscribe, emits results, and stops gracefully on unsubscribe', () => {
      const { scheduler, pack, enqueue } = packRig(() => instant());
      const results: string[] = [];
      scheduler.run(() => {
        enqueue(0);
        const subscription = pack.run$().subscribe((r) => results.push(r.outcome));
        scheduler.schedule(() => subscription.unsubscribe(), 100);
      });
      expect(results).toEqual(['success']);
      expect(pack.status).toBe('stopped');
    });

    it('errors when the registration is refused', async () => {
      const { scheduler, api, pack } = packRig(() => instant());
      api.failNext('register', 400);
      let error: unknown;
      scheduler.run(() => {
        pack.run$().subscribe({ error: (e: unknown) => (error = e) });
      });
      await Promise.resolve();
      expect(isPackDefinitionError(error)).toBe(true);
    });
  });
});
