import {
  asyncScheduler,
  catchError,
  defaultIfEmpty,
  map,
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
import { bookingClock } from './booking-clock.js';
import type { BurstPolling } from './burst-polling.js';
import { type ReRegistration, reRegistration } from './re-registration.js';
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
  type TakeState,
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
   * Measured on a clock finer than a millisecond in real time (`booking-clock.ts`); Node's
   * timers fire on whole milliseconds, after it.
   * @default 1.5
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
    stagger: deps.stagger ?? 1.5,
    pollInterval: deps.pollInterval,
    burst: deps.burst ?? PACK_DEFAULTS.polling.burst,
    contention: resolveTakeContention(deps.contention),
    backoff: deps.backoff ?? {},
    commands: deps.commands ?? [],
  };
  return new Observable<PollOutcome>((subscriber) => {
    const step = reRegistration(deps);
    const clock = bookingClock(scheduler);
    let state = initialTakeState(config);
    /** The lanes waiting for their window, a slot or a registration (their `check`). */
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
    // under 1000 actions/s; a lane's loop keeps a long run of synchronous takes off the stack), the
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

    const lanes = Array.from(
      { length: config.lanes },
      (_, lane) =>
        new Lane(lane, {
          deps,
          scheduler,
          step,
          clock,
          state: () => state,
          apply,
          waiting,
          kick,
          wait$,
          healthy$,
          emit: (outcome) => subscriber.next(outcome),
          ended: () => {
            if (lanes.every((lane) => lane.over)) subscriber.complete();
          },
          fail: (error) => subscriber.error(error),
        }),
    );
    // The registration, known at once to the lanes waiting for one.
    const registered = step.track(wake);
    // Only a slot freed can let a lane on: a reservation (one per take) wakes nobody.
    const slotFreed = deps.slots.freed$.subscribe(wake);
    const kicked = kick.subscribe(() => apply({ kind: 'activity' }));
    const activity = (deps.activity$ ?? NEVER).subscribe(() => kick.next());
    const stopping = stop$.subscribe(() => {
      apply({ kind: 'stop' });
      wake();
    });
    for (const lane of lanes) lane.start();
    return () => {
      for (const lane of lanes) lane.end();
      registered.unsubscribe();
      slotFreed.unsubscribe();
      activity.unsubscribe();
      kicked.unsubscribe();
      stopping.unsubscribe();
    };
  });
}

/** What a lane shares with the others: the policy's state, the wake-ups, the take itself. */
interface LaneLoop {
  readonly deps: PollDeps;
  readonly scheduler: SchedulerLike;
  readonly step: ReRegistration;
  /** The clock of the policy's `book` and `send` (finer than the scheduler's in real time). */
  readonly clock: () => number;
  readonly state: () => TakeState;
  readonly apply: (event: TakeEvent) => TakeDecision;
  /** The lanes waiting for their window, a slot or a registration. */
  readonly waiting: Set<() => void>;
  /** Activity: an action taken here, or one of `activity$` (cuts a burst wait). */
  readonly kick: Subject<void>;
  readonly wait$: (next: TakeNext) => Observable<unknown> | undefined;
  readonly healthy$: (registration: Registration) => Observable<boolean>;
  readonly emit: (outcome: PollOutcome) => void;
  readonly ended: () => void;
  readonly fail: (error: unknown) => void;
}

/** Where a lane's step is: 'busy' while deciding (a change met then is the decision's). */
type Phase = 'waiting' | 'window' | 'book' | 'booked' | 'slot' | 'busy' | 'sent' | 'ended';

/**
 * One lane of the take loop: its steps one after the other, each waiting (for `wait$` of
 * what the policy said came next, for its window, for its booked send time, then for a free
 * slot and a usable registration) and then taking. One object per lane, one listener woken at
 * each change (window, slots, registration, stop), not an observable per step: a lane steps
 * once per action. A step that ends at once is followed by a loop, not by recursion. Stopping
 * ends it without a take, as long as none was sent; a take sent is awaited.
 */
class Lane {
  private phase: Phase = 'sent';
  private afterWait: Phase = 'book';
  /** The step under way: its wait, its booking, its take. */
  private current = new Subscription();
  private pending: TakeNext | undefined;
  private looping = false;

  constructor(
    private readonly lane: number,
    private readonly loop: LaneLoop,
  ) {}

  /** Whether the lane has ended. */
  get over(): boolean {
    return this.phase === 'ended';
  }

  start(): void {
    this.proceed(firstTakeNext(this.lane));
  }

  /** Ends the lane: its step is let go (a take not answered yet is dropped). */
  end(): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.loop.waiting.delete(this.check);
    this.current.unsubscribe();
  }

  private finish(): void {
    if (this.phase === 'ended') return;
    this.end();
    this.loop.ended();
  }

  /** The next step, `next` as the policy said; a loop while steps end at once. */
  private proceed(next: TakeNext): void {
    this.pending = next;
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.pending !== undefined && this.phase !== 'ended') {
        const step = this.pending;
        this.pending = undefined;
        this.begin(step);
      }
    } catch (error) {
      this.end();
      this.loop.fail(error);
    } finally {
      this.looping = false;
    }
  }

  private begin(next: TakeNext): void {
    this.current.unsubscribe();
    const current = new Subscription();
    this.current = current;
    const waited$ = this.loop.wait$(next);
    this.afterWait = next.kind === 'window' ? 'window' : 'book';
    this.phase = waited$ ? 'waiting' : this.afterWait;
    this.loop.waiting.add(this.check);
    if (waited$) {
      // Its first value ends the wait (a synchronous one as soon as it is added).
      const wait = new Subscription();
      current.add(wait);
      wait.add(
        waited$.subscribe(() => {
          if (wait.closed) return;
          wait.unsubscribe();
          this.phase = this.afterWait;
          this.check();
        }),
      );
    }
    this.check();
  }

  /** Looks whether the step can go on; called at each change. */
  private readonly check = (): void => {
    const { loop } = this;
    if (this.phase === 'busy' || this.phase === 'sent' || this.phase === 'ended') return;
    if (loop.state().stopped) {
      loop.waiting.delete(this.check);
      return this.finish();
    }
    if (this.phase === 'waiting' || this.phase === 'booked') return;
    if (this.phase === 'window') {
      if (windowLanes(loop.state().window) <= this.lane) return;
      this.phase = 'book';
    }
    if (this.phase === 'book') {
      this.phase = 'busy';
      const booking = loop.apply({ kind: 'book', lane: this.lane, now: loop.clock() });
      if (booking.kind === 'delay' && booking.ms > 0) {
        this.phase = 'booked';
        const booked = () => {
          this.phase = 'slot';
          this.check();
        };
        this.current.add(loop.scheduler.schedule(booked, booking.ms));
        return;
      }
      this.phase = 'slot';
    }
    const registration = loop.step.usableNow();
    if (loop.deps.slots.free <= 0 || registration === undefined) return;
    this.phase = 'sent';
    loop.waiting.delete(this.check);
    this.take(registration);
  };

  /** Sends the take the policy allows, or holds as it says. */
  private take(registration: Registration): void {
    const { loop, lane } = this;
    const { deps, scheduler, apply } = loop;
    const decision = apply({
      kind: 'send',
      lane,
      freeSlots: deps.slots.free,
      now: loop.clock(),
    });
    if (decision.kind === 'hold') {
      return decision.next.kind === 'stop' ? this.finish() : this.proceed(decision.next);
    }
    if (decision.kind !== 'send') return this.finish();
    const { command } = decision;
    // What this take adds is added here, even once a synchronous answer has moved on.
    const current = this.current;
    // A slot was free a moment ago, synchronously: the reservation succeeds.
    const slot = deps.slots.reserve()!;
    const sent = scheduler.now();
    let answered = false;
    const at = () => {
      answered = true;
      return { time: scheduler.now(), ms: scheduler.now() - sent };
    };
    // Answers and health checks always end the take ('ended'); the rest cannot happen here.
    const done = (d: TakeDecision, outcome: PollOutcome): void => {
      if (d.kind !== 'ended') return this.proceed(firstTakeNext(lane));
      loop.emit({ ...outcome, kind: d.outcome });
      this.proceed(d.next);
    };
    const onAnswer = (action: Action | null): void => {
      if (answered) return;
      const when = at();
      if (action) slot.bind(action);
      else slot.free();
      const d = apply({ kind: 'answered', lane, command, action });
      if (action) loop.kick.next();
      done(d, { kind: 'action', ...when, ...(action && { action }) });
    };
    const onError = (error: unknown): void => {
      if (answered) return;
      const when = at();
      slot.free();
      if (isPackNotFoundError(error)) loop.step.notFound(registration);
      const d = apply({ kind: 'failed', lane, command, error });
      const outcome: PollOutcome = { kind: 'error', ...when, error };
      if (d.kind !== 'check-health') return done(d, outcome);
      current.add(
        loop
          .healthy$(registration)
          .subscribe((healthy) => done(apply({ kind: 'health', lane, healthy, error }), outcome)),
      );
    };
    let taking: Observable<Action | null>;
    try {
      taking =
        command === undefined
          ? deps.take(registration.pack)
          : deps.take(registration.pack, command);
    } catch (error) {
      return onError(error);
    }
    current.add(() => {
      if (!answered) apply({ kind: 'dropped', lane, command });
    });
    current.add(
      taking.subscribe({ next: onAnswer, error: onError, complete: () => onAnswer(null) }),
    );
  }
}
