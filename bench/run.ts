// `make bench`: throughput of the pack runtime against the in-memory API and against the fake
// flyte server on loopback, the heap it keeps per 10k actions, then throughput and pickup
// against a flyte-like server in a child process (bench/throughput.ts), then the lean figures
// of the built package in plain Node children (bench/lean.ts). Prints raw figures (which
// depend on the machine) and ratios and counts (which should not); each target of issue 22 is
// marked `#22` beside its figure, MET or NOT MET, and tallied at the end. Bounded: fixed workloads,
// a watchdog, and it exits by itself.
import { memoryPer10k } from './memory.js';
import { leanFigures } from './lean.js';
import { fmt, tally } from './measure.js';
import { inMemory, overHttp, type Throughput } from './scenarios.js';
import { throughputAndPickup } from './throughput.js';

// The whole run takes a few minutes; the watchdog ends a stuck one.
const WATCHDOG_MS = 360_000;
const say = (line = '') => process.stdout.write(`${line}\n`);

function report(t: Throughput): void {
  const perSecond = (t.actions / t.ms) * 1000;
  say(
    `${t.label.padEnd(38)}${fmt(t.actions, 0, 6)}${fmt(t.concurrency, 0, 5)}${fmt(t.ms, 0, 8)}${fmt(perSecond, 0, 9)}` +
      `${fmt(t.takes / t.actions, 3, 9)}${fmt(t.requests / t.actions, 3, 10)}` +
      `${fmt(t.stats.runs / t.actions, 3, 8)}${fmt(t.succeeded / t.actions, 3, 8)}` +
      `${`${t.stats.peak}/${t.concurrency}`.padStart(9)}` +
      (t.eventsSent
        ? `${`${t.eventsRecorded}/${t.eventsResolved}/${t.eventsSent}`.padStart(13)}`
        : ''),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  say(
    'flyte-client bench (real time, asyncScheduler; figures depend on the machine, ratios should not)',
  );
  say();
  say(
    `${'scenario'.padEnd(38)}${'acts'.padStart(6)}${'conc'.padStart(5)}${'ms'.padStart(8)}${'acts/s'.padStart(9)}` +
      `${'takes/a'.padStart(9)}${'calls/a'.padStart(10)}${'runs/a'.padStart(8)}${'ok/a'.padStart(8)}` +
      `${'peak/cap'.padStart(9)}${'ev rec/ok/sent'.padStart(15)}`,
  );
  const results: Throughput[] = [];
  const run = async (t: Promise<Throughput>) => {
    const r = await t;
    results.push(r);
    report(r);
  };
  await run(inMemory('in-memory, sync handler', 1000, 1, 0));
  await run(inMemory('in-memory, sync handler', 1000, 10, 0));
  await run(inMemory('in-memory, 10 ms handler', 1000, 10, 10));
  await run(inMemory('in-memory, 10 ms handler', 1000, 50, 10));
  await run(overHttp('http loopback, 10 ms handler', 500, 10, 10, 200));
  await run(
    overHttp('http, 20% 500s+drops before (seed 7)', 300, 10, 10, 100, {
      errorRate: 0.1,
      dropRate: 0.1,
      dropWhen: 'before',
      seed: 7,
    }),
  );
  say();
  say(
    'columns: takes/a = takes per action; calls/a = API calls (in memory) or HTTP requests per action,',
  );
  say(
    'registration included, event posts excluded; runs/a = handler runs per action; ok/a = SUCCESS per action;',
  );
  say(
    'peak/cap = most handlers running at once / concurrency bound; ev rec/ok/sent = spontaneous events',
  );
  say('recorded by the server / sendEvent promises resolved / events sent.');

  const memory = await memoryPer10k();
  const delta = memory.heapAfter - memory.heapBefore;
  say();
  say(
    `memory: ${memory.actions} actions through one running pack in ${memory.rounds} rounds (server state reset between rounds)`,
  );
  say(
    `  heap after GC: ${fmt(memory.heapBefore / 1e6, 2, 0)} MB before, ${fmt(memory.heapAfter / 1e6, 2, 0)} MB after`,
  );
  say(
    `  heap delta per 10k actions: ${fmt(((delta / memory.actions) * 10_000) / 1e3, 1, 0)} kB (${fmt(delta / memory.actions, 1, 0)} B per action)`,
  );
  say(
    `  actions SUCCESS per action: ${fmt(memory.succeeded / memory.actions, 3, 0)}; re-registrations per round: ${fmt(memory.registrations / memory.rounds, 2, 0)} (expected 1: each reset forgets the pack)`,
  );

  const http = results.find((r) => r.label.startsWith('http loopback'));
  const mem = results.find((r) => r.concurrency === 10 && r.label.includes('10 ms'));
  if (http && mem) {
    say();
    const ratio = mem.actions / mem.ms / (http.actions / http.ms);
    say(
      `throughput in memory / over loopback HTTP (10 ms handler, concurrency 10): ${fmt(ratio, 2, 0)}`,
    );
  }
  say();
  await throughputAndPickup(say);
  say();
  await leanFigures(say);
  say();
  tally(say);
  say(`the whole run: ${fmt((performance.now() - started) / 1000, 0, 0)} s`);
  const bad = results.filter(
    (r) => r.succeeded !== r.actions || r.stats.runs !== r.actions || r.stats.peak > r.concurrency,
  );
  if (bad.length) {
    say(`INVARIANT BROKEN in: ${bad.map((r) => r.label).join(', ')}`);
    process.exit(1);
  }
}

const watchdog = setTimeout(() => {
  process.stderr.write(`bench: gave up after ${WATCHDOG_MS} ms\n`);
  process.exit(1);
}, WATCHDOG_MS);
main().then(
  () => {
    clearTimeout(watchdog);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
