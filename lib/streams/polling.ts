import {
  asyncScheduler,
  catchError,
  defaultIfEmpty,
  defer,
  EMPTY,
  filter,
  finalize,
  map,
  merge,
  NEVER,
  Observable,
  of,
  race,
  type SchedulerLike,
  Subject,
  Subscription,
  switchMap,
  take,
  tap,
  timer,
} from 'rxjs';
import { PACK_DEFAULTS } from '../model/defaults.js';
import { isPackNotFoundError } from '../model/errors.js';
import type { PollOutcome } from '../model/outcomes.js';
import type { Action, RegisteredPack } from '../model/wire-types.js';
import type { BackoffConfig } from './backoff.js';
import type { BurstPolling } from './burst-polling.js';
import { iterate$ } from './iterate.js';
import { reRegistration } from './re-registration.js';
import type { Registration } from './registration.js';
import type { SlotLedger } from './slot-ledger.js';
import { resolveTakeContention, type TakeContentionConfig } from './take-contention.js';
import {
  decideTake,
  firstTakeNext,
  initialTakeState,
  type TakeDecision,
  type TakeEvent,
  type TakeNext,
  type TakePolicyConfig,
} from './take-policy.js';
import { TAKE_WINDOW_GROWTH, windowLanes } from './take-window.js';

/**
 * What {@link poll$} needs.
 *
 * @example
 * poll$({ registration$, take: (pack) => api.takeAction(pack), slots, pollInterval: 5000 });
 */
export interface PollDeps {
  /** The registrations, replaying the latest (a newer one after re-registration). */
  readonly registration$: Observable<Registration>;
  /**
   * One take: the action, or `null` on 204 (e.g. `(pack, command) => api.takeAction(pack,
   * { command })`). With `command`, only an action of that command.
   */
  readonly take: (pack: RegisteredPack, command?: string) => Observable<Action | null>;
  /**
   * The pack's commands. With two or more, the extra takes in flight ask for one command
   * each (a command whose actions were taken lately, the one with fewest takes in flight), so
   * that they do not collide with each other over the same oldest action. @default []
   */
  readonly commands?: readonly string[];
  /**
   * The handler slots: one is reserved before each take and bound to the action it brings;
   * settle it ({@link SlotLedger.settle}) when the action's result delivery ends.
   */
  readonly slots: SlotLedger;
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
  /**
   * The most takes in flight at once, each with its own reserved slot. The number in flight
   * adapts (`nextTakeWindow`, `take-window.ts`): one more after a run of actions, half after a
   * race, one after an empty or failed take. @default min(8, the slots' capacity), as a Pack's
   */
  readonly maxTakesInFlight?: number;
  /** How fast the window grows per action at one lane (a tuning of the take policy). @default 0.1 */
  readonly windowGrowth?: number;
  /**
   * After a take race, the least time between the sends of two takes in flight together, in
   * ms: takes of one pack that reach the store at about the same time collide, so after a
   * race they are spread in time rather than sent together, until a run of actions
   * (`STAGGER_RUN`, 1000) came without a race. A store that never races is never slowed.
   * @default 2
   */
  readonly stagger?: number;
  /**
   * Burst polling ({@link BurstPolling}): after activity, the waits after empty takes start at
   * `first` and grow by `factor` up to `pollInterval`; `false` waits `pollInterval` every
   * time. @default { first: 100, factor: 1.2 }, as a Pack's
   */
  readonly burst?: BurstPolling | false;
  /**
   * Activity besides the actions taken (a result delivered, an event accepted): each value
   * starts a burst again and cuts a longer wait to `burst.first`.
   */
  readonly activity$?: Observable<unknown>;
}

/** One pass of a lane: the outcome of its take, if it sent one, and what it does next. */
interface Step {
  readonly outcome?: PollOutcome;
  readonly next: TakeNext;
}

/**
 * The take loop: a thin driver of the take policy (`decideTake` in `take-policy.ts`),
 * which decides everything: how many takes are in flight (a window that grows with actions,
 * halves after a race, closes after an empty or failed take), when each is sent (at once after
 * an action; after a race spread `stagger` apart), for which command, and what follows each
 * answer (the poll interval or a burst wait after an empty take, a short jittered wait after a
 * race (`isTakeRace`: a bare 500) with the server's health asked after a run of them, a
 * backoff after a failure). The driver keeps the timers, reserves a slot of the {@link SlotLedger} before
 * each take (never takes without a free one), binds it to the action the take brings or frees
 * it when the take brings nothing, and asks the health check when the policy says so.
 *
 * A 404 asks for re-registration and the next take waits for the new registration
 * ({@link reRegistration}). After `stop$`, starts no new take, but every take already sent is
 * awaited and its outcome emitted, so no action is stranded. The slot of an action stays
 * bound to it: settle it ({@link SlotLedger.settle}) when the delivery of its result ends
 * (accepted, refused for good, or given up), never when the result is produced, so that a
 * pack whose results cannot be delivered stops taking.
 *
 * @param deps - the registrations, the take, the slots, the stop signal and the timings.
 * @param scheduler - the scheduler of the waits and of `PollOutcome.time` and `ms`.
 * @returns one outcome per take; completes after `stop$`.
 * @example
 * const slots = new SlotLedger(10);
 * poll$({ registration$, take: (p) => api.takeAction(p), slots, stop$, pollInterval: 5000 })
 *   .pipe(filter((p) => p.kind === 'action'), map((p) => p.action!), dispatch(options))
 *   .subscribe((result) => outbox.next({ kind: 'result', action: result.action, event: toWireEvent(result.event) }));
 * outbox.pipe(deliver(deliveryOptions)).subscribe((report) => {
 *   if (report.item.kind === 'result') slots.settle(report.item.action); // delivery ended: slot free
 * });
 */
export function poll$(
  deps: PollDeps,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<PollOutcome> {
  const stop$ = deps.stop$ ?? NEVER;
  const config: TakePolicyConfig = {
    lanes: Math.max(
      1,
      Math.floor(
        deps.maxTakesInFlight ??
          Math.min(PACK_DEFAULTS.polling.maxTakesInFlight, deps.slots.capacity),
      ),
    ),
    growth: deps.windowGrowth ?? TAKE_WINDOW_GROWTH,
    stagger: deps.stagger ?? 2,
    pollInterval: deps.pollInterval,
    burst: deps.burst ?? PACK_DEFAULTS.polling.burst,
    contention: resolveTakeContention(deps.contention),
    backoff: deps.backoff ?? {},
    commands: deps.commands ?? [],
  };
  return defer(() => {
    const step = reRegistration(deps);
    let state = initialTakeState(config);
    /** The lanes waiting for their window, a slot or a registration (`laneStep$`). */
    const waiting = new Set<() => void>();
    const wake = (): void => {
      for (const check of [...waiting]) check();
    };
    /** Activity: an action taken here, or one of `activity$` (cuts a burst wait). */
    const kick = new Subject<void>();

    // The one place the state changes: every event goes through the policy.
    const apply = (event: TakeEvent): TakeDecision => {
      const opened = windowLanes(state.window);
      const decision = decideTake(config, state, event);
      state = decision.state;
      if (windowLanes(state.window) !== opened) wake();
      return decision;
    };

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

    // What a lane waits for before its window, its booking and its slot: nothing right after
    // an action (a timer(0) costs a macrotask, at least 1 ms in Node, per take, which caps a pack
    // under 1000 actions/s; iterate$ keeps a long run of synchronous takes off the stack), the
    // poll interval or a burst wait (cut short by activity), or a spread in time.
    const wait$ = (next: TakeNext): Observable<unknown> | undefined => {
      switch (next.kind) {
        case 'again':
        case 'stop':
          return undefined;
        case 'wait': {
          const { cutTo } = next;
          if (cutTo === undefined) return timer(next.ms, scheduler);
          const cut$ = kick.pipe(
            take(1),
            switchMap(() => timer(cutTo, scheduler)),
            tap(() => apply({ kind: 'cut' })),
          );
          return race(timer(next.ms, scheduler), cut$);
        }
        case 'window':
          return next.ms > 0 ? timer(next.ms, scheduler) : undefined;
      }
    };

    const take$ = (lane: number, registration: Registration): Observable<Step> => {
      const decision = apply({
        kind: 'send',
        lane,
        freeSlots: deps.slots.free,
        now: scheduler.now(),
      });
      if (decision.kind === 'hold') {
        return decision.next.kind === 'stop' ? EMPTY : of<Step>({ next: decision.next });
      }
      if (decision.kind !== 'send') return EMPTY;
      const { command } = decision;
      // One subscriber over the take, not an operator chain: this runs once per action.
      return new Observable<Step>((subscriber) => {
        // A slot was free a moment ago, synchronously: the reservation succeeds.
        const slot = deps.slots.reserve()!;
        const sent = scheduler.now();
        let answered = false;
        const at = () => {
          answered = true;
          return { time: scheduler.now(), ms: scheduler.now() - sent };
        };
        // Answers and health checks always end the take ('ended'); the rest cannot happen here.
        const ended = (d: TakeDecision, outcome: PollOutcome): Step =>
          d.kind === 'ended'
            ? { outcome: { ...outcome, kind: d.outcome }, next: d.next }
            : { next: firstTakeNext(lane) };
        const emit = (step: Step): void => {
          subscriber.next(step);
          subscriber.complete();
        };
        const onAnswer = (action: Action | null): void => {
          if (answered) return;
          const when = at();
          if (action) slot.bind(action);
          else slot.free();
          const d = apply({ kind: 'answered', lane, command, action });
          if (action) kick.next();
          emit(ended(d, { kind: 'action', ...when, ...(action && { action }) }));
        };
        const onError = (error: unknown): void => {
          if (answered) return;
          const when = at();
          slot.free();
          if (isPackNotFoundError(error)) step.notFound(registration);
          const d = apply({ kind: 'failed', lane, command, error });
          const outcome: PollOutcome = { kind: 'error', ...when, error };
          if (d.kind !== 'check-health') return emit(ended(d, outcome));
          subscriber.add(
            healthy$(registration).subscribe((healthy) =>
              emit(ended(apply({ kind: 'health', lane, healthy, error }), outcome)),
            ),
          );
        };
        let taking: Observable<Action | null>;
        try {
          taking =
            command === undefined
              ? deps.take(registration.pack)
              : deps.take(registration.pack, command);
        } catch (error) {
          onError(error);
          return undefined;
        }
        subscriber.add(
          taking.subscribe({ next: onAnswer, error: onError, complete: () => onAnswer(null) }),
        );
        return () => {
          if (!answered) apply({ kind: 'dropped', lane, command });
        };
      });
    };

    /**
     * One step of a lane: it waits for `waited$` (when given), for its window (`windowFirst`),
     * for its booked send time, then for a free slot and a usable registration, and takes. One
     * listener, woken at each change (window, slots, registration, stop), instead of an
     * operator chain per action. Stopping ends it without a take, as long as none was sent.
     */
    const laneStep$ = (
      lane: number,
      windowFirst: boolean,
      waited$: Observable<unknown> | undefined,
    ): Observable<Step> =>
      new Observable<Step>((subscriber) => {
        // 'busy': deciding (a change met while deciding is looked at by the decision itself).
        type Phase = 'waiting' | 'window' | 'book' | 'booked' | 'slot' | 'busy' | 'sent';
        const afterWait: Phase = windowFirst ? 'window' : 'book';
        let phase: Phase = waited$ ? 'waiting' : afterWait;
        const inner = new Subscription();
        const check = (): void => {
          if (phase === 'busy' || phase === 'sent') return;
          if (state.stopped) {
            phase = 'sent';
            waiting.delete(check);
            return subscriber.complete();
          }
          if (phase === 'waiting' || phase === 'booked') return;
          if (phase === 'window') {
            if (windowLanes(state.window) <= lane) return;
            phase = 'book';
          }
          if (phase === 'book') {
            phase = 'busy';
            const booking = apply({ kind: 'book', lane, now: scheduler.now() });
            if (booking.kind === 'delay' && booking.ms > 0) {
              phase = 'booked';
              inner.add(scheduler.schedule(() => ((phase = 'slot'), check()), booking.ms));
              return;
            }
            phase = 'slot';
          }
          const registration = step.usableNow();
          if (deps.slots.free <= 0 || registration === undefined) return;
          phase = 'sent';
          waiting.delete(check);
          inner.add(take$(lane, registration).subscribe(subscriber));
        };
        waiting.add(check);
        if (waited$) {
          const waited = waited$.pipe(take(1)).subscribe(() => {
            phase = afterWait;
            check();
          });
          inner.add(waited);
        }
        check();
        return () => {
          waiting.delete(check);
          inner.unsubscribe();
        };
      });

    const next$ =
      (lane: number) =>
      ({ next }: Step): Observable<Step> =>
        laneStep$(lane, next.kind === 'window', wait$(next));

    const lane$ = (lane: number): Observable<PollOutcome> =>
      iterate$<Step>({ next: firstTakeNext(lane) }, next$(lane)).pipe(
        filter((s): s is Step & { outcome: PollOutcome } => s.outcome !== undefined),
        map((s) => s.outcome),
      );
    // The registration, known at once to the lanes waiting for one.
    const registered = step.track(wake);
    // Only a slot freed can let a lane on: a reservation (one per take) wakes nobody.
    let free = deps.slots.free;
    const slotFreed = deps.slots.free$.subscribe((now) => {
      const freed = now > free;
      free = now;
      if (freed) wake();
    });
    const kicked = kick.subscribe(() => apply({ kind: 'activity' }));
    const activity = (deps.activity$ ?? NEVER).subscribe(() => kick.next());
    const stopping = stop$.subscribe(() => {
      apply({ kind: 'stop' });
      wake();
    });
    return merge(...Array.from({ length: config.lanes }, (_, lane) => lane$(lane))).pipe(
      finalize(() => {
        registered.unsubscribe();
        slotFreed.unsubscribe();
        activity.unsubscribe();
        kicked.unsubscribe();
        stopping.unsubscribe();
      }),
    );
  });
}
