import {
  asyncScheduler,
  BehaviorSubject,
  catchError,
  combineLatest,
  concatMap,
  defaultIfEmpty,
  defer,
  filter,
  finalize,
  map,
  merge,
  NEVER,
  type Observable,
  of,
  race,
  type SchedulerLike,
  Subject,
  switchMap,
  take,
  takeUntil,
  tap,
  timer,
} from 'rxjs';
import { nextTakeWindow, TAKE_WINDOW_GROWTH, windowLanes } from './take-window.js';
import { type BurstPolling, burstWaitMs } from './burst-polling.js';
import type { Action, RegisteredPack } from '../model/wire-types.js';
import type { BackoffConfig } from './backoff.js';
import {
  contentionWaitMs,
  isTakeRace,
  resolveTakeContention,
  type TakeContentionConfig,
} from './take-contention.js';
import type { PollOutcome } from '../model/outcomes.js';
import type { SlotLedger, SlotReservation } from './slot-ledger.js';
import { CommandBacklog } from './command-backlog.js';
import { iterate$ } from './iterate.js';
import { reRegistration } from './re-registration.js';
import type { Registration } from './registration.js';

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
   * adapts ({@link nextTakeWindow}): one more after a run of actions, half after a race, one
   * after an empty or failed take. @default 1
   */
  readonly maxTakesInFlight?: number;
  /** How fast the window grows per action ({@link TAKE_WINDOW_GROWTH}). @default 0.1 */
  readonly windowGrowth?: number;
  /**
   * After a take race, the least time between the sends of two takes in flight together, in
   * ms: takes of one pack that reach the store at about the same time collide, so after a
   * race they are spread in time rather than sent together, until a run of actions
   * ({@link STAGGER_RUN}) came without a race. A store that never races is never slowed.
   * @default 2
   */
  readonly stagger?: number;
  /**
   * Burst polling ({@link BurstPolling}): after activity, the waits after empty takes start at
   * `first` and grow by `factor` up to `pollInterval`; `false` waits `pollInterval` every
   * time. @default false
   */
  readonly burst?: BurstPolling | false;
  /**
   * Activity besides the actions taken (a result delivered, an event accepted): each value
   * starts a burst again and cuts a longer wait to `burst.first`.
   */
  readonly activity$?: Observable<unknown>;
}

/**
 * Actions in a row without a take race after which the takes in flight are no longer spread
 * `stagger` apart: long enough to cover the next growth of the window (10 actions at one lane),
 * short enough that a store which raced once does not slow the pack for good.
 *
 * @example
 * poll$({ ...deps, stagger: 2 }); // after a race, takes 2 ms apart for the next 20 actions
 */
export const STAGGER_RUN = 20;

interface Step {
  readonly outcome?: PollOutcome;
  readonly wait: number;
  readonly failures: number;
  /** An empty take of one command: it says nothing of the pack's backlog. */
  readonly perCommand?: true;
}

/**
 * The take loop. Takes only while a handler slot is free (reserving it first), and at once
 * again after an action; waits `pollInterval` after an empty take; backs off with jitter after
 * a failed one. A take that lost a race with another take (a bare 500, {@link isTakeRace}) is
 * `contention`, not a failure: it is retried after a short jittered wait
 * ({@link TakeContentionConfig}); after `checkHealthAfter` of them in a row the server's
 * health is checked, and an unhealthy server makes them failed takes, backed off.
 *
 * With `maxTakesInFlight` above 1, up to that many takes are in flight at once while a backlog
 * exists, each with its own reserved slot: the window grows by a lane after a run of actions,
 * halves after a race and falls back to one after an empty or failed take
 * ({@link nextTakeWindow}), so a quiet pack makes one take per interval. After a race, no
 * take is sent within `stagger` ms of another one in flight (or booked), until
 * {@link STAGGER_RUN} actions came without a race: colliding takes are spread in time rather
 * than sent together. With several `commands`, each take beyond the first asks for one command
 * with a backlog (known from the actions taken), the one least asked for at the moment: takes
 * of different commands never race each other. Such a take that comes back empty forgets the
 * command's backlog, without shrinking the window (other commands may still have one).
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
  const contention = resolveTakeContention(deps.contention);
  const lanes = Math.max(1, Math.floor(deps.maxTakesInFlight ?? 1));
  const stagger = deps.stagger ?? 2;
  const growth = deps.windowGrowth ?? TAKE_WINDOW_GROWTH;
  const commands = deps.commands ?? [];
  const burst = deps.burst ?? false;
  return defer(() => {
    const step = reRegistration(deps);
    /** Empty takes in a row since the latest activity (burst polling); none yet: quiet. */
    let empties = Number.POSITIVE_INFINITY;
    /** Activity: an action taken here, or one of `activity$`. */
    const kick = new Subject<void>();
    kick.subscribe(() => (empties = 0));
    /** The window of takes in flight, fractional ({@link nextTakeWindow}). */
    let window = 1;
    /** How many takes may be in flight now (the window's lanes); lane `n` takes while it is above `n`. */
    const inFlightWindow = new BehaviorSubject(1);
    /** Takes sent and not answered yet. */
    let inFlight = 0;
    /** When the latest take was (or will be) sent: the next one in flight with it comes `stagger` later. */
    let latestSend = Number.NEGATIVE_INFINITY;
    /** Actions to come without a race before takes in flight go together again (0: they do). */
    let spreadFor = 0;
    /** What the extra takes of a pack with several commands ask for. */
    const backlog = new CommandBacklog(commands);
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

    /** When a take ended and how long it took (`PollOutcome.time` and `ms`). */
    type Ended = Pick<PollOutcome, 'time' | 'ms'>;

    const failed$ = (registration: Registration, failures: number, error: unknown, at: Ended) => {
      const count = failures + 1;
      const wait = step.failed(error, registration, count);
      const outcome: PollOutcome = { kind: 'error', ...at, error };
      return of<Step>({ outcome, wait, failures: count });
    };

    /** A bare 500: contention, unless a run of them comes with an unhealthy server. */
    const raced$ = (registration: Registration, failures: number, error: unknown, at: Ended) => {
      races += 1;
      const contended = (): Step => ({
        outcome: { kind: 'contention', ...at, error },
        wait: contentionWaitMs(contention, races),
        failures,
      });
      if (races < contention.checkHealthAfter) return of(contended());
      return healthy$(registration).pipe(
        concatMap((healthy) => {
          if (!healthy) return failed$(registration, failures, error, at);
          races = 0;
          return of(contended());
        }),
      );
    };

    const takeOnce$ = (
      registration: Registration,
      failures: number,
      lane: number,
      slot: SlotReservation,
    ): Observable<Step> => {
      let sent = 0;
      let flying = false;
      let command: string | undefined;
      /** The take answered (or was dropped): no longer in flight. */
      const landed = () => {
        if (flying) {
          inFlight -= 1;
          if (command !== undefined) backlog.landed(command);
        }
        flying = false;
      };
      const ended = () => (landed(), { time: scheduler.now(), ms: scheduler.now() - sent });
      return defer(() => {
        sent = scheduler.now();
        inFlight += 1;
        flying = true;
        // Lane 0 never filters: oldest first, whatever the command.
        command = lane === 0 ? undefined : backlog.pick();
        if (command === undefined) return deps.take(registration.pack).pipe(finalize(landed));
        backlog.sent(command);
        return deps.take(registration.pack, command).pipe(finalize(landed));
      }).pipe(
        take(1),
        defaultIfEmpty(null),
        map((action): Step => {
          step.succeeded();
          races = 0;
          const at = ended();
          if (action) {
            slot.bind(action);
            kick.next();
            backlog.taken(action.command);
            return { outcome: { kind: 'action', ...at, action }, wait: 0, failures: 0 };
          }
          slot.free();
          if (command !== undefined) {
            // This command's backlog is done; the pack's may not be: no wait, same window.
            backlog.emptied(command);
            return { outcome: { kind: 'empty', ...at }, wait: 0, failures: 0, perCommand: true };
          }
          const wait = burstWaitMs(burst, deps.pollInterval, empties);
          empties += 1;
          return { outcome: { kind: 'empty', ...at }, wait, failures: 0 };
        }),
        catchError((error: unknown) => {
          slot.free();
          const at = ended();
          if (isTakeRace(error)) return raced$(registration, failures, error, at);
          races = 0;
          return failed$(registration, failures, error, at);
        }),
      );
    };

    // Right after an action, take again without a timer: a timer(0) costs a macrotask (at
    // least 1 ms in Node) per take, which capped a pack at under 1000 actions/s. The first take
    // and the rare other 0 waits keep their timer, so start() never takes synchronously.
    // iterate$ keeps a long run of synchronous takes off the stack.
    // After an empty take with burst polling, activity cuts the wait to `burst.first`.
    // `undefined`: no wait at all (the hot path of a drain: no operator to subscribe).
    const wait$ = (last: Step): Observable<unknown> | undefined => {
      if (last.outcome?.kind === 'action') return undefined;
      if (!burst || last.outcome?.kind !== 'empty') return timer(last.wait, scheduler);
      const first = burst.first;
      // The cut wait counts as the burst's first: the next empty take waits `first * factor`.
      const kicked$ = kick.pipe(
        take(1),
        switchMap(() => timer(first, scheduler)),
        tap(() => (empties = 1)),
      );
      return race(timer(last.wait, scheduler), kicked$);
    };

    // Lane `lane` (from 1) takes only while the window is wider than `lane`. After an action it
    // goes on at once, after a race it waits the short jitter; once the window has shrunk under
    // it, it sleeps until the window grows again.
    const extraWait$ = (lane: number, last: Step): Observable<unknown> =>
      (last.outcome?.kind === 'contention' ? timer(last.wait, scheduler) : of(0)).pipe(
        switchMap(() =>
          inFlightWindow.getValue() > lane
            ? of(0)
            : inFlightWindow.pipe(
                filter((size) => size > lane),
                take(1),
              ),
        ),
      );

    // The registration to take with, once a slot is free. A slot free now stays counted as
    // free, as in the combineLatest (whose filter drops later zeros): reserve() decides.
    const ready$ = (): Observable<Registration> =>
      deps.slots.free > 0
        ? step.current$
        : combineLatest([deps.slots.free$.pipe(filter((free) => free > 0)), step.current$]).pipe(
            map(([, registration]) => registration),
          );

    // After a race, a take sent while another is in flight goes `stagger` after the latest send;
    // the time is booked at once, so lanes deciding together are spread too. Alone, or with no
    // race lately, a take goes at once.
    // Then the registration, once a slot is free; no operator at all when nothing waits.
    const spacedReady$ = (): Observable<Registration> => {
      const now = scheduler.now();
      // Also after a take booked for later or sent within `stagger` (a lane waiting for its
      // turn, or for a slot): it counts as in flight.
      const spread = lanes > 1 && spreadFor > 0 && (inFlight > 0 || latestSend + stagger > now);
      const at = spread ? Math.max(now, latestSend + stagger) : now;
      latestSend = at;
      return at > now ? timer(at - now, scheduler).pipe(switchMap(ready$)) : ready$();
    };

    const next$ =
      (lane: number) =>
      (last: Step): Observable<Step> => {
        const waited$ = lane === 0 ? wait$(last) : extraWait$(lane, last);
        return (waited$ ? waited$.pipe(switchMap(spacedReady$)) : defer(spacedReady$)).pipe(
          take(1),
          takeUntil(stop$),
          // After takeUntil: stopping never cuts a take that was sent.
          concatMap((registration) => {
            // The window may have shrunk while this lane waited for a slot: no take then.
            const slot = inFlightWindow.getValue() > lane ? deps.slots.reserve() : undefined;
            return slot
              ? takeOnce$(registration, last.failures, lane, slot).pipe(
                  tap((s) => {
                    if (!s.outcome || s.perCommand) return;
                    window = nextTakeWindow(window, s.outcome.kind, lanes, growth);
                    if (s.outcome.kind === 'contention') spreadFor = STAGGER_RUN;
                    else if (s.outcome.kind === 'action') spreadFor = Math.max(0, spreadFor - 1);
                    if (windowLanes(window) !== inFlightWindow.getValue())
                      inFlightWindow.next(windowLanes(window));
                  }),
                )
              : of<Step>({ wait: 0, failures: last.failures });
          }),
        );
      };

    const lane$ = (lane: number): Observable<PollOutcome> =>
      iterate$<Step>({ wait: 0, failures: 0 }, next$(lane)).pipe(
        filter((s): s is Step & { outcome: PollOutcome } => s.outcome !== undefined),
        map((s) => s.outcome),
      );
    const activity = (deps.activity$ ?? NEVER).subscribe(() => kick.next());
    return merge(...Array.from({ length: lanes }, (_, lane) => lane$(lane))).pipe(
      finalize(() => activity.unsubscribe()),
    );
  });
}
