/**
 * `make run-example`: the page-of-duty pack (samples/rota-pack) in action.
 *
 * - `FLYTE_API` unset: a demo that needs nothing else. Starts the fake flyte server in this
 *   process (loopback, free port), runs the pack against it (polling every
 *   `FLYTE_POLL_INTERVAL_MS`, default 500), creates a few `Rota` actions as a flow would,
 *   prints each action and the event the pack answered with, stops gracefully and exits 0.
 *   It prints the fake server's web console URL, and serves the pack's health checks and
 *   Prometheus metrics on 127.0.0.1:`FLYTE_HEALTH_PORT` (default 8090; a free port when that
 *   one is taken; `off` for none): `curl localhost:8090/metrics`. With
 *   `FLYTE_EXAMPLE_KEEP=1` the server and the pack keep running after the demo (watch them,
 *   create more actions in the console, scrape the metrics) until SIGINT or SIGTERM, then
 *   stop gracefully and exit 0.
 *   With `FLYTE_RECOVER_STRANDED_AFTER` set (seconds; `FLYTE_RECOVER_STRANDED_EVERY`, default
 *   300), the pack recovers stranded actions, and the demo first strands one: another client
 *   takes a `Rota` action over HTTP and vanishes without answering; the pack finds it PENDING
 *   in the audit once it has been so for `after`, and completes it too.
 * - `FLYTE_API` set: runs the pack against that server as a process (`runPack`: FLYTE_*
 *   configuration, health checks and metrics on FLYTE_HEALTH_PORT, default 8090) until
 *   SIGTERM or SIGINT, then stops gracefully and exits 0.
 */
import { consoleLogger, Pack } from 'flyte-client';
import {
  DEFAULT_HEALTH_PORT,
  onShutdownSignals,
  runPack,
  startPackHealth,
  type PackHealth,
} from 'flyte-client/node';
import { FakeFlyteServer, takeAndVanish } from 'flyte-client/testing';
import { parseMillis, parsePort } from '../lib/node/config-numbers.js';
import { readRecoverStranded } from '../lib/node/config.js';
import { rotaPack } from './rota-pack/pack.js';

/** The teams the demo asks the rota of, one action each. */
const DEMO_INPUTS = ['payments', 'search', 'checkout'];
const DEMO_TIMEOUT_MS = 30_000;

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Resolves on the first SIGINT or SIGTERM. */
function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const release = onShutdownSignals(
      {
        first: (signal) => {
          release();
          resolve(signal);
        },
        again: () => undefined,
      },
      ['SIGINT', 'SIGTERM'],
    );
  });
}

/**
 * The pack's health checks and metrics on 127.0.0.1:`port`, or on a free port when that one
 * is taken; nothing when `port` is `null`.
 */
async function serveHealth(pack: Pack, port: number | null): Promise<PackHealth | undefined> {
  if (port === null) return undefined;
  const options = { host: '127.0.0.1', checks: [], secrets: [], logger: consoleLogger('warn') };
  const health = await startPackHealth(pack, { ...options, port }).catch(() =>
    startPackHealth(pack, { ...options, port: 0 }),
  );
  if (health.server && health.server.port !== port) say(`   (port ${port} is taken)`);
  say(`health: ${health.server?.url}/health  metrics: ${health.server?.url}/metrics`);
  return health;
}

/** The samples of `/metrics` that count actions and results, as `curl` would show them. */
async function countsFrom(url: string): Promise<string[]> {
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((line) => /^flyte_pack_(actions_taken|results)_total\{/.test(line));
}

async function demo(
  pollInterval: number,
  keep: boolean,
  healthPort: number | null,
  recoverStranded?: { after: number; every: number },
): Promise<number> {
  const server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
  await server.start();
  say(`fake flyte server listening on ${server.url}`);
  say(
    `console: ${server.url}/_fake/ui${keep ? '' : '  (FLYTE_EXAMPLE_KEEP=1 keeps the demo running to watch it there)'}`,
  );
  const pack = new Pack(rotaPack(), {
    url: server.url,
    polling: { interval: pollInterval },
    logger: consoleLogger('warn'),
    ...(recoverStranded && { recovery: recoverStranded }),
  });
  pack.actions$.subscribe((a) =>
    say(
      a.recovered
        ? `-> recovered action ${a.id}: ${a.command} ${JSON.stringify(a.input)}, stranded PENDING for ${seconds(a.recovered.strandedFor)}`
        : `-> took action ${a.id}: ${a.command} ${JSON.stringify(a.input)}`,
    ),
  );
  pack.results$.subscribe(({ action, event, recovered }) =>
    say(
      `<- action ${action.id} answered ${event.eventDef.name}: ${JSON.stringify(event.payload)}${recovered ? ' (recovered)' : ''}`,
    ),
  );
  const health = await serveHealth(pack, healthPort);
  const demoActions: string[] = [];
  try {
    if (recoverStranded) demoActions.push(await strandOne(server, pack.name, recoverStranded));
    await pack.start();
    say(
      `pack "${pack.name}" registered as ${pack.registered?.id}, polling every ${pack.pollInterval} ms`,
    );
    for (const team of DEMO_INPUTS) {
      const action = server.enqueueAction({ packName: pack.name, command: 'Rota', input: team });
      say(`   a flow asked for the ${team} rota (action ${action.id})`);
      demoActions.push(action.id);
    }
    await server.waitForResults(demoActions.length, {
      signal: AbortSignal.timeout(DEMO_TIMEOUT_MS),
    });
    if (health?.server) {
      say(`what ${health.server.url}/metrics counts:`);
      for (const line of await countsFrom(`${health.server.url}/metrics`)) say(`   ${line}`);
    }
    if (keep) {
      say(`FLYTE_EXAMPLE_KEEP=1: the fake server and the pack keep running.`);
      say(`watch them and create more actions at ${server.url}/_fake/ui; stop with Ctrl-C`);
      const signal = await untilStopSignal();
      say(`${signal}: stopping the pack and the fake server`);
    }
  } finally {
    await pack.stop({ grace: 5000, flushDeadline: 5000 });
    await health?.close();
    await server.close();
  }
  say('what the flyte server recorded:');
  for (const a of server.actions()) {
    say(
      `   ${a.id} ${a.command}(${JSON.stringify(a.input)}) ${a.state}: ${a.result?.event} ${JSON.stringify(a.result?.payload)}`,
    );
  }
  const ok = demoActions.every((id) => server.action(id)?.state === 'SUCCESS');
  say(ok ? 'pack stopped gracefully; bye' : 'some actions did not succeed');
  return ok ? 0 : 1;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Another client takes one Rota action and vanishes: the action stays PENDING for ever. */
async function strandOne(
  server: FakeFlyteServer,
  packName: string,
  { after, every }: { after: number; every: number },
): Promise<string> {
  server.enqueueAction({ packName, command: 'Rota', input: 'ops' });
  const taken = await takeAndVanish(server.url, { name: packName });
  if (!taken) throw new Error('the vanishing client found no action to take');
  say(`   a flow asked for the ops rota (action ${taken.id})`);
  say(
    `   another client took action ${taken.id} and vanished: it stays PENDING; recovery ` +
      `(FLYTE_RECOVER_STRANDED_AFTER=${after / 1000}, scans every ${every / 1000} s) will finish it`,
  );
  return taken.id;
}

async function main(): Promise<void> {
  if (process.env.FLYTE_API) {
    say(
      `running pack "page-of-duty-pack" against ${process.env.FLYTE_API}; stop it with SIGTERM or Ctrl-C`,
    );
    const { done } = await runPack(rotaPack());
    await done; // runPack exits the process with 0 after a graceful stop
    return;
  }
  const raw = process.env.FLYTE_POLL_INTERVAL_MS;
  const parsed =
    raw === undefined
      ? { ok: true as const, value: 500 }
      : parseMillis('FLYTE_POLL_INTERVAL_MS', raw);
  const problems: string[] = parsed.ok ? [] : [parsed.problem];
  const recoverStranded = readRecoverStranded(process.env, problems);
  const rawPort = process.env.FLYTE_HEALTH_PORT;
  const port = rawPort
    ? parsePort('FLYTE_HEALTH_PORT', rawPort)
    : { ok: true as const, value: DEFAULT_HEALTH_PORT };
  if (!port.ok) problems.push(port.problem);
  if (!parsed.ok || !port.ok || problems.length) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(2);
  }
  const keep = process.env.FLYTE_EXAMPLE_KEEP === '1';
  process.exit(await demo(parsed.value, keep, port.value, recoverStranded));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `run-example failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
