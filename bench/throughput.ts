// `make bench`, throughput and pickup: the pack against the fake flyte server running in a
// child process (so serving never competes with the pack for its thread), with a flyte-like
// store (1 ms per store operation, take races included) and 1 ms latency per request. Each
// figure is printed beside its target, MET or NOT MET. Paired figures are measured
// interleaved, best of two, in the same run. Every pack talks over node:http, as runPack's do.
import { silentLogger } from '../lib/model/logger.js';
import { nodeFlyteApi } from '../lib/node/node-flyte-api.js';
import { Pack } from '../lib/pack/pack.js';
import type { PackOptions } from '../lib/pack/pack-options.js';
import { DEFAULT_BURST_POLLING } from '../lib/streams/burst-polling.js';
import { pacedTakes, type PacedDrain } from './paced-takes.js';
import { CountingApi } from './counting-api.js';
import { FakeServerProcess, wallClock } from './fake-server-process.js';
import { collector, fmt, line } from './measure.js';
import { ROTA_COMMAND, ROTA_PACK, rotaLikePack } from './rota-like.js';

const ACTIONS = 1000;
const WAIT_MS = 60_000;
const PICKUPS = 5;
/** Results after which the heap is measured. */
const HEAP_AFTER = 500;
const IDLE_INTERVALS = 12;
const STOP = { grace: 1000, flushDeadline: 1000 };
/** The pack's one-take-at-a-time mode. */
const ONE_TAKE: Partial<PackOptions> = { polling: { maxTakesInFlight: 1 } };
/** Gaps between takes tried by the paced bare client (the store's take ceiling), in ms. */
const CEILING_GAPS = [1.5, 2, 2.5, 3];
/** Concurrency at which 20 ms handlers, not the store, bound a pack (handler-bound scaling). */
const HANDLER_BOUND_CONCURRENCY = 2;
const HANDLER_BOUND_ACTIONS = 300;
/** Issue 22: the default drain's least share of the paced bare client's ceiling. */
const MIN_CEILING_SHARE = 0.7;
/** Issue 22: the most take races per 100 takes of the default drain. */
const MAX_RACES_PER_100 = 15;

/** What one drain measured. */
interface Drain {
  readonly perSecond: number;
  readonly takes: number;
  readonly races: number;
  readonly cpuUsPerAction: number;
  readonly meanInFlight: number;
  readonly peakInFlight: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const best = (runs: Drain[]): Drain => runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The flyte API over node:http at `server`, as runPack builds it. */
const nodeApi = (server: FakeServerProcess) =>
  nodeFlyteApi({ url: server.url, logger: silentLogger });

/** Packs of the rota-like pack against `server`, each through a {@link CountingApi}. */
function packsFor(
  server: FakeServerProcess,
  count: number,
  handlerMs: number,
  options: Partial<PackOptions>,
): { packs: Pack[]; apis: CountingApi[] } {
  const apis = Array.from({ length: count }, () => new CountingApi(nodeApi(server)));
  const packs = apis.map(
    (api) =>
      new Pack(rotaLikePack(handlerMs), { url: server.url, api, logger: silentLogger, ...options }),
  );
  return { packs, apis };
}

/** `actions` queued actions drained by `count` packs: actions/s from start to the last result. */
async function drain(
  server: FakeServerProcess,
  actions: number,
  options: Partial<PackOptions> = {},
  count = 1,
  handlerMs = 0,
): Promise<Drain> {
  await server.reset();
  await server.enqueue(ROTA_PACK, ROTA_COMMAND, actions);
  const { packs, apis } = packsFor(server, count, handlerMs, options);
  const cpu = process.cpuUsage();
  const t0 = wallClock();
  await Promise.all(packs.map((p) => p.start()));
  const end = await server.waitForResults(actions, WAIT_MS);
  const used = process.cpuUsage(cpu);
  const meanInFlight = apis.reduce((sum, a) => sum + a.mean(), 0);
  const peakInFlight = apis.reduce((sum, a) => sum + a.peak, 0);
  await Promise.all(packs.map((p) => p.stop(STOP)));
  const take = (await server.stats()).take;
  return {
    perSecond: (actions / (end - t0)) * 1000,
    takes: take?.count ?? 0,
    races: take?.races ?? 0,
    cpuUsPerAction: (used.user + used.system) / actions,
    meanInFlight,
    peakInFlight,
  };
}

/** Pickup delay of actions enqueued 1 s after the previous result, default options. */
async function followUpPickups(server: FakeServerProcess, samples: number): Promise<number[]> {
  await server.reset();
  const pack = new Pack(rotaLikePack(), { api: nodeApi(server), logger: silentLogger });
  const taken: number[] = [];
  const subscription = pack.actions$.subscribe(() => taken.push(wallClock()));
  await pack.start();
  const delays: number[] = [];
  // The first action starts the flow; each next one comes 1 s after the previous result.
  await server.enqueue(ROTA_PACK, ROTA_COMMAND, 1);
  let resultAt = await server.waitForResults(1, WAIT_MS);
  for (let i = 1; i <= samples; i++) {
    await sleep(Math.max(0, resultAt + 1000 - wallClock()));
    const enqueuedAt = await server.enqueue(ROTA_PACK, ROTA_COMMAND, 1);
    resultAt = await server.waitForResults(i + 1, WAIT_MS);
    delays.push(taken[i]! - enqueuedAt);
  }
  subscription.unsubscribe();
  await pack.stop(STOP);
  return delays;
}

/** The pack's default poll interval, in ms. */
const DEFAULT_POLL_INTERVAL = 5000;

/**
 * Takes per poll interval of a pack left idle after a burst, on a timeline scaled down
 * tenfold: `pollInterval` 500 ms for the default 5 s and burst polling's first wait a tenth of
 * its default, so the burst decays in a tenth of the time and 12 intervals of silence stand
 * for a minute.
 */
async function idleTakes(server: FakeServerProcess, intervals: number): Promise<number> {
  const pollInterval = 500;
  const scale = pollInterval / DEFAULT_POLL_INTERVAL;
  const burstPolling = { ...DEFAULT_BURST_POLLING, first: DEFAULT_BURST_POLLING.first * scale };
  await server.reset();
  await server.enqueue(ROTA_PACK, ROTA_COMMAND, 50);
  const pack = new Pack(rotaLikePack(), {
    api: nodeApi(server),
    logger: silentLogger,
    polling: { interval: pollInterval, burst: burstPolling },
  });
  await pack.start();
  await server.waitForResults(50, WAIT_MS);
  await sleep(intervals * pollInterval);
  const before = (await server.stats()).take?.count ?? 0;
  await sleep(intervals * pollInterval);
  const after = (await server.stats()).take?.count ?? 0;
  await pack.stop(STOP);
  return (after - before) / intervals;
}

/** Heap used (after GC) while one default pack works through a backlog of `backlog`. */
async function heapAtBacklog(server: FakeServerProcess, backlog: number): Promise<number> {
  const gc = collector();
  await server.reset();
  await server.enqueue(ROTA_PACK, ROTA_COMMAND, backlog);
  gc();
  const pack = new Pack(rotaLikePack(), { api: nodeApi(server), logger: silentLogger });
  await pack.start();
  await server.waitForResults(HEAP_AFTER, WAIT_MS);
  gc();
  const heap = process.memoryUsage().heapUsed;
  await pack.stop(STOP);
  return heap;
}

/**
 * Runs the throughput-and-pickup section of `make bench` and prints it with `say`.
 *
 * @param say - prints one line.
 * @example
 * await throughputAndPickup((line) => process.stdout.write(`${line}\n`));
 */
export async function throughputAndPickup(say: (l: string) => void): Promise<void> {
  say('throughput and pickup (fake flyte server in a child process; rota-like pack)');
  const flyteLike = await FakeServerProcess.start({ storeLatencyMs: 1, latencyMs: 1 });
  try {
    say(
      `store 1 ms + latency 1 ms, ${ACTIONS} queued actions, best of 2 interleaved runs ` +
        '(after one of each to warm up the code of this process, not counted):',
    );
    const defaults: Drain[] = [];
    const oneTake: Drain[] = [];
    // The packs run in this process: their first drain would also time V8 compiling them.
    await drain(flyteLike, ACTIONS);
    await drain(flyteLike, ACTIONS, ONE_TAKE);
    for (let round = 0; round < 2; round++) {
      defaults.push(await drain(flyteLike, ACTIONS));
      oneTake.push(await drain(flyteLike, ACTIONS, ONE_TAKE));
    }
    const d = best(defaults);
    const o = best(oneTake);
    const racesPer100 =
      (100 * defaults.reduce((s, r) => s + r.races, 0)) /
      Math.max(
        1,
        defaults.reduce((s, r) => s + r.takes, 0),
      );
    const perSecond = (r: { perSecond: number }) => `${fmt(r.perSecond, 0, 0)} actions/s`;
    const drainNote = (r: Drain) =>
      `${fmt(r.takes / ACTIONS, 2, 0)} takes per action, ${fmt(r.meanInFlight, 1, 0)} takes in flight on average, at most ${r.peakInFlight}`;
    line(say, 'drain, default settings', perSecond(d), undefined, drainNote(d));
    line(
      say,
      'drain, one take in flight (maxTakesInFlight: 1)',
      perSecond(o),
      undefined,
      drainNote(o),
    );
    const ratio = d.perSecond / o.perSecond;
    line(
      say,
      'ratio default / one take in flight',
      `${fmt(ratio, 2, 0)}x`,
      undefined,
      "an earlier issue's target, >= 2.5x, kept as information: issue 22 measures the default against the ceiling below",
    );
    line(
      say,
      'take races per 100 takes, default settings',
      fmt(racesPer100, 1, 0),
      undefined,
      `both runs' races over both runs' takes; issue 22's bound, <= ${MAX_RACES_PER_100}, is part of the ceiling share below`,
    );
    // What any client can reach: a bare client pacing its takes, best drain with <= 10 races.
    const paced: PacedDrain[] = [];
    for (const gap of CEILING_GAPS) {
      await flyteLike.reset();
      await flyteLike.enqueue(ROTA_PACK, ROTA_COMMAND, ACTIONS);
      paced.push(await pacedTakes(flyteLike.url, ACTIONS, gap));
    }
    const pacedRate = (p: PacedDrain) => (ACTIONS / p.ms) * 1000;
    const pacedRaces = (p: PacedDrain) => (100 * p.races) / Math.max(1, p.takes);
    const fewRaces = paced.filter((p) => pacedRaces(p) <= 10);
    const ceiling = fewRaces.length
      ? fewRaces.reduce((a, b) => (pacedRate(b) > pacedRate(a) ? b : a))
      : undefined;
    line(
      say,
      'ceiling: bare client pacing its takes',
      ceiling ? perSecond({ perSecond: pacedRate(ceiling) }) : 'none <= 10 races',
      undefined,
      'no SDK: node:http takes sent every gap ms (setImmediate-timed), best drain with <= 10 races per 100; ' +
        paced
          .map(
            (p) => `${p.gapMs} ms: ${fmt(pacedRate(p), 0, 0)}/s, ${fmt(pacedRaces(p), 1, 0)} races`,
          )
          .join('; '),
    );
    if (ceiling) {
      line(
        say,
        'ratio ceiling / one take in flight',
        `${fmt(pacedRate(ceiling) / o.perSecond, 2, 0)}x`,
        undefined,
        'the most any client of this store reaches with <= 10 races per 100',
      );
    }
    const share = ceiling ? d.perSecond / pacedRate(ceiling) : 0;
    line(
      say,
      'ratio default / ceiling, races per 100 takes',
      ceiling ? `${fmt(100 * share, 0, 0)} %, ${fmt(racesPer100, 1, 0)}` : 'no ceiling',
      {
        text: `>= ${100 * MIN_CEILING_SHARE} %, <= ${MAX_RACES_PER_100}`,
        met: share >= MIN_CEILING_SHARE && racesPer100 <= MAX_RACES_PER_100,
      },
      'the best default drain over the ceiling above; races of the default runs',
    );
    line(
      say,
      'CPU per action, default settings',
      `${fmt(d.cpuUsPerAction, 0, 0)} us`,
      undefined,
      'user + system time of the pack process (the server runs in another) over the drain',
    );

    const one: Drain[] = [];
    const three: Drain[] = [];
    for (let round = 0; round < 2; round++) {
      one.push(await drain(flyteLike, ACTIONS, {}, 1, 20));
      three.push(await drain(flyteLike, ACTIONS, {}, 3, 20));
    }
    const p1 = best(one);
    const p3 = best(three);
    line(say, 'one pack, 20 ms handlers', perSecond(p1));
    line(say, 'three packs in one process, 20 ms handlers', perSecond(p3));
    const scale = p3.perSecond / p1.perSecond;
    line(
      say,
      'ratio three packs / one',
      `${fmt(scale, 2, 0)}x`,
      undefined,
      "an earlier issue's target, >= 2.5x, kept as information: the store's take ceiling bounds three packs as it bounds one",
    );
    // The same where the handlers are the bound: a concurrency at which one pack drains far
    // below the store's take ceiling.
    const bound = { handlers: { concurrency: HANDLER_BOUND_CONCURRENCY } };
    const h1: Drain[] = [];
    const h3: Drain[] = [];
    for (let round = 0; round < 2; round++) {
      h1.push(await drain(flyteLike, HANDLER_BOUND_ACTIONS, bound, 1, 20));
      h3.push(await drain(flyteLike, HANDLER_BOUND_ACTIONS, bound, 3, 20));
    }
    const hb1 = best(h1);
    const hb3 = best(h3);
    line(say, `one pack, 20 ms handlers, concurrency ${HANDLER_BOUND_CONCURRENCY}`, perSecond(hb1));
    line(
      say,
      `three packs, 20 ms handlers, concurrency ${HANDLER_BOUND_CONCURRENCY}`,
      perSecond(hb3),
    );
    line(
      say,
      'ratio three packs / one, handler-bound',
      `${fmt(hb3.perSecond / hb1.perSecond, 2, 0)}x`,
      undefined,
      `${HANDLER_BOUND_ACTIONS} queued actions; each pack's handlers, not the store, are the bound`,
    );

    const pickups = await followUpPickups(flyteLike, PICKUPS);
    const p50 = median(pickups);
    line(
      say,
      'follow-up pickup p50, default options',
      `${fmt(p50, 0, 0)} ms`,
      { text: '<= 300 ms', met: p50 <= 300 },
      `${PICKUPS} actions, each enqueued 1 s after the previous result; ` +
        `from ${fmt(Math.min(...pickups), 0, 0)} to ${fmt(Math.max(...pickups), 0, 0)} ms`,
    );
    const idle = await idleTakes(flyteLike, IDLE_INTERVALS);
    line(
      say,
      'takes per pollInterval while idle',
      fmt(idle, 2, 0),
      { text: '<= 1.2', met: idle <= 1.2 },
      `time scaled down tenfold: pollInterval 500 ms, burst polling's first wait a tenth; ` +
        `counted over ${IDLE_INTERVALS} intervals after ${IDLE_INTERVALS} silent ones (a minute at 5 s)`,
    );
    const heaps: Record<number, number[]> = { 1000: [], 10000: [] };
    for (let round = 0; round < 2; round++) {
      for (const backlog of [1000, 10000])
        heaps[backlog]!.push(await heapAtBacklog(flyteLike, backlog));
    }
    const h1k = Math.min(...heaps[1000]!);
    const h10k = Math.min(...heaps[10000]!);
    const growth = (h10k - h1k) / h1k;
    line(
      say,
      'heap at a 10k backlog vs a 1k backlog',
      `${growth >= 0 ? '+' : ''}${fmt(100 * growth, 1, 0)} %`,
      { text: 'within 10 %', met: Math.abs(growth) <= 0.1 },
      `${fmt(h10k / 1e6, 1, 0)} MB vs ${fmt(h1k / 1e6, 1, 0)} MB used after GC, ${HEAP_AFTER} actions into the drain, least of 2`,
    );
  } finally {
    await flyteLike.close();
  }
}
