/**
 * `make run-example`: the page-of-duty pack (samples/rota-pack) in action.
 *
 * - `FLYTE_API` unset: a demo that needs nothing else. Starts the fake flyte server in this
 *   process (loopback, free port), runs the pack against it (polling every
 *   `FLYTE_POLL_INTERVAL_MS`, default 500), creates a few `Rota` actions as a flow would,
 *   prints each action and the event the pack answered with, stops gracefully and exits 0.
 * - `FLYTE_API` set: runs the pack against that server as a process (`runPack`: FLYTE_*
 *   configuration, health checks on FLYTE_HEALTH_PORT, default 8090) until SIGTERM or SIGINT,
 *   then stops gracefully and exits 0.
 */
import { consoleLogger, Pack } from 'flyte-client';
import { runPack } from 'flyte-client/node';
import { FakeFlyteServer } from 'flyte-client/testing';
import { parseMillis } from '../lib/node/config-numbers.js';
import { rotaPack } from './rota-pack/pack.js';

/** The teams the demo asks the rota of, one action each. */
const DEMO_INPUTS = ['payments', 'search', 'checkout'];
const DEMO_TIMEOUT_MS = 30_000;

const say = (line: string) => process.stdout.write(`${line}\n`);

async function demo(pollInterval: number): Promise<number> {
  const server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
  await server.start();
  say(`fake flyte server listening on ${server.url}`);
  const pack = new Pack(rotaPack(), {
    url: server.url,
    pollInterval,
    logger: consoleLogger('warn'),
  });
  pack.actions$.subscribe((a) =>
    say(`-> took action ${a.id}: ${a.command} ${JSON.stringify(a.input)}`),
  );
  pack.results$.subscribe(({ action, event }) =>
    say(`<- action ${action.id} answered ${event.eventDef.name}: ${JSON.stringify(event.payload)}`),
  );
  try {
    await pack.start();
    say(
      `pack "${pack.name}" registered as ${pack.registered?.id}, polling every ${pack.pollInterval} ms`,
    );
    for (const team of DEMO_INPUTS) {
      const action = server.enqueueAction({ packName: pack.name, command: 'Rota', input: team });
      say(`   a flow asked for the ${team} rota (action ${action.id})`);
    }
    await server.waitForResults(DEMO_INPUTS.length, {
      signal: AbortSignal.timeout(DEMO_TIMEOUT_MS),
    });
  } finally {
    await pack.stop({ grace: 5000, flushDeadline: 5000 });
    await server.close();
  }
  say('what the flyte server recorded:');
  for (const a of server.actions()) {
    say(
      `   ${a.id} ${a.command}(${JSON.stringify(a.input)}) ${a.state}: ${a.result?.event} ${JSON.stringify(a.result?.payload)}`,
    );
  }
  const ok = server.actions().every((a) => a.state === 'SUCCESS');
  say(ok ? 'pack stopped gracefully; bye' : 'some actions did not succeed');
  return ok ? 0 : 1;
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
  if (!parsed.ok) {
    process.stderr.write(`${parsed.problem}\n`);
    process.exit(2);
  }
  process.exit(await demo(parsed.value));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `run-example failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
