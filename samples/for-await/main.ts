/**
 * The rota pack as a process (see ../rota-pack/main.ts), with its actions and results printed
 * by `for await` loops over the pack's streams. The loops end when the pack stops (SIGTERM or
 * SIGINT). Run: `FLYTE_API=http://localhost:8080 node --import tsx samples/for-await/main.ts`.
 */
import { runPack } from 'flyte-client/node';
import { rotaPack } from '../rota-pack/pack.js';
import { logActions, tallyResults } from './watch-pack.js';

async function main(): Promise<void> {
  const { pack, done } = await runPack(rotaPack());
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const [actions, tally] = await Promise.all([logActions(pack, write), tallyResults(pack, write)]);
  write(`${actions} actions: ${tally.success} succeeded, ${tally.fatal} failed`);
  await done;
}

void main().catch(() => undefined); // runPack has logged the reason and set the exit code
