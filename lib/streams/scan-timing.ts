/**
 * How far a scan's period may stray from `every`, as a fraction of it: replicas started
 * together drift apart instead of reading the audit, and recovering the same action, in step.
 *
 * @example
 * scanDelay({ every: 300_000, random: () => 1, first: false }); // 300_000 * (1 + RECOVERY_JITTER)
 */
export const RECOVERY_JITTER = 0.1;

/**
 * The wait before a replica's next scan, as a pure policy:
 *
 * | case                 | wait                                              |
 * |----------------------|---------------------------------------------------|
 * | the first scan       | `every × random()`: each replica its own phase     |
 * | after a scan         | `every × (1 ± RECOVERY_JITTER)`, by `random()`      |
 * | after failed scans   | the larger of that and the backoff                 |
 *
 * @param timing - `every` (ms), the random source in [0, 1), whether it is the first scan, and
 *   the backoff after the failed scans in a row (0 when none).
 * @returns the wait, in ms.
 * @example
 * scanDelay({ every: 300_000, random: Math.random, first: true }); // somewhere in [0, 300000)
 */
export function scanDelay(timing: {
  readonly every: number;
  readonly random: () => number;
  readonly first: boolean;
  readonly backoff?: number;
}): number {
  const { every, random, first } = timing;
  const wait = first
    ? every * random()
    : every * (1 - RECOVERY_JITTER + 2 * RECOVERY_JITTER * random());
  return Math.max(wait, timing.backoff ?? 0);
}
