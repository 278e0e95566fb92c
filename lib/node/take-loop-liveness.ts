import {
  asyncScheduler,
  distinctUntilChanged,
  map,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { PackStatus } from '../pack/pack-options.js';
import type { Health } from './health-check.js';
import { type Expectation, healthWhileActive, statusAndBusy$ } from './health-while-active.js';

/**
 * What the take-loop liveness check watches; a `Pack` provides each.
 *
 * @example
 * const sources: TakeLoopSources = { status$: pack.status$, activity$: merge(pack.polls$, pack.errors$), inFlight$: pack.inFlight$ };
 */
export interface TakeLoopSources {
  /** Must emit the current status on subscription (a `Pack`'s does). */
  readonly status$: Observable<PackStatus>;
  /** Anything the take loop does: a take's outcome (a failed one too), a registration attempt, a result. */
  readonly activity$: Observable<unknown>;
  /** Handler slots in use; while every one is, the loop rightly takes nothing. */
  readonly inFlight$?: Observable<number>;
}

/**
 * Options of {@link takeLoopLiveness}.
 *
 * @example
 * const options: TakeLoopLivenessOptions = { stallLimit: 300_000, concurrency: 10 };
 */
export interface TakeLoopLivenessOptions {
  /**
   * Time without any activity after which the loop counts as dead, in ms. Longer than the
   * quietest working loop: a take's timeout (60 s by default) plus the longest backoff (60 s)
   * plus a health request. @default 300000
   */
  readonly stallLimit?: number;
  /** Handler slots: when `inFlight$` reaches it, a quiet loop is healthy. @default Infinity */
  readonly concurrency?: number;
}

/** Default of {@link TakeLoopLivenessOptions.stallLimit}, in ms. */
export const DEFAULT_STALL_LIMIT = 300_000;

/**
 * Whether the take loop should be doing something now, or why its quiet is fine: the policy
 * of {@link takeLoopLiveness}. A loop that registers, takes, backs off or is refused the
 * token keeps trying, failed attempts included, so silence there means it is dead; before
 * the start, during a graceful stop and while every slot is busy, silence is expected.
 *
 * @param status - the pack's status.
 * @param busy - whether every handler slot is in use.
 * @returns `'watch'`, or the healthy answer for a quiet that is expected.
 * @example
 * takeLoopExpectation('backing-off', false); // 'watch': a flyte outage still means attempts
 * takeLoopExpectation('stopping', false);    // healthy: a restart now would cut the stop short
 */
export function takeLoopExpectation(status: PackStatus, busy: boolean): 'watch' | Health {
  switch (status) {
    case 'idle':
      return { healthy: true, status: 'the pack has not started' };
    case 'stopping':
      return { healthy: true, status: 'the pack is stopping' };
    case 'stopped':
      return { healthy: true, status: 'the pack has stopped' };
    default:
      return busy ? { healthy: true, status: 'every handler slot is busy' } : 'watch';
  }
}

/**
 * Liveness of a pack's take loop: unhealthy only when the loop has done nothing at all — not
 * a take, not a failed take, not a registration attempt — for `stallLimit` while it should
 * be trying (not before the start, during a stop or while every slot is busy): a loop that
 * died and cannot restart itself. A flyte outage never makes it unhealthy, since the loop
 * keeps trying (and failing) through it.
 *
 * @param sources - the pack's status, activity and slots in use.
 * @param options - the stall limit and the concurrency.
 * @param scheduler - the scheduler of the clock. @default asyncScheduler
 * @returns the health, emitted whenever it changes (first value at once).
 * @example
 * takeLoopLiveness({ status$: pack.status$, activity$: pack.polls$ }, { stallLimit: 300_000 })
 *   .subscribe((h) => console.log(h.healthy, h.status));
 */
export function takeLoopLiveness(
  sources: TakeLoopSources,
  options: TakeLoopLivenessOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<Health> {
  const limit = options.stallLimit ?? DEFAULT_STALL_LIMIT;
  const concurrency = options.concurrency ?? Infinity;
  const stalled = (status: PackStatus): Health => ({
    healthy: false,
    status:
      `the take loop has done nothing for ${limit} ms (no take, no failed take, no ` +
      `registration attempt) while the pack is ${status}: it cannot go on without a restart`,
  });
  const expectation$ = statusAndBusy$(sources.status$, sources.inFlight$, concurrency).pipe(
    map(([status, busy]) => ({ status, expectation: takeLoopExpectation(status, busy) })),
    distinctUntilChanged(
      (a, b) =>
        a.status === b.status && JSON.stringify(a.expectation) === JSON.stringify(b.expectation),
    ),
    map(({ status, expectation }): Expectation<unknown> =>
      expectation === 'watch'
        ? { quiet: () => stalled(status), start: () => undefined }
        : expectation,
    ),
  );
  return healthWhileActive(expectation$, sources.activity$, limit, WORKING, scheduler);
}

const WORKING: Health = { healthy: true, status: 'the take loop is working' };
