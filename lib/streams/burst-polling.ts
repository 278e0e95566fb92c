import { PACK_DEFAULTS } from '../model/defaults.js';

/**
 * Burst polling: after activity (an action taken, a result delivered, an event accepted), poll
 * again after `first` ms, then wait `factor` times longer after each empty take, up to the
 * poll interval. A flow's next step, enqueued soon after the pack answered the previous one,
 * is then picked up in a fraction of the interval, while a quiet pack comes back to one take
 * per interval.
 *
 * @example
 * const burst: BurstPolling = { first: 100, factor: 1.2 }; // 100, 120, 144, ... up to pollInterval
 */
export interface BurstPolling {
  /** The wait after the first empty take following activity, in ms (> 0). */
  readonly first: number;
  /** How much longer each next wait is than the one before (> 1). */
  readonly factor: number;
}

/**
 * The default burst: 100 ms after activity, then 20 % longer after each empty take (100, 120,
 * 144, … ms): about 22 takes over the 27 s until a 5 s interval is reached again.
 *
 * @example
 * new Pack(def, { url, polling: { burst: DEFAULT_BURST_POLLING } }); // the same as leaving it out
 */
export const DEFAULT_BURST_POLLING: BurstPolling = PACK_DEFAULTS.polling.burst;

/**
 * The wait after an empty take: with burst polling, `first * factor ** empties` capped at the
 * poll interval, where `empties` counts the empty takes since the latest activity (0 for the
 * first); without it (`false`), always the poll interval.
 *
 * @param burst - the burst settings, or `false` for a fixed interval.
 * @param pollInterval - the longest wait, in ms.
 * @param empties - the empty takes in a row since the latest activity, before this one.
 * @returns the wait in whole ms.
 * @example
 * burstWaitMs({ first: 100, factor: 2 }, 5000, 0); // 100
 * burstWaitMs({ first: 100, factor: 2 }, 5000, 3); // 800
 * burstWaitMs({ first: 100, factor: 2 }, 5000, 9); // 5000
 * burstWaitMs(false, 5000, 0); // 5000
 */
export function burstWaitMs(
  burst: BurstPolling | false,
  pollInterval: number,
  empties: number,
): number {
  if (!burst) return pollInterval;
  return Math.min(pollInterval, Math.round(burst.first * burst.factor ** empties));
}

/**
 * The problems of a burst setting, each naming `where` (empty when it is valid).
 *
 * @param burst - the setting given.
 * @param where - how to name it in a problem, e.g. `options.burstPolling`.
 * @returns one line per problem.
 * @example
 * burstPollingProblems({ first: 0, factor: 1.2 }, 'options.burstPolling');
 * // ['options.burstPolling.first: must be a number > 0, got 0']
 */
export function burstPollingProblems(burst: unknown, where: string): string[] {
  if (burst === false || burst === undefined) return [];
  if (typeof burst !== 'object' || burst === null) {
    return [`${where}: must be false or { first, factor }, got ${String(burst)}`];
  }
  const { first, factor } = burst as Partial<BurstPolling>;
  const problems: string[] = [];
  if (!(typeof first === 'number' && Number.isFinite(first) && first > 0)) {
    problems.push(`${where}.first: must be a number > 0, got ${String(first)}`);
  }
  if (!(typeof factor === 'number' && Number.isFinite(factor) && factor > 1)) {
    problems.push(`${where}.factor: must be a number > 1, got ${String(factor)}`);
  }
  return problems;
}
