import { EventEmitter } from 'node:events';
import { Counter, register as globalRegistry, Registry } from 'prom-client';
import { firstValueFrom, take, toArray } from 'rxjs';
import type { PackDef } from '../../../lib/model/definitions.js';
import { silentLogger } from '../../../lib/model/logger.js';
import { runPack } from '../../../lib/node/run-pack.js';
import type { RunningPack, RunPackOptions } from '../../../lib/node/run-pack-options.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';

const pong = { name: 'Pong' };
const def: PackDef = {
  name: 'metered-pack',
  commands: [
    {
      name: 'Ping',
      outputEvents: [pong],
      handler: (input) => {
        if (input === 'boom') throw new Error('boom');
        return { eventDef: pong, payload: input };
      },
    },
  ],
};

/** One sample of the Prometheus text: its name, labels and value. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition (label values without commas or quotes). */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line) ?? [];
      if (name === undefined || value === undefined) throw new Error(`not a sample: ${line}`);
      const pairs = labels
        .split(',')
        .filter(Boolean)
        .map((pair) => /^(\w+)="(.*)"$/.exec(pair)!.slice(1, 3) as [string, string]);
      return { name, labels: Object.fromEntries(pairs), value: Number(value) };
    });
}

/** The value of the one sample named `name` whose labels include `labels`. */
function valueIn(all: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = all.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} match`);
  return found[0]!.value;
}

// A pack run by runPack against the fake flyte server; its health server answers /metrics.
describe('GET /metrics on the health port of a running pack', () => {
  let server: FakeFlyteServer;
  let running: RunningPack | undefined;

  const run = (extra: Partial<RunPackOptions> = {}) =>
    runPack(def, {
      env: { FLYTE_API: server.url, FLYTE_POLL_INTERVAL_MS: '500' },
      config: { healthPort: 0, healthHost: '127.0.0.1' },
      logger: silentLogger,
      signalSource: new EventEmitter(),
      exit: () => undefined,
      ...extra,
    });

  beforeEach(async () => {
    server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
    await server.start();
  });

  afterEach(async () => {
    await running?.shutdown();
    running = undefined;
    await server.close();
  });

  it('shows the actions taken, their results and durations with real values', async () => {
    running = await run();
    // The metrics subscribed first, so they have seen every receipt this has.
    const delivered = firstValueFrom(running.pack.delivered$.pipe(take(4), toArray()));
    await running.pack.start();
    for (const input of ['a', 'b', 'boom', 'c']) {
      server.enqueueAction({ packName: 'metered-pack', command: 'Ping', input });
    }
    await delivered;

    expect(running.metricsUrl).toBe(running.healthUrl!.replace(/\/health$/, '/metrics'));
    const res = await fetch(running.metricsUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const all = samples(text);
    const ping = { pack: 'metered-pack', command: 'Ping' };
    const p = { pack: 'metered-pack' };
    expect(valueIn(all, 'flyte_pack_actions_taken_total', { ...ping, recovered: 'false' })).toBe(4);
    expect(valueIn(all, 'flyte_pack_results_total', { ...ping, outcome: 'success' })).toBe(3);
    expect(
      valueIn(all, 'flyte_pack_results_total', { ...ping, outcome: 'fatal', reason: 'threw' }),
    ).toBe(1);
    expect(
      valueIn(all, 'flyte_pack_handler_duration_seconds_count', { ...ping, outcome: 'success' }),
    ).toBe(3);
    expect(
      valueIn(all, 'flyte_pack_handler_duration_seconds_bucket', {
        ...ping,
        outcome: 'success',
        le: '+Inf',
      }),
    ).toBe(3);
    expect(valueIn(all, 'flyte_pack_polls_total', { ...p, kind: 'action' })).toBe(4);
    expect(valueIn(all, 'flyte_pack_take_duration_seconds_count', { ...p, kind: 'action' })).toBe(
      4,
    );
    expect(valueIn(all, 'flyte_pack_take_races_total', p)).toBe(0);
    expect(valueIn(all, 'flyte_pack_delivery_attempts_count', { ...p, kind: 'result' })).toBe(4);
    expect(
      valueIn(all, 'flyte_pack_delivery_failures_total', {
        ...p,
        kind: 'result',
        failure: 'given_up',
      }),
    ).toBe(0);
    expect(valueIn(all, 'flyte_pack_registrations_total', p)).toBe(1);
    expect(valueIn(all, 'flyte_pack_status', { ...p, status: 'running' })).toBe(1);
    expect(valueIn(all, 'flyte_pack_handlers_in_flight', p)).toBe(0);
    expect(valueIn(all, 'flyte_pack_outbox_size', p)).toBe(0);
    expect(valueIn(all, 'flyte_pack_concurrency', p)).toBe(running.pack.concurrency);
    expect(text).toContain('# HELP flyte_pack_actions_taken_total ');
    expect(text).toContain('# TYPE flyte_pack_handler_duration_seconds histogram');
  });

  it('registers the metrics in a registry given to it, and serves that registry', async () => {
    const registry = new Registry();
    const own = new Counter({
      name: 'app_things_total',
      help: 'things',
      registers: [registry],
    });
    own.inc(2);
    const before = (await globalRegistry.getMetricsAsJSON()).length;
    running = await run({ metrics: { registry } });
    await running.pack.start();
    const all = samples(await (await fetch(running.metricsUrl!)).text());
    expect(valueIn(all, 'app_things_total')).toBe(2);
    expect(valueIn(all, 'flyte_pack_registrations_total', { pack: 'metered-pack' })).toBe(1);
    expect((await globalRegistry.getMetricsAsJSON()).length).toBe(before);
  });

  it('serves no /metrics with metrics: false', async () => {
    running = await run({ metrics: false });
    expect(running.metricsUrl).toBeUndefined();
    const res = await fetch(running.healthUrl!.replace(/\/health$/, '/metrics'));
    expect(res.status).toBe(404);
  });
});
