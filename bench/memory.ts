// Heap retained by a running pack per 10k actions. One pack handles rounds of actions over the
// in-memory API; between rounds the fake server forgets everything (model.reset) and the
// call log is cleared, so what the heap keeps is the runtime's, not the server's.
import { silentLogger } from '../lib/model/logger.js';
import { Pack } from '../lib/pack/pack.js';
import { InMemoryFlyteApi } from '../lib/testing/in-memory-flyte-api.js';
import { onCalls, benchPack, type Concurrency, collector, reach } from './measure.js';

/** What the memory scenario measured. */
export interface Memory {
  readonly actions: number;
  readonly rounds: number;
  /** Heap used after GC, after the warm-up round and after all rounds (bytes). */
  readonly heapBefore: number;
  readonly heapAfter: number;
  /** Registrations during the measured rounds: one per round, since each reset makes the server forget the pack (404). */
  readonly registrations: number;
  readonly succeeded: number;
}

/**
 * Runs `rounds` rounds of `perRound` actions through one pack and measures the heap delta.
 *
 * @returns the heap before and after, after forced garbage collection.
 */
export async function memoryPer10k(rounds = 10, perRound = 1000): Promise<Memory> {
  const gc = collector();
  const api = new InMemoryFlyteApi();
  const stats: Concurrency = { running: 0, peak: 0, runs: 0 };
  const pack = new Pack(benchPack('bench-pack', 0, stats), {
    api,
    logger: silentLogger,
    handlers: { concurrency: 10 },
    // Each round starts with the pack idle: a short interval keeps the rounds short.
    polling: { interval: 500 },
  });
  let completed = 0;
  let succeeded = 0;
  let registrations = 0;
  api.calls$.subscribe((c) => {
    if (c.method === 'complete' && c.outcome === 'ok') completed++;
    if (c.method === 'register' && c.outcome === 'ok') registrations++;
  });
  const round = async () => {
    api.model.reset();
    api.clearCalls();
    completed = 0;
    for (let i = 0; i < perRound; i++)
      api.model.enqueueAction({ packName: 'bench-pack', command: 'Work', input: i });
    await reach(
      perRound,
      () => completed,
      (l) => onCalls(api, l),
      60_000,
    );
    succeeded += api.model.actions().filter((a) => a.state === 'SUCCESS').length;
  };
  await pack.start();
  await round(); // warm-up: JIT, first registrations
  await round();
  api.model.reset();
  api.clearCalls();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  succeeded = 0;
  registrations = 0;
  for (let r = 0; r < rounds; r++) await round();
  api.model.reset();
  api.clearCalls();
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  await pack.stop({ grace: 1000, flushDeadline: 1000 });
  return {
    actions: rounds * perRound,
    rounds,
    heapBefore,
    heapAfter,
    registrations,
    succeeded,
  };
}
