// `make bench`, the lean figures of issue 22: a no-op pack as runPack runs it, from the BUILT
// package in a plain Node child (bench/lean-child.mjs, no tsx), side by side with a bare
// node:http take -> result loop and a bare node process, against the fake flyte server in its
// own child process (loopback, atomic store). Each ratio comes from runs of this one bench,
// interleaved; raw figures beside them.
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FakeServerProcess, wallClock } from './fake-server-process.js';
import { fmt, line } from './measure.js';
import { ROTA_COMMAND, ROTA_PACK } from './rota-like.js';
import { earlyOptimisationFlag } from '../lib/node/v8-tiering.js';

const ACTIONS = 2000;
const ROUNDS = 2;
/** The in-memory warm-up: actions drained, and the block over which each figure is taken. */
const WARMUP_ACTIONS = 8000;
const WARMUP_BLOCK = 1000;
/** The V8 flag runPack sets on this node (the children run on it too), if any. */
const EARLY_FLAG = earlyOptimisationFlag(process.versions.v8, []);
const CHILD = fileURLToPath(new URL('./lean-child.mjs', import.meta.url));

/** What a child said: its first message (when it is ready) and its last. */
interface ChildRun {
  /** Wall time from the fork to the child's first message, in ms. */
  readonly readyMs: number;
  readonly last: Record<string, number>;
}

/** Forks the lean child in `mode`; resolves with its messages once it exits. */
function child(mode: string, ...args: Array<string | number>): Promise<ChildRun> {
  return childWith([], mode, ...args);
}

/** {@link child} with node's flags `execArgv`. */
function childWith(
  execArgv: string[],
  mode: string,
  ...args: Array<string | number>
): Promise<ChildRun> {
  const t0 = wallClock();
  return new Promise((resolve, reject) => {
    const proc = fork(CHILD, [mode, ...args.map(String)], {
      execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let readyMs: number | undefined;
    let last: Record<string, number> = {};
    proc.on('message', (message: Record<string, number>) => {
      readyMs ??= wallClock() - t0;
      last = message;
    });
    proc.once('exit', (code) =>
      code === 0 && readyMs !== undefined
        ? resolve({ readyMs, last })
        : reject(new Error(`bench/lean-child.mjs ${mode} exited with ${code}`)),
    );
  });
}

const least = (xs: number[]): number => Math.min(...xs);
const mb = (bytes: number) => `${fmt(bytes / 1e6, 1, 0)} MB`;

/**
 * Runs the lean section of `make bench` (needs `dist/`: `make build`) and prints it with `say`.
 *
 * @param say - prints one line.
 * @example
 * await leanFigures((line) => process.stdout.write(`${line}\n`));
 */
export async function leanFigures(say: (l: string) => void): Promise<void> {
  say(
    `lean (built package in plain Node children; loopback, atomic store; ${ACTIONS} queued actions; ` +
      `least or best of ${ROUNDS} interleaved runs):`,
  );
  const server = await FakeServerProcess.start({ storeLatencyMs: 0, latencyMs: 0 });
  try {
    const packs: Array<{
      cpuUs: number;
      warmUs: number;
      ms: number;
      warmMs: number;
      meanInFlight: number;
      peak: number;
      serverUs: number;
    }> = [];
    const bares: Array<{
      cpuUs: number;
      warmUs: number;
      ms: number;
      warmMs: number;
      inFlight: number;
      serverUs: number;
    }> = [];
    /** The pack with V8's own tiering, and the bare loop with runPack's flag (EARLY_FLAG). */
    const notEarly: Array<Record<string, number>> = [];
    const bareEarly: Array<Record<string, number>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      await server.reset();
      await server.enqueue(ROTA_PACK, ROTA_COMMAND, ACTIONS);
      const packServer = await server.cpuUs();
      const p = (await child('pack', server.url, ACTIONS)).last;
      packs.push({
        serverUs: (await server.cpuUs()) - packServer,
        cpuUs: p['cpuUs']!,
        warmUs: p['warmUs']!,
        ms: p['ms']!,
        warmMs: p['warmMs']!,
        meanInFlight: p['meanInFlight']!,
        peak: p['peakInFlight']!,
      });
      const inFlight = Math.max(1, Math.round(p['meanInFlight']!));
      await server.reset();
      await server.enqueue(ROTA_PACK, ROTA_COMMAND, ACTIONS);
      const bareServer = await server.cpuUs();
      const b = (await child('bare', server.url, ACTIONS, inFlight)).last;
      const serverUs = (await server.cpuUs()) - bareServer;
      bares.push({
        cpuUs: b['cpuUs']!,
        warmUs: b['warmUs']!,
        ms: b['ms']!,
        warmMs: b['warmMs']!,
        inFlight,
        serverUs,
      });
      // The same two with V8's early optimisation the other way round: what it does to each.
      if (EARLY_FLAG === undefined) continue;
      await server.reset();
      await server.enqueue(ROTA_PACK, ROTA_COMMAND, ACTIONS);
      notEarly.push((await child('pack', server.url, ACTIONS, 'false')).last);
      await server.reset();
      await server.enqueue(ROTA_PACK, ROTA_COMMAND, ACTIONS);
      bareEarly.push((await childWith([EARLY_FLAG], 'bare', server.url, ACTIONS, inFlight)).last);
    }
    const packCpu = least(packs.map((p) => p.cpuUs)) / ACTIONS;
    const bareCpu = least(bares.map((b) => b.cpuUs)) / ACTIONS;
    line(say, 'CPU per action, no-op pack (runPack defaults)', `${fmt(packCpu, 0, 0)} us`);
    line(say, 'CPU per action, bare node:http loop', `${fmt(bareCpu, 0, 0)} us`);
    const cpuRatio = packCpu / bareCpu;
    line(
      say,
      'ratio CPU per action pack / bare loop',
      `${fmt(cpuRatio, 2, 0)}x`,
      { text: '<= 2.0x', met: cpuRatio <= 2 },
      `stretch 1.5x: ${cpuRatio <= 1.5 ? 'met' : 'not met'}; user + system time of each child from its start of work to its last result`,
    );
    // The whole run includes what happens once (start, registration, compiling the hot code);
    // the second half of the same runs leaves the start out, shown beside it. V8 may still be
    // compiling then: a function is optimised after it has run a budget of bytecode a few
    // times, and code that runs once per action gets there late (see docs/scaling.md).
    const warmPack = least(packs.map((p) => p.warmUs)) / (ACTIONS - ACTIONS / 2);
    const warmBare = least(bares.map((b) => b.warmUs)) / (ACTIONS - ACTIONS / 2);
    line(
      say,
      'ratio CPU per action, second half (warm)',
      `${fmt(warmPack / warmBare, 2, 0)}x`,
      undefined,
      `pack ${fmt(warmPack, 0, 0)} us, bare loop ${fmt(warmBare, 0, 0)} us; informative, ` +
        "the target is the whole run's",
    );
    const perSecond = (r: { ms: number }) => (ACTIONS / r.ms) * 1000;
    const best = (rates: number[]) => Math.max(...rates);
    const pack = packs.reduce((a, b) => (perSecond(b) > perSecond(a) ? b : a));
    const bare = bares.reduce((a, b) => (perSecond(b) > perSecond(a) ? b : a));
    line(
      say,
      'drain, no-op pack (runPack defaults)',
      `${fmt(perSecond(pack), 0, 0)} actions/s`,
      undefined,
      `takes in flight: ${fmt(pack.meanInFlight, 1, 0)} on average, at most ${pack.peak}`,
    );
    line(
      say,
      'drain, bare node:http loop',
      `${fmt(perSecond(bare), 0, 0)} actions/s`,
      undefined,
      `${bare.inFlight} take -> result loops: the pack's average takes in flight, rounded`,
    );
    const share = perSecond(pack) / perSecond(bare);
    line(say, 'ratio drain pack / bare loop', `${fmt(100 * share, 0, 0)} %`, {
      text: '>= 80 %',
      met: share >= 0.8,
    });
    // runPack has V8 optimise early (FLYTE_V8_OPTIMISE_EARLY): the pack without it, and the
    // bare loop with it, side by side with the two above.
    const rate = (r: Record<string, number>) => (ACTIONS / r['ms']!) * 1000;
    if (EARLY_FLAG === undefined) {
      say(`  (V8 ${process.versions.v8} optimises early on its own: runPack sets no V8 flag here)`);
    } else {
      const notEarlyRate = best(notEarly.map(rate));
      const notEarlyCpu = least(notEarly.map((r) => r['cpuUs']!)) / ACTIONS;
      line(
        say,
        "ratio drain, pack with V8's own tiering / bare",
        `${fmt((100 * notEarlyRate) / perSecond(bare), 0, 0)} %`,
        undefined,
        `FLYTE_V8_OPTIMISE_EARLY=false: ${fmt(notEarlyRate, 0, 0)} actions/s, ` +
          `${fmt(notEarlyCpu, 0, 0)} us CPU per action (${fmt(notEarlyCpu / bareCpu, 2, 0)}x ` +
          "the bare loop's); informative",
      );
      const bareEarlyRate = best(bareEarly.map(rate));
      const bareEarlyCpu = least(bareEarly.map((r) => r['cpuUs']!)) / ACTIONS;
      line(
        say,
        "ratio drain, both with runPack's V8 flag",
        `${fmt((100 * perSecond(pack)) / bareEarlyRate, 0, 0)} %`,
        undefined,
        `the bare loop run with node ${EARLY_FLAG}: ${fmt(bareEarlyRate, 0, 0)} actions/s, ` +
          `${fmt(bareEarlyCpu, 0, 0)} us CPU per action; the pack's CPU is ` +
          `${fmt(packCpu / bareEarlyCpu, 2, 0)}x it; informative`,
      );
    }
    // As for the CPU: the second half of the same drains, the start left out.
    const warmRate = (r: { warmMs: number }) => ((ACTIONS - ACTIONS / 2) / r.warmMs) * 1000;
    const warmPackRate = best(packs.map(warmRate));
    const warmBareRate = best(bares.map(warmRate));
    line(
      say,
      'ratio drain, second half (warm)',
      `${fmt((100 * warmPackRate) / warmBareRate, 0, 0)} %`,
      undefined,
      `pack ${fmt(warmPackRate, 0, 0)}, bare loop ${fmt(warmBareRate, 0, 0)} actions/s; ` +
        "informative, the target is the whole run's",
    );
    // Client and server share the machine's cores: where both drains keep them busy, the
    // drain ratio is what the CPU per action of client and server together allows.
    const busy = (r: { cpuUs: number; serverUs: number; ms: number }) =>
      (r.cpuUs + r.serverUs) / 1000 / r.ms;
    const perAction = (r: { cpuUs: number; serverUs: number }) => (r.cpuUs + r.serverUs) / ACTIONS;
    const allowed = perAction(bare) / perAction(pack);
    // What 80 % would take of the pack, with the server's work per action as it was.
    const packFor80 = perAction(bare) / 0.8 - pack.serverUs / ACTIONS;
    line(
      say,
      'drain ratio that client + server CPU allows',
      `${fmt(100 * allowed, 0, 0)} %`,
      undefined,
      `bare ${fmt(bare.cpuUs / ACTIONS, 0, 0)} + server ${fmt(bare.serverUs / ACTIONS, 0, 0)} us ` +
        `over pack ${fmt(pack.cpuUs / ACTIONS, 0, 0)} + server ${fmt(pack.serverUs / ACTIONS, 0, 0)} us ` +
        `per action, in the drains above; cores busy ${fmt(busy(pack), 2, 0)} (pack) and ` +
        `${fmt(busy(bare), 2, 0)} (bare loop) of ${availableParallelism()}; 80 % would take the pack ` +
        `at most ${fmt(packFor80, 0, 0)} us per action (${fmt(packFor80 / (bare.cpuUs / ACTIONS), 2, 0)}x the bare loop's)`,
    );

    // The pack's own code without HTTP, in a fresh process: how long V8 takes to optimise it
    // with its own tiering (no runPack here to have it optimise early).
    const warm = (await child('warmup', '', WARMUP_ACTIONS, WARMUP_BLOCK)).last;
    const blocks = Array.from({ length: WARMUP_ACTIONS / WARMUP_BLOCK }, (_, i) => warm[`us${i}`]!);
    line(
      say,
      `no-op pack in memory, CPU per action by ${WARMUP_BLOCK}`,
      `${fmt(blocks[0]!, 0, 0)} -> ${fmt(blocks.at(-1)!, 0, 0)} us`,
      undefined,
      `${blocks.map((us) => fmt(us, 0, 0)).join(', ')} us per action over each ${WARMUP_BLOCK} ` +
        `of ${WARMUP_ACTIONS} actions through the in-memory API (no HTTP), in a fresh process: ` +
        "the code runs cold until V8 has optimised it (a Pack without runPack: V8's own budget)",
    );

    const starts: ChildRun[] = [];
    const nodes: ChildRun[] = [];
    const imports: ChildRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await server.reset();
      await server.enqueue(ROTA_PACK, ROTA_COMMAND, 1);
      starts.push(await child('start', server.url));
      nodes.push(await child('node'));
      imports.push(await child('import'));
    }
    const firstTake = least(starts.map((s) => s.readyMs));
    const nodeStart = least(nodes.map((n) => n.readyMs));
    line(say, 'process start to first take, runPack', `${fmt(firstTake, 0, 0)} ms`);
    line(say, 'process start, bare node', `${fmt(nodeStart, 0, 0)} ms`);
    line(
      say,
      'start to first take minus bare node',
      `+${fmt(firstTake - nodeStart, 0, 0)} ms`,
      { text: '<= +300 ms', met: firstTake - nodeStart <= 300 },
      'wall time from the fork to the child saying so, through the same IPC channel',
    );
    const packRss = least(starts.map((s) => s.last['rss']!));
    const nodeRss = least(nodes.map((n) => n.last['rss']!));
    line(say, 'idle RSS, runPack after its first take', mb(packRss));
    line(say, 'idle RSS, bare node', mb(nodeRss));
    line(
      say,
      'idle RSS minus bare node',
      `+${mb(packRss - nodeRss)}`,
      { text: '<= +20 MB', met: packRss - nodeRss <= 20e6 },
      '2 s after the first take (pack) or the start (bare)',
    );
    line(
      say,
      'import flyte-client/node',
      `${fmt(least(imports.map((i) => i.last['importMs']!)), 0, 0)} ms`,
      undefined,
      `RSS after it: ${mb(least(imports.map((i) => i.last['rss']!)))}`,
    );
  } finally {
    await server.close();
  }
}
