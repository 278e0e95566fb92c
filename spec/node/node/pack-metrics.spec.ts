import { register as globalRegistry, Registry } from 'prom-client';
import type { ScanReach } from '../../../lib/streams/scan-plan.js';
import { BehaviorSubject, of, ReplaySubject, Subject } from 'rxjs';
import { delay } from 'rxjs/operators';
import { fatalEvent } from '../../../lib/model/definitions.js';
import type { DeliveryReceipt } from '../../../lib/model/delivered.js';
import {
  DeliveryError,
  InferredDeliveryError,
  type PackError,
  toPackError,
} from '../../../lib/model/errors.js';
import type { ActionResult, PollOutcome } from '../../../lib/model/outcomes.js';
import type { Action, RegisteredPack, WireEvent } from '../../../lib/model/wire-types.js';
import type { PackStatus } from '../../../lib/pack/pack-options.js';
import { packMetrics } from '../../../lib/node/pack-metrics.js';
import { packRig, rotaPack, rotaRetrieved } from '../../pack/pack-fixtures.js';

/** The value of the series of `name` whose labels include `labels`; undefined when none. */
async function valueOf(
  registry: Registry,
  name: string,
  labels: Record<string, string | number> = {},
): Promise<number | undefined> {
  const family = name.replace(/_(count|sum|bucket)$/, '');
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === family);
  const series = metric?.values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? family) === name &&
      Object.entries(labels).every(([k, value]) => v.labels[k] === value),
  );
  return series?.value;
}

/** The streams of a pack, as subjects a spec drives. */
function fakePack() {
  return {
    name: 'stub-pack',
    concurrency: 4,
    actions$: new Subject<Action>(),
    results$: new Subject<ActionResult>(),
    errors$: new Subject<PackError>(),
    polls$: new Subject<PollOutcome>(),
    delivered$: new Subject<DeliveryReceipt>(),
    registered$: new ReplaySubject<RegisteredPack>(1),
    inFlight$: new BehaviorSubject(0),
    outboxSize$: new BehaviorSubject(0),
    recoveryScans$: new Subject<ScanReach>(),
    status$: new BehaviorSubject<PackStatus>('idle'),
  };
}

const action = (id: string, extra: Partial<Action> = {}): Action => ({
  id,
  command: 'Rota',
  input: null,
  resultUrl: `http://flyte/actions/${id}/result`,
  links: [],
  ...extra,
});
const wire = (event: string): WireEvent => ({ event, payload: {}, createdAt: '' });

describe('packMetrics', () => {
  describe('over a pack in virtual time', () => {
    // Rota for `mon` and `tue` takes 1.5 s; for `boom` the handler throws.
    const handler = (scheduler: Parameters<typeof delay>[1]) => (input: unknown) => {
      if ((input as { day: string }).day === 'boom') throw new Error('boom');
      return of({ eventDef: rotaRetrieved, payload: 'Ann' }).pipe(delay(1500, scheduler));
    };

    it('counts actions and results, and times handlers and takes', async () => {
      const rig = packRig((scheduler) => rotaPack(handler(scheduler)));
      const { registry } = packMetrics(rig.pack, { commands: ['Rota'] });
      rig.scheduler.run(() => {
        for (const day of ['mon', 'tue', 'boom']) rig.enqueue(0, { day });
        void rig.pack.start();
        rig.scheduler.schedule(() => void rig.pack.stop(), 10_000);
      });
      const p = { pack: 'rota-pack' };
      const rota = { ...p, command: 'Rota' };
      expect(await valueOf(registry, 'flyte_pack_actions_taken_total', rota)).toBe(3);
      expect(
        await valueOf(registry, 'flyte_pack_actions_taken_total', { ...rota, recovered: 'false' }),
      ).toBe(3);
      expect(
        await valueOf(registry, 'flyte_pack_results_total', { ...rota, outcome: 'success' }),
      ).toBe(2);
      expect(
        await valueOf(registry, 'flyte_pack_results_total', {
          ...rota,
          outcome: 'fatal',
          reason: 'threw',
        }),
      ).toBe(1);
      const success = { ...rota, outcome: 'success' };
      const handlerSeconds = 'flyte_pack_handler_duration_seconds';
      expect(await valueOf(registry, `${handlerSeconds}_count`, success)).toBe(2);
      expect(await valueOf(registry, `${handlerSeconds}_sum`, success)).toBe(3);
      expect(await valueOf(registry, `${handlerSeconds}_bucket`, { ...success, le: 1 })).toBe(0);
      expect(await valueOf(registry, `${handlerSeconds}_bucket`, { ...success, le: 2.5 })).toBe(2);
      expect(
        await valueOf(registry, `${handlerSeconds}_count`, { ...rota, outcome: 'fatal' }),
      ).toBe(1);
      expect(await valueOf(registry, 'flyte_pack_polls_total', { ...p, kind: 'action' })).toBe(3);
      expect(
        await valueOf(registry, 'flyte_pack_take_duration_seconds_count', { ...p, kind: 'action' }),
      ).toBe(3);
      expect(await valueOf(registry, 'flyte_pack_take_races_total', p)).toBe(0);
      expect(await valueOf(registry, 'flyte_pack_registrations_total', p)).toBe(1);
      const results = { ...p, kind: 'result' };
      expect(await valueOf(registry, 'flyte_pack_delivery_attempts_count', results)).toBe(3);
      expect(await valueOf(registry, 'flyte_pack_delivery_attempts_sum', results)).toBe(3);
      expect(
        await valueOf(registry, 'flyte_pack_delivery_failures_total', {
          ...results,
          failure: 'given_up',
        }),
      ).toBe(0);
      expect(await valueOf(registry, 'flyte_pack_status', { ...p, status: 'stopped' })).toBe(1);
      expect(await valueOf(registry, 'flyte_pack_status', { ...p, status: 'running' })).toBe(0);
      expect(await valueOf(registry, 'flyte_pack_handlers_in_flight', p)).toBe(0);
      expect(await valueOf(registry, 'flyte_pack_slots_in_use', p)).toBe(0);
      expect(await valueOf(registry, 'flyte_pack_outbox_size', p)).toBe(0);
      expect(await valueOf(registry, 'flyte_pack_concurrency', p)).toBe(10);
    });

    it('counts the runs of handlers beyond the first, by command, when a retry runs them again', async () => {
      let runs = 0;
      const flaky = () => {
        if (++runs < 3) throw new Error('rota API down');
        return { eventDef: rotaRetrieved, payload: 'Ann' };
      };
      const rig = packRig(() => ({ ...rotaPack(flaky), retry: { attempts: 3 } }));
      const { registry } = packMetrics(rig.pack, { commands: ['Rota'] });
      rig.scheduler.run(() => {
        rig.enqueue(0);
        void rig.pack.start();
        rig.scheduler.schedule(() => void rig.pack.stop(), 10_000);
      });
      const rota = { pack: 'rota-pack', command: 'Rota' };
      expect(await valueOf(registry, 'flyte_pack_handler_retries_total', rota)).toBe(2);
      expect(
        await valueOf(registry, 'flyte_pack_results_total', { ...rota, outcome: 'success' }),
      ).toBe(1);
    });

    it('counts a re-registration, and the failed takes that caused it', async () => {
      const rig = packRig((scheduler) => rotaPack(handler(scheduler)));
      const { registry } = packMetrics(rig.pack);
      rig.scheduler.run(() => {
        void rig.pack.start();
        rig.scheduler.schedule(() => rig.model.deletePack('rota-pack'), 7000);
        rig.scheduler.schedule(() => void rig.pack.stop(), 20_000);
      });
      const p = { pack: 'rota-pack' };
      expect(await valueOf(registry, 'flyte_pack_registrations_total', p)).toBe(2);
      expect(await valueOf(registry, 'flyte_pack_polls_total', { ...p, kind: 'error' })).toBe(1);
      expect(
        await valueOf(registry, 'flyte_pack_errors_total', { ...p, error: 'PackNotFoundError' }),
      ).toBe(1);
    });
  });

  describe('over streams a spec drives', () => {
    let pack: ReturnType<typeof fakePack>;
    let registry: Registry;
    const p = { pack: 'stub-pack' };

    beforeEach(() => {
      pack = fakePack();
      registry = packMetrics(pack, { commands: ['Rota'] }).registry;
    });

    it("labels a command the pack does not declare 'unknown': the server cannot grow the label set (finding 8)", async () => {
      for (const [i, command] of ['Rota', 'Evil1', 'Evil2', 'Evil3'].entries()) {
        const taken = action(`a${i}`, { command });
        pack.actions$.next(taken);
        pack.results$.next({
          action: taken,
          event: { eventDef: rotaRetrieved, payload: 'Ann' },
          outcome: 'success',
          handlerMs: 5,
          attempts: 1,
        });
      }
      const commandsOf = async (name: string) =>
        ((await registry.getMetricsAsJSON()).find((m) => m.name === name)?.values ?? []).map(
          (v) => v.labels['command'],
        );
      for (const name of [
        'flyte_pack_actions_taken_total',
        'flyte_pack_results_total',
        'flyte_pack_handler_duration_seconds',
      ]) {
        expect(new Set(await commandsOf(name)))
          .withContext(name)
          .toEqual(new Set(['Rota', 'unknown']));
      }
      const taken = { ...p, recovered: 'false' };
      expect(
        await valueOf(registry, 'flyte_pack_actions_taken_total', { ...taken, command: 'unknown' }),
      ).toBe(3);
      expect(
        await valueOf(registry, 'flyte_pack_actions_taken_total', { ...taken, command: 'Rota' }),
      ).toBe(1);
    });

    it("counts polls by their kind, and a 'contention' one as a take race", async () => {
      pack.polls$.next({ kind: 'empty', time: 0, ms: 20 });
      pack.polls$.next({ kind: 'contention', time: 0, ms: 30 });
      pack.polls$.next({ kind: 'contention', time: 0, ms: 30 });
      expect(await valueOf(registry, 'flyte_pack_polls_total', { ...p, kind: 'empty' })).toBe(1);
      expect(await valueOf(registry, 'flyte_pack_polls_total', { ...p, kind: 'contention' })).toBe(
        2,
      );
      expect(await valueOf(registry, 'flyte_pack_polls_total', { ...p, kind: 'action' })).toBe(0);
      expect(await valueOf(registry, 'flyte_pack_take_races_total', p)).toBe(2);
      expect(
        await valueOf(registry, 'flyte_pack_take_duration_seconds_sum', {
          ...p,
          kind: 'contention',
        }),
      ).toBeCloseTo(0.06, 9);
    });

    it('counts deliveries given up and inferred, by kind, from errors$', async () => {
      const given = (actionId?: string) =>
        new DeliveryError({ message: 'refused', event: wire('Seen'), actionId });
      pack.errors$.next(given('a1'));
      pack.errors$.next(given());
      pack.errors$.next(given());
      pack.errors$.next(
        new InferredDeliveryError({ message: 'landed', event: wire('Done'), actionId: 'a2' }),
      );
      pack.errors$.next(toPackError('not an Error'));
      const failures = 'flyte_pack_delivery_failures_total';
      expect(await valueOf(registry, failures, { ...p, kind: 'result', failure: 'given_up' })).toBe(
        1,
      );
      expect(await valueOf(registry, failures, { ...p, kind: 'event', failure: 'given_up' })).toBe(
        2,
      );
      expect(await valueOf(registry, failures, { ...p, kind: 'result', failure: 'inferred' })).toBe(
        1,
      );
      const errors = 'flyte_pack_errors_total';
      expect(await valueOf(registry, errors, { ...p, error: 'DeliveryError' })).toBe(3);
      expect(await valueOf(registry, errors, { ...p, error: 'InferredDeliveryError' })).toBe(1);
      expect(await valueOf(registry, errors, { ...p, error: 'FlyteError' })).toBe(1);
    });

    it('makes a histogram of the posts and time of each accepted delivery', async () => {
      const receipt = (attempts: number, ms: number, kind: 'result' | 'event' = 'result') =>
        pack.delivered$.next({
          kind,
          end: 'delivered',
          event: wire('X'),
          attempts,
          ms,
          time: 0,
          inferred: false,
        });
      receipt(1, 10);
      receipt(4, 2000);
      receipt(1, 5, 'event');
      const results = { ...p, kind: 'result' };
      expect(await valueOf(registry, 'flyte_pack_delivery_attempts_count', results)).toBe(2);
      expect(await valueOf(registry, 'flyte_pack_delivery_attempts_sum', results)).toBe(5);
      expect(
        await valueOf(registry, 'flyte_pack_delivery_attempts_bucket', { ...results, le: 3 }),
      ).toBe(1);
      expect(await valueOf(registry, 'flyte_pack_delivery_duration_seconds_sum', results)).toBe(
        2.01,
      );
      expect(
        await valueOf(registry, 'flyte_pack_delivery_attempts_count', { ...p, kind: 'event' }),
      ).toBe(1);
    });

    it("labels a FATAL the handler returned itself 'handler', and counts recovered actions", async () => {
      const taken = action('a1');
      const stranded = action('a2', { recovered: { strandedFor: 60_000 } as Action['recovered'] });
      pack.actions$.next(taken);
      pack.actions$.next(stranded);
      pack.results$.next({
        action: taken,
        event: fatalEvent({ reason: 'no-rota-today' }),
        outcome: 'fatal',
        handlerMs: 5,
        attempts: 1,
      });
      pack.results$.next({
        action: stranded,
        event: { eventDef: rotaRetrieved, payload: 'Ann' },
        outcome: 'success',
        handlerMs: 5,
        attempts: 1,
        recovered: true,
      });
      const rota = { ...p, command: 'Rota' };
      expect(
        await valueOf(registry, 'flyte_pack_results_total', {
          ...rota,
          outcome: 'fatal',
          reason: 'handler',
        }),
      ).toBe(1);
      expect(
        await valueOf(registry, 'flyte_pack_actions_taken_total', { ...rota, recovered: 'true' }),
      ).toBe(1);
      expect(
        await valueOf(registry, 'flyte_pack_actions_taken_total', { ...rota, recovered: 'false' }),
      ).toBe(1);
      expect(await valueOf(registry, 'flyte_pack_recovered_actions_total', rota)).toBe(1);
    });

    it("counts the recovery scans' requests and shows what the last one left unread", async () => {
      const reach = { requests: 3, deepest: 120, cutoff: 0, unreadMs: 0 };
      pack.recoveryScans$.next({ ...reach, unreadMs: 90_000 });
      pack.recoveryScans$.next({ ...reach, requests: 2 });
      expect(await valueOf(registry, 'flyte_pack_recovery_scan_requests_total', p)).toBe(5);
      expect(await valueOf(registry, 'flyte_pack_recovery_scan_unread_seconds', p)).toBe(0);
    });

    it('follows the gauges: status, handlers running, slots in use, outbox size', async () => {
      expect(await valueOf(registry, 'flyte_pack_status', { ...p, status: 'idle' })).toBe(1);
      pack.status$.next('backing-off');
      pack.actions$.next(action('a1'));
      pack.actions$.next(action('a2'));
      pack.inFlight$.next(3);
      pack.outboxSize$.next(2);
      expect(await valueOf(registry, 'flyte_pack_status', { ...p, status: 'idle' })).toBe(0);
      expect(await valueOf(registry, 'flyte_pack_status', { ...p, status: 'backing-off' })).toBe(1);
      expect(await valueOf(registry, 'flyte_pack_handlers_in_flight', p)).toBe(2);
      expect(await valueOf(registry, 'flyte_pack_slots_in_use', p)).toBe(3);
      expect(await valueOf(registry, 'flyte_pack_outbox_size', p)).toBe(2);
      expect(await valueOf(registry, 'flyte_pack_concurrency', p)).toBe(4);
    });

    it('stops feeding the metrics when unsubscribed', async () => {
      const other = fakePack();
      const metrics = packMetrics(other);
      other.registered$.next({ id: 'x' } as RegisteredPack);
      metrics.unsubscribe();
      other.registered$.next({ id: 'y' } as RegisteredPack);
      expect(other.registered$.observed).toBeFalse();
      expect(await valueOf(metrics.registry, 'flyte_pack_registrations_total', p)).toBe(1);
    });
  });

  it("uses a registry of the pack's own, leaving prom-client's global one alone", async () => {
    const before = (await globalRegistry.getMetricsAsJSON()).length;
    const one = packMetrics(fakePack()).registry;
    const two = packMetrics(fakePack()).registry;
    expect(one).not.toBe(two);
    expect(one).not.toBe(globalRegistry);
    expect((await globalRegistry.getMetricsAsJSON()).length).toBe(before);
    expect(await valueOf(one, 'flyte_pack_concurrency', { pack: 'stub-pack' })).toBe(4);
  });

  it('lets packs share a registry given to it, told apart by the pack label', async () => {
    const registry = new Registry();
    const first = fakePack();
    const second = { ...fakePack(), name: 'other-pack', concurrency: 2 };
    packMetrics(first, { registry });
    packMetrics(second, { registry });
    first.registered$.next({ id: '1' } as RegisteredPack);
    expect(await valueOf(registry, 'flyte_pack_registrations_total', { pack: 'stub-pack' })).toBe(
      1,
    );
    expect(await valueOf(registry, 'flyte_pack_registrations_total', { pack: 'other-pack' })).toBe(
      0,
    );
    expect(await valueOf(registry, 'flyte_pack_concurrency', { pack: 'other-pack' })).toBe(2);
  });
});
