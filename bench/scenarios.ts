// The scenarios of bench/run.ts. Each runs a real Pack (asyncScheduler, real time) to the end
// of a bounded workload and returns raw figures plus counts that do not depend on the machine.
import { silentLogger } from '../lib/model/logger.js';
import { Pack } from '../lib/pack/pack.js';
import type { FaultConfig } from '../lib/testing/fake-http-types.js';
import { FakeFlyteServer } from '../lib/testing/fake-flyte-server.js';
import { InMemoryFlyteApi } from '../lib/testing/in-memory-flyte-api.js';
import { onCalls, benchPack, type Concurrency, reach, seen } from './measure.js';
import { nodeFlyteApi } from '../lib/node/node-flyte-api.js';

/** What one throughput scenario measured. */
export interface Throughput {
  readonly label: string;
  readonly actions: number;
  readonly concurrency: number;
  readonly ms: number;
  readonly takes: number;
  /** Calls of the API (in memory) or HTTP requests (loopback), registration included, events excluded. */
  readonly requests: number;
  readonly stats: Concurrency;
  readonly eventsSent: number;
  readonly eventsResolved: number;
  readonly eventsRecorded: number;
  readonly succeeded: number;
}

const TIMEOUT_MS = 60_000;
const fresh = (): Concurrency => ({ running: 0, peak: 0, runs: 0 });

/** register → take → handle → complete for `actions` actions over the in-memory API. */
export async function inMemory(
  label: string,
  actions: number,
  concurrency: number,
  handlerMs: number,
): Promise<Throughput> {
  const api = new InMemoryFlyteApi();
  const stats = fresh();
  const pack = new Pack(benchPack('bench-pack', handlerMs, stats), {
    api,
    logger: silentLogger,
    handlers: { concurrency },
  });
  for (let i = 0; i < actions; i++)
    api.model.enqueueAction({ packName: 'bench-pack', command: 'Work', input: i });
  let completed = 0;
  const counter = api.calls$.subscribe((c) => {
    if (c.method === 'complete' && c.outcome === 'ok') completed++;
  });
  const t0 = performance.now();
  await pack.start();
  await reach(
    actions,
    () => completed,
    (l) => onCalls(api, l),
    TIMEOUT_MS,
  );
  const ms = performance.now() - t0;
  await pack.stop({ grace: 1000, flushDeadline: 1000 });
  counter.unsubscribe();
  const succeeded = api.model.actions().filter((a) => a.state === 'SUCCESS').length;
  return {
    label,
    actions,
    concurrency,
    ms,
    takes: api.callsOf('take').length,
    requests: api.calls.filter((c) => c.method !== 'event').length,
    stats,
    eventsSent: 0,
    eventsResolved: 0,
    eventsRecorded: 0,
    succeeded,
  };
}

/** The same against the fake flyte server over loopback HTTP, plus spontaneous events. */
export async function overHttp(
  label: string,
  actions: number,
  concurrency: number,
  handlerMs: number,
  events: number,
  faults?: FaultConfig,
): Promise<Throughput> {
  const server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
  await server.start();
  if (faults) server.setFaults(faults);
  const stats = fresh();
  const pack = new Pack(benchPack('bench-pack', handlerMs, stats), {
    api: nodeFlyteApi({ url: server.url, logger: silentLogger }),
    logger: silentLogger,
    handlers: { concurrency },
    delivery: { eventAttempts: 50 },
    transport: { backoff: { initialDelay: 5, maxDelay: 50 } },
  });
  for (let i = 0; i < actions; i++)
    server.enqueueAction({ packName: 'bench-pack', command: 'Work', input: i });
  const results = () => server.actions().filter((a) => a.result).length;
  const t0 = performance.now();
  await pack.start();
  const sends = Array.from({ length: events }, (_, n) =>
    pack.sendEvent({ eventDef: seen, payload: n }).then(
      () => 1,
      () => 0,
    ),
  );
  await reach(actions, results, (l) => server.onChange(l), TIMEOUT_MS);
  const resolved = (await Promise.all(sends)).reduce<number>((a, b) => a + b, 0);
  const ms = performance.now() - t0;
  await pack.stop({ grace: 1000, flushDeadline: 1000 });
  const requests = server.requests().filter((r) => r.endpoint && r.endpoint !== 'event');
  await server.close();
  return {
    label,
    actions,
    concurrency,
    ms,
    takes: requests.filter((r) => r.endpoint === 'take').length,
    requests: requests.length,
    stats,
    eventsSent: events,
    eventsResolved: resolved,
    eventsRecorded: server.events().length,
    succeeded: server.actions().filter((a) => a.state === 'SUCCESS').length,
  };
}
