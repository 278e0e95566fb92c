import {
  asyncScheduler,
  catchError,
  combineLatest,
  concatMap,
  defaultIfEmpty,
  defer,
  filter,
  map,
  NEVER,
  type Observable,
  of,
  type SchedulerLike,
  switchMap,
  take,
  takeUntil,
  timer,
} from 'rxjs';
import type { Action, RegisteredPack } from '../model/wire-types.js';
import type { BackoffConfig } from './backoff.js';
import {
  contentionWaitMs,
  isTakeRace,
  resolveTakeContention,
  type TakeContentionConfig,
} from './take-contention.js';
import type { PollOutcome } from '../model/outcomes.js';
import type { CapacityGate } from './capacity-gate.js';
import { iterate$ } from './iterate.js';
import { reRegistration } from './re-registration.js';
import type { Registration } from './registration.js';

/**
 * What {@link poll$} needs.
 *
 * @example
 * poll$({ registration$, take: (pack) => api.takeAction(pack), gate, pollInterval: 5000 });
 */
export interface PollDeps {
  /** The registrations, replaying the latest (a newer one after re-registration). */
  readonly registration$: Observable<Registration>;
  /** One take: the action, or `null` on 204 (e.g. `(pack) => api.takeAction(pack)`). */
  readonly take: (pack: RegisteredPack) => Observable<Action | null>;
  /** The free handler slots; a slot is reserved before each take. */
  readonly gate: CapacityGate;
  /** Once it emits (make it replay), no new take starts; an in-flight take still finishes. */
  readonly stop$?: Observable<unknown>;
  /** Told when a take answered 404 (the server no longer knows the registration's pack). */
  readonly reRegister?: (stale: Registration) => void;
  /** Wait after an empty take, in ms. */
  readonly pollInterval: number;
  /** Backoff after failed takes; the count starts again after a successful take. */
  readonly backoff?: BackoffConfig;
  /** The wait after a take that lost a race (a bare 500), and when to doubt it. */
  readonly contention?: TakeContentionConfig;
  /**
   * The server's health check (e.g. `({ root }) => api.health(root)`): emits or completes when
   * healthy, errors otherwise. Asked after `contention.checkHealthAfter` bare 500s in a row;
   * without it, that many in a row are taken for failures.
   */
  readonly health?: (registration: Registration) => Observable<unknown>;
}

interface Step {
  readonly outcome?: PollOutcome;
  readonly wait: number;
  readonly failures: number;
}

/**
 * The take loop. Takes only while a handler slot is free (reserving it first), and at once
 * again after an action; waits `pollInterval` after an empty take; backs off with jitter after
 * a failed one. A take that lost a race with another take (a bare 500, {@link isTakeRace}) is
 * `contention`, not a failure: it is retried after a short jittered wait
 * ({@link TakeContentionConfig}); after `checkHealthAfter` of them in a row the server's
 * health is checked, and an unhealthy server makes them failed takes, backed off. A 404 asks for re-registration and the next take waits for the new
 * registration ({@link reRegistration}). After `stop$`, starts no new take, but a take
 * already sent is awaited and its outcome emitted, so no action is stranded. The slot of an
 * action stays reserved: release it when its result is produced.
 *
 * @param deps - the registrations, the take, the gate, the stop signal and the timings.
 * @param scheduler - the scheduler of the waits and of `PollOutcome.time`.
 * @returns one outcome per take; completes after `stop$`.
 * @example
 * poll$({ registration$, take: (p) => api.takeAction(p), gate, stop$, pollInterval: 5000 })
 *   .pipe(filter((p) => p.kind === 'action'), map((p) => p.action!), dispatch(options))
 *   .subscribe(() => gate.release());
 */
export function poll$(
  deps: PollDeps,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<PollOutcome> {
  const stop$ = deps.stop$ ?? NEVER;
  const contention = resolveTakeContention(deps.contention);
  return defer(() => {
    const step = reRegistration(deps);
    /** Bare 500s on takes in a row. */
    let races = 0;

    /** Whether the server's health check passes (no check: no evidence that it does). */
    const healthy$ = (registration: Registration): Observable<boolean> =>
      deps.health
        ? deps.health(registration).pipe(
            take(1),
            defaultIfEmpty(undefined),
            map(() => true),
            catchError(() => of(false)),
          )
        : of(false);

    const failed$ = (registration: Registration, failures: number, error: unknown) => {
      const count = failures + 1;
      const wait = step.failed(error, registration, count);
      const outcome: PollOutcome = { kind: 'error', time: scheduler.now(), error };
      return of<Step>({ outcome, wait, failures: count });
    };

    /** A bare 500: contention, unless a run of them comes with an unhealthy server. */
    const raced$ = (registration: Registration, failures: number, error: unknown) => {
      races += 1;
      const contended = (): Step => ({
        outcome: { kind: 'contention', time: scheduler.now(), error },
        wait: contentionWaitMs(contention),
        failures,
      });
      if (races < contention.checkHealthAfter) return of(contended());
      return healthy$(registration).pipe(
        concatMap((healthy) => {
          if (!healthy) return failed$(registration, failures, error);
          races = 0;
          return of(contended());
        }),
      );
    };

    const takeOnce$ = (registration: Registration, failures: number): Observable<Step> =>
      defer(() => deps.take(registration.pack)).pipe(
        take(1),
        defaultIfEmpty(null),
        map((action): Step => {
          step.succeeded();
          races = 0;
          const time = scheduler.now();
          if (action) return { outcome: { kind: 'action', time, action }, wait: 0, failures: 0 };
          deps.gate.release();
          return { outcome: { kind: 'empty', time }, wait: deps.pollInterval, failures: 0 };
        }),
        catchError((error: unknown) => {
          deps.gate.release();
          if (isTakeRace(error)) return raced$(registration, failures, error);
          races = 0;
          return failed$(registration, failures, error);
        }),
      );

    // Right after an action, take again without a timer: a timer(0) costs a macrotask (at
    // least 1 ms in Node) per take, which capped a pack at under 1000 actions/s. The first take
    // and the rare other 0 waits keep their timer, so start() never takes synchronously.
    // iterate$ keeps a long run of synchronous takes off the stack.
    const wait$ = (last: Step): Observable<unknown> =>
      last.outcome?.kind === 'action' ? of(0) : timer(last.wait, scheduler);

    const next$ = (last: Step): Observable<Step> =>
      wait$(last).pipe(
        switchMap(() =>
          combineLatest([deps.gate.free$.pipe(filter((free) => free > 0)), step.current$]),
        ),
        take(1),
        takeUntil(stop$),
        // After takeUntil: stopping never cuts a take that was sent.
        concatMap(([, registration]) =>
          deps.gate.reserve()
            ? takeOnce$(registration, last.failures)
            : of<Step>({ wait: 0, failures: last.failures }),
        ),
      );

    return iterate$<Step>({ wait: 0, failures: 0 }, next$).pipe(
      filter((s): s is Step & { outcome: PollOutcome } => s.outcome !== undefined),
      map((s) => s.outcome),
    );
  });
}
