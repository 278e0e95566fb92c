// Shared pieces of the integration specs: a pack that counts its handler runs, a fake flyte
// server on loopback, and pack options with small real-time intervals.
import type { EventDef, HandlerContext, PackDef } from '../../../lib/model/definitions.js';
import type { PackOptions } from '../../../lib/pack/pack-options.js';
import { silentLogger } from '../../../lib/model/logger.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';

export const counted: EventDef<{ input: unknown }> = { name: 'Counted' };
export const noticed: EventDef<{ n: number }> = { name: 'Noticed' };

/** Handler runs per action input (as a string key), so a spec can check "exactly once". */
export type RunCounts = Map<string, number>;

/**
 * A pack whose `Count` command records each run and answers `Counted { input }`; when `hold`
 * is given, the handler's answer waits for it (a running handler the spec controls).
 */
export function countingPack(
  name: string,
  runs: RunCounts,
  hold?: (input: unknown, signal: AbortSignal, context: HandlerContext) => Promise<void>,
): PackDef {
  return {
    name,
    events: [noticed],
    commands: [
      {
        name: 'Count',
        outputEvents: [counted],
        handler: (input, context) => {
          const key = String(input);
          runs.set(key, (runs.get(key) ?? 0) + 1);
          const event = { eventDef: counted, payload: { input } };
          return hold ? hold(input, context.signal, context).then(() => event) : event;
        },
      },
    ],
  };
}

/** Pack options for fast specs in real time: the shortest poll, millisecond backoffs. */
export function fastOptions(server: FakeFlyteServer, more: Partial<PackOptions> = {}): PackOptions {
  return {
    url: server.url,
    logger: silentLogger,
    ...more,
    polling: { interval: 500, ...more.polling },
    delivery: { eventAttempts: 40, ...more.delivery },
    transport: { backoff: { initialDelay: 5, maxDelay: 40 }, timeout: 2000, ...more.transport },
  };
}

/**
 * Enqueues `n` Count actions for the counting pack, with inputs 0..n-1.
 *
 * @example
 * enqueueCounts(server, 3); // Count(0), Count(1), Count(2)
 */
export function enqueueCounts(server: FakeFlyteServer, n: number): void {
  for (let i = 0; i < n; i++)
    server.enqueueAction({ packName: 'counting-pack', command: 'Count', input: i });
}

/** Starts a fake flyte server on a free loopback port. */
export async function startServer(seed = 1): Promise<FakeFlyteServer> {
  const server = new FakeFlyteServer({ host: '127.0.0.1', port: 0, seed });
  await server.start();
  return server;
}

/** An abort signal for waits, so a failing spec fails instead of hanging. */
export const within = (ms = 4000): { signal: AbortSignal } => ({ signal: AbortSignal.timeout(ms) });

/**
 * The actions whose take answer the server lost after acting (its `lostTakes`): each stays
 * PENDING, and no client knows its id.
 */
export function lostTakeIds(server: FakeFlyteServer): readonly string[] {
  return server.stats().take?.lostTakes ?? [];
}

/** Takes whose answer was lost after the server acted: each strands its action PENDING. */
export function strandedTakes(server: FakeFlyteServer): number {
  return lostTakeIds(server).length;
}

/** Waits until no action is NEW and each of the `n` has its result, but those stranded. */
export function everyResultIn(server: FakeFlyteServer, n: number, ms?: number): Promise<unknown> {
  return server.waitFor((s) => {
    const actions = s.actions();
    const done = actions.filter((a) => a.state === 'SUCCESS').length;
    return actions.every((a) => a.state !== 'NEW') && done + strandedTakes(server) === n;
  }, within(ms));
}
