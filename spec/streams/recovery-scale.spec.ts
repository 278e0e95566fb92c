import { filter, of, type SchedulerAction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Registration } from '../../lib/streams/registration.js';
import {
  recoverStranded$,
  RECOVERY_MAX_REQUESTS,
  type RecoveryConfig,
} from '../../lib/streams/recovery.js';
import { FlyteModel } from '../../lib/testing/flyte-model.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';
import { registeredPack, registration } from './fixtures.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * A busy pack's audit, built by the fake's model to the contract (newest first by latest state
 * time, `start`/`limit` paging): a day of history before the scans begin (virtual time 0), and
 * all along `perFiveMinutes` flows every 5 minutes, each an action of `rota-pack` taken and
 * finished by another replica. At `strandedAt`, an action is taken and never finished. Answers
 * when the scan emitted that action (`null` when it had not by `until`), and the most audit
 * requests one scan made.
 */
function recoveredAt(
  perFiveMinutes: number,
  config: RecoveryConfig,
  strandedAt: number,
  until: number,
): { found: number | null; mostRequests: number } {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  let historyAt: number | undefined;
  const model = new FlyteModel({ now: () => historyAt ?? scheduler.now() });
  const api = new InMemoryFlyteApi({ scheduler, model });
  const pack = model.registerPack({ name: 'rota-pack' });
  const flow = () => {
    model.enqueueAction({ packName: 'rota-pack', command: 'Rota' });
    const taken = model.takeAction(pack.id)!;
    model.completeAction(pack.id, taken.id, { event: 'RotaRetrieved' });
  };
  const gap = (5 * MINUTE) / perFiveMinutes;
  for (historyAt = -DAY; historyAt < 0; historyAt += gap) flow();
  historyAt = undefined;
  let found: number | null = null;
  scheduler.run(() => {
    // One flow every `gap`, one scheduled action at a time (a virtual scheduler sorts its queue).
    scheduler.schedule(function next(this: SchedulerAction<unknown>) {
      flow();
      if (scheduler.now() + gap < until) this.schedule(undefined, gap);
    }, 0);
    let strandedId = '';
    scheduler.schedule(() => {
      model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: 'lost' });
      strandedId = model.takeAction(pack.id)!.id;
    }, strandedAt);
    const reg: Registration = registration({
      ...registeredPack('rota-pack'),
      url: 'http://flyte.test/v1/packs/rota-pack',
    });
    const deps = { api, registration$: of(reg), labels: {}, isHandling: () => false };
    const scan = recoverStranded$(deps, config, scheduler)
      .pipe(filter((e) => e.kind === 'stranded' && e.action.id === strandedId))
      .subscribe(() => (found ??= scheduler.now()));
    scheduler.schedule(() => scan.unsubscribe(), until);
  });
  const perScan = new Map<number, number>();
  for (const at of api.timesOf('audit')) perScan.set(at, (perScan.get(at) ?? 0) + 1);
  return { found, mostRequests: Math.max(...perScan.values()) };
}

describe('recoverStranded$ on a busy pack (finding 4, virtual time)', () => {
  // The documented example: `after` 10 minutes, every other setting its default.
  const after = 10 * MINUTE;
  const every = 5 * MINUTE;
  const strandedAt = 30 * MINUTE;
  const deadline = strandedAt + after + 2 * every;

  for (const rate of [10, 50, 100, 150]) {
    it(`finds an action stranded at 30 min within after + 2 × every at ${rate} flows per 5 minutes`, () => {
      const { found: at, mostRequests } = recoveredAt(
        rate,
        { after, every, random: () => 0.5 },
        strandedAt,
        deadline + 1,
      );
      expect(at).withContext('recovered at (ms after the scans began)').not.toBeNull();
      expect(at!).toBeGreaterThanOrEqual(strandedAt + after);
      expect(at!).toBeLessThanOrEqual(deadline);
      // Pages and depth-finding within the budget, plus the re-read of the stranded action.
      expect(mostRequests).toBeLessThanOrEqual(RECOVERY_MAX_REQUESTS + 1);
    });
  }
});
