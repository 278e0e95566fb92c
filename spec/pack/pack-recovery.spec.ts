import { map, merge, scan } from 'rxjs';
import { ConfigError } from '../../lib/model/errors.js';
import type { ActionResult } from '../../lib/model/outcomes.js';
import { Pack } from '../../lib/pack/pack.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';
import { packRig, rotaPack, slowRota } from './pack-fixtures.js';

describe('Pack: recovering stranded actions (virtual time)', () => {
  it('recovers a stranded action only into a free slot, never beyond `concurrency`, and never its own running action', () => {
    const { scheduler, api, pack, timed, enqueue, logger, model } = packRig(
      (s) => rotaPack(slowRota(5000, s)),
      {
        recovery: { after: 1000, every: 1000 },
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
      [10_000, 'lost', true], // the scan at 5000, just after busy's result is in, takes the slot
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
        /^recovering action action-\d+ \(command "Rota"\), stranded PENDING for 5 s$/,
      ),
      jasmine.objectContaining({ strandedFor: 5000 }),
    );
    expect(api.timesOf('audit').length).toBeGreaterThan(5);
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
});
