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
import { isPackNotFoundError } from '../model/errors.js';
import type { BackoffConfig } from './backoff.js';
import type { PollOutcome } from '../model/outcomes.js';
import { backoffMs } from './backoff.js';
import type { CapacityGate } from './capacity-gate.js';
import { iterate$ } from './iterate.js';

/** What {@link poll$} needs. */
export interface PollDeps {
  /** The current registered pack, replaying the latest (a newer one after re-registration). */
  readonly pack$: Observable<RegisteredPack>;
  /** One take: the action, or `null` on 204 (e.g. `(pack) => api.takeAction(pack)`). */
  readonly take: (pack: RegisteredPack) => Observable<Action | null>;
  /** The free handler slots; a slot is reserved before each take. */
  readonly gate: CapacityGate;
  /** Once it emits (make it replay), no new take starts; an in-flight take still finishes. */
  readonly stop$?: Observable<unknown>;
  /** Told when a take answered 404 (the server no longer knows the pack). */
  readonly reRegister?: (stale: RegisteredPack) => void;
  /** Wait after an empty take, in ms. */
  readonly pollInterval: number;
  /** Backoff after failed takes; the count starts again after a successful take. */
  readonly backoff?: BackoffConfig;
}

interface Step {
  readonly outcome?: PollOutcome;
  readonly wait: number;
  readonly failures: number;
  readonly stale?: RegisteredPack;
}

/**
 * The take loop. Takes only while a handler slot is free (reserving it first), and at once
 * again after an action; waits `pollInterval` after an empty take; backs off with jitter after
 * a failed one. A 404 asks for re-registration and the next take waits for the new pack.
 * After `stop$`, starts no new take, but a take already sent is awaited and its outcome
 * emitted, so no action is stranded. The slot of an action stays reserved: release it when
 * its result is produced.
 *
 * @param deps - the pack, the take, the gate, the stop signal and the timings.
 * @param scheduler - the scheduler of the waits and of `PollOutcome.time`.
 * @returns one outcome per take; completes after `stop$`.
 * @example
 * poll$({ pack$, take: (p) => api.takeAction(p), gate, stop$, pollInterval: 5000 })
 *   .pipe(filter((p) => p.kind === 'action'), map((p) => p.action!), dispatch(options))
 *   .subscribe(() => gate.release());
 */
export function poll$(
  deps: PollDeps,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<PollOutcome> {
  const stop$ = deps.stop$ ?? NEVER;

  const takeOnce$ = (pack: RegisteredPack, failures: number): Observable<Step> =>
    defer(() => deps.take(pack)).pipe(
      take(1),
      defaultIfEmpty(null),
      map((action): Step => {
        const time = scheduler.now();
        if (action) return { outcome: { kind: 'action', time, action }, wait: 0, failures: 0 };
        deps.gate.release();
        return { outcome: { kind: 'empty', time }, wait: deps.pollInterval, failures: 0 };
      }),
      catchError((error: unknown) => {
        deps.gate.release();
        const notFound = isPackNotFoundError(error);
        if (notFound) deps.reRegister?.(pack);
        const count = failures + 1;
        const wait = notFound && count === 1 ? 0 : backoffMs(deps.backoff ?? {}, count);
        const outcome: PollOutcome = { kind: 'error', time: scheduler.now(), error };
        return of<Step>({ outcome, wait, failures: count, stale: notFound ? pack : undefined });
      }),
    );

  // Right after an action, take again without a timer: a timer(0) costs a macrotask (at least
  // 1 ms in Node) per take, which capped a pack at under 1000 actions/s. The first take and the
  // rare other 0 waits keep their timer, so start() never takes synchronously. iterate$ keeps a
  // long run of synchronous takes off the stack.
  const wait$ = (step: Step): Observable<unknown> =>
    step.outcome?.kind === 'action' ? of(0) : timer(step.wait, scheduler);

  const next$ = (step: Step): Observable<Step> =>
    wait$(step).pipe(
      switchMap(() =>
        combineLatest([
          deps.gate.free$.pipe(filter((free) => free > 0)),
          deps.pack$.pipe(filter((pack) => pack !== step.stale)),
        ]),
      ),
      take(1),
      takeUntil(stop$),
      // After takeUntil: stopping never cuts a take that was sent.
      concatMap(([, pack]) =>
        deps.gate.reserve()
          ? takeOnce$(pack, step.failures)
          : of<Step>({ wait: 0, failures: step.failures, stale: step.stale }),
      ),
    );

  return iterate$<Step>({ wait: 0, failures: 0 }, next$).pipe(
    filter((step): step is Step & { outcome: PollOutcome } => step.outcome !== undefined),
    map((step) => step.outcome),
  );
}
