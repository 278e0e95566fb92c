import {
  asyncScheduler,
  distinctUntilChanged,
  filter,
  map,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { PackStatus } from '../pack/pack-options.js';
import type { PollOutcome } from '../model/outcomes.js';
import type { Health } from './health-check.js';
import { type Expectation, healthWhileActive, statusAndBusy$ } from './health-while-active.js';

/**
 * What the poll watchdog watches; a `Pack` provides `polls$` and `status$`.
 *
 * @example
 * const sources: PollWatchdogSources = { polls$: pack.polls$, status$: pack.status$, inFlight$ };
 */
export interface PollWatchdogSources {
  /** One outcome per take. */
  readonly polls$: Observable<PollOutcome>;
  /** Must emit the current status on subscription (a `Pack`'s does). */
  readonly status$: Observable<PackStatus>;
  /** Handlers running; while every slot is busy the pack does not poll, on purpose. */
  readonly inFlight$?: Observable<number>;
}

/**
 * Options of {@link pollWatchdog}.
 *
 * @example
 * const options: PollWatchdogOptions = { pollInterval: 5000, multiple: 3, concurrency: 10 };
 */
export interface PollWatchdogOptions {
  /** The pack's poll interval, in ms. */
  readonly pollInterval: number;
  /** Poll intervals without a successful poll after which the pack is unhealthy. @default 3 */
  readonly multiple?: number;
  /** Handler slots: when `inFlight$` reaches it, not polling is healthy. @default Infinity */
  readonly concurrency?: number;
}

const ACTIVE: readonly PackStatus[] = ['running', 'backing-off'];

/**
 * Watches that a pack keeps polling: healthy while a poll has succeeded (an action or an
 * empty answer) within `multiple × pollInterval`, or while every handler slot is busy so
 * that the pack rightly does not poll; unhealthy when the pack is not registered and
 * running, or when polls stop succeeding (server unreachable, refused, or a take that hangs).
 * The clock starts when the pack becomes active (`running` or `backing-off`) or a busy slot
 * frees up, and restarts at every successful poll.
 *
 * @param sources - the pack's polls, status and (optionally) running handler count.
 * @param options - poll interval, multiple and concurrency.
 * @param scheduler - the scheduler of the clock. @default asyncScheduler
 * @returns the health, emitted whenever it changes (first value at once).
 * @example
 * pollWatchdog({ polls$: pack.polls$, status$: pack.status$ }, { pollInterval: 5000 })
 *   .subscribe((h) => console.log(h.healthy, h.status));
 */
export function pollWatchdog(
  sources: PollWatchdogSources,
  options: PollWatchdogOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<Health> {
  const multiple = options.multiple ?? 3;
  const limit = multiple * options.pollInterval;
  const concurrency = options.concurrency ?? Infinity;
  const stale = (since: number): Health => ({
    healthy: false,
    status:
      `no successful poll since ${new Date(since).toISOString()}; ` +
      `allowed: ${limit} ms (${multiple} × poll interval)`,
  });
  const watching: Expectation<number> = { quiet: stale, start: () => scheduler.now() };
  const expectation$ = statusAndBusy$(sources.status$, sources.inFlight$, concurrency).pipe(
    map(([status, busy]) => (!ACTIVE.includes(status) ? status : busy ? 'busy' : 'watch')),
    distinctUntilChanged(),
    map((mode): Expectation<number> => {
      if (mode === 'watch') return watching;
      if (mode === 'busy') return BUSY;
      return { healthy: false, status: `the pack is ${mode}` };
    }),
  );
  const succeeded$ = sources.polls$.pipe(
    filter((p) => p.kind !== 'error'),
    map((p) => p.time),
  );
  return healthWhileActive(expectation$, succeeded$, limit, POLLING, scheduler);
}

const POLLING: Health = { healthy: true, status: 'polling' };
const BUSY: Health = {
  healthy: true,
  status: 'every handler slot is busy; polling resumes when one frees',
};
