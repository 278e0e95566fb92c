// A real take race over HTTP: two packs take the same NEW action at once; the fake server's
// store time makes one of them lose (an empty 500). The loser treats it as contention.
import { Subject } from 'rxjs';
import type { PollOutcome } from '../../../lib/model/outcomes.js';
import type { PackStatus } from '../../../lib/pack/pack-options.js';
import { Pack } from '../../../lib/pack/pack.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { waitUntil } from '../../../lib/testing/wait-until.js';
import { countingPack, fastOptions, type RunCounts, within } from './support.js';

describe('take races (integration, over real HTTP)', () => {
  let server: FakeFlyteServer;
  /** Store operations held until two are waiting (two takes of one action), then none. */
  let held: (() => void)[];
  let holding: boolean;
  const packs: Pack[] = [];

  beforeEach(async () => {
    held = [];
    holding = true;
    server = new FakeFlyteServer({
      host: '127.0.0.1',
      port: 0,
      storeLatencyMs: 1,
      delay: () =>
        new Promise<void>((release) => {
          if (!holding) return release();
          held.push(release);
          if (held.length < 2) return;
          holding = false;
          held.splice(0).forEach((r) => r());
        }),
    });
    await server.start();
  });

  afterEach(async () => {
    await Promise.all(packs.splice(0).map((p) => p.stop({ grace: 500, flushDeadline: 500 })));
    await server.close();
  });

  it('a take that loses a race is contention in polls$, retried soon, never on errors$ nor a backoff', async () => {
    const runs: RunCounts = new Map();
    const { id } = server.enqueueAction({ packName: 'counting-pack', command: 'Count', input: 1 });
    const changed = new Subject<void>();
    const polls: { pack: number; outcome: PollOutcome }[] = [];
    const errors: unknown[] = [];
    const statuses: PackStatus[] = [];
    for (const n of [0, 1]) {
      const pack = new Pack(countingPack('counting-pack', runs), fastOptions(server));
      packs.push(pack);
      pack.polls$.subscribe((outcome) => (polls.push({ pack: n, outcome }), changed.next()));
      pack.errors$.subscribe((error) => errors.push(error));
      pack.status$.subscribe((status) => statuses.push(status));
    }
    await Promise.all(packs.map((p) => p.start()));
    /** The first take that failed: the loser of the race. */
    const lost = () =>
      polls.find((p) => p.outcome.kind === 'contention' || p.outcome.kind === 'error');
    // Wait for the loser's next take after the race, and for the action's result.
    await waitUntil(
      (listener) => {
        const s = changed.subscribe(listener);
        const off = server.onChange(listener);
        return () => (s.unsubscribe(), off());
      },
      () => {
        const race = lost();
        const retried =
          race && polls.slice(polls.indexOf(race) + 1).some((p) => p.pack === race.pack);
        return Boolean(retried) && server.action(id)?.state === 'SUCCESS';
      },
      within().signal,
    );
    expect(server.stats().take?.races).toBe(1);
    expect(lost()?.outcome.kind).toBe('contention');
    expect(polls.filter((p) => p.outcome.kind === 'contention').length).toBe(1);
    expect(lost()?.outcome.error).toEqual(
      jasmine.objectContaining({ status: 500, bodyExcerpt: '' }),
    );
    expect(polls.filter((p) => p.outcome.kind === 'error')).toEqual([]);
    expect(errors).toEqual([]);
    expect(statuses).not.toContain('backing-off');
    expect(runs.get('1')).toBe(1);
  });
});
