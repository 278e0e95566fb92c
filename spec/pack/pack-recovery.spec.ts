import { map, merge, scan } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ConfigError } from '../../lib/model/errors.js';
import type { Logger } from '../../lib/model/logger.js';
import type { ActionResult } from '../../lib/model/outcomes.js';
import { Pack } from '../../lib/pack/pack.js';
import { FlyteModel } from '../../lib/testing/flyte-model.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';
import { packRig, rotaPack, rotaRetrieved, slowRota } from './pack-fixtures.js';

describe('Pack: recovering stranded actions (virtual time)', () => {
  it('recovers a stranded action only into a free slot, never beyond `concurrency`, and never its own running action', () => {
    const { scheduler, api, pack, timed, enqueue, logger, model } = packRig(
      (s) => rotaPack(slowRota(5000, s)),
      {
        recovery: { after: 1000, every: 1000, random: () => 0.5 }, // scans at 500, 1500, …
        polling: { interval: 1000 },
        handlers: { concurrency: 1 },
      },
    );
    const running = timed(
      merge(pack.actions$.pipe(map(() => 1)), pack.results$.pipe(map(() => -1))).pipe(
        scan((n, d) => n + d, 0),
      ),
    );
    const results = timed(pack.results$);
    scheduler.run(() => {
      // Another client took "lost" at 0 and vanished.
      model.registerPack({ name: 'rota-pack' });
      const lost = model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: 'lost' });
      expect(model.takeAction('rota-pack')?.id).toBe(lost.id);
      enqueue(0, 'busy'); // taken by the pack, its handler runs 5 s: longer than `after`
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 20_000);
    });
    const byInput = (r: ActionResult) => [r.action.input, r.recovered ?? false];
    expect(results.map(([t, r]) => [t, ...byInput(r)])).toEqual([
      [5000, 'busy', false],
      [10_500, 'lost', true], // the scan at 5500, after busy's result is in, takes the slot
    ]);
    expect(Math.max(...running.map(([, n]) => n))).toBe(1);
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(logger.debug).toHaveBeenCalledWith(
      jasmine.stringMatching(
        /^stranded action action-\d+ \(command "Rota"\) waits for a free slot/,
      ),
      jasmine.anything(),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      jasmine.stringMatching(
        /^recovering action action-\d+ \(command "Rota"\), stranded PENDING for 6 s$/,
      ),
      jasmine.objectContaining({ strandedFor: 5500 }),
    );
    expect(api.timesOf('audit').length).toBeGreaterThan(5);
    expect(logger.info).toHaveBeenCalledWith(
      'scanned the audit for stranded actions: 1 requests, 2 flows deep, flows down to 1 s old, 0 s of the horizon left to read',
      jasmine.objectContaining({ requests: 1, deepest: 2, unreadMs: 0 }),
    );
  });

  it('reads no audit when recovery is off, even with a stranded action', () => {
    const { scheduler, api, pack, model } = packRig((s) => rotaPack(slowRota(10, s)));
    scheduler.run(() => {
      model.registerPack({ name: 'rota-pack' });
      model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: 'lost' });
      model.takeAction('rota-pack');
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 3_600_000);
    });
    expect(api.timesOf('take').length).toBeGreaterThan(100);
    expect(api.callsOf('audit')).toEqual([]);
  });

  it('refuses invalid recovery options, naming each', () => {
    const def = rotaPack(() => ({ eventDef: { name: 'RotaRetrieved' }, payload: '' }));
    const api = new InMemoryFlyteApi();
    expect(() => new Pack(def, { api, recovery: { after: 0, every: -1 } })).toThrowMatching(
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems.join('\n') ===
          'options.recovery.after: must be a number > 0 (ms), got 0\n' +
            'options.recovery.every: must be a number > 0 (ms), got -1',
    );
  });

  it('3 replicas scanning together run a stranded action once: the others re-read it finished', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const model = new FlyteModel({ now: () => scheduler.now() });
    const runs: number[] = [];
    const logger = jasmine.createSpyObj<Logger>('logger', ['error', 'warn', 'info', 'debug']);
    // The same phase for all three; their audit answers take 10, 300 and 600 ms, so the first
    // recovers and delivers before the others' pages (read at the same time) come back.
    const packs = [10, 300, 600].map(
      (audit) =>
        new Pack(
          rotaPack(() => (runs.push(scheduler.now()), { eventDef: rotaRetrieved, payload: 'x' })),
          {
            api: new InMemoryFlyteApi({ scheduler, model, latency: { audit } }),
            scheduler,
            logger,
            recovery: { after: 1000, every: 10_000, random: () => 0.2 },
          },
        ),
    );
    scheduler.run(() => {
      model.registerPack({ name: 'rota-pack' });
      model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: 'lost' });
      model.takeAction('rota-pack'); // another client took it at 0 and vanished
      for (const pack of packs) void pack.start();
      scheduler.schedule(() => packs.forEach((pack) => void pack.stop()), 15_000);
    });
    expect(runs).toEqual([2020]); // scanned at 2000, page at 2010, re-read at 2020
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
  });

  it('warns once when `after` is shorter than the handler timeout plus the delivery budget', () => {
    const def = rotaPack(() => ({ eventDef: { name: 'RotaRetrieved' }, payload: '' }));
    const logger = jasmine.createSpyObj<Logger>('logger', ['error', 'warn', 'info', 'debug']);
    const options = {
      api: new InMemoryFlyteApi(),
      logger,
      handlers: { timeout: 60_000 },
      delivery: { eventAttempts: 3 }, // retries after 1 s and 2 s at most: 3 s of delivery
      transport: { backoff: { initialDelay: 1000, factor: 2, maxDelay: 60_000 } },
    };
    new Pack(def, { ...options, recovery: { after: 63_000 } });
    expect(logger.warn).not.toHaveBeenCalled();
    new Pack(def, { ...options, recovery: { after: 62_999 } });
    expect(logger.warn).toHaveBeenCalledOnceWith(
      'recovery.after (62999 ms) is shorter than handlers.timeout + the delivery time ' +
        '(63000 ms): a replica still running or delivering an action may see it recovered, ' +
        'and its handler run twice',
    );
  });
});
