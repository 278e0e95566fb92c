import { isPackNotFoundError } from '../model/errors.js';
import type { PollOutcome } from '../model/outcomes.js';
import type { Action } from '../model/wire-types.js';
import type { BackoffConfig } from './backoff.js';
import { type BurstPolling, burstWaitMs } from './burst-polling.js';
import {
  commandBacklog,
  type CommandBacklog,
  commandEmptied,
  commandLanded,
  commandSent,
  commandTaken,
  pickCommand,
} from './command-backlog.js';
import { failedCallWait } from './re-registration.js';
import { contentionWaitMs, isTakeRace, type TakeContentionConfig } from './take-contention.js';
import { nextTakeWindow, windowLanes } from './take-window.js';

/**
 * Actions in a row without a take race after which the takes in flight are no longer spread
 * `stagger` apart. Long: against a store whose takes race, two takes in flight spaced apart
 * race about one take in ten, and sent together again they race at once, so the spacing must
 * outlast the gaps between races; a store that stops racing (the other replicas gone) is no
 * longer slowed after a few seconds of drain. Spacing costs little meanwhile: it only delays a
 * take sent within `stagger` ms of another one still in flight.
 */
export const STAGGER_RUN = 1000;

/**
 * The takes over which the share of races is averaged ({@link TakeState.raceShare}): each take
 * that ends weighs `1 / RACE_SHARE_TAKES`, so a few lone races do not count as a crowd.
 */
export const RACE_SHARE_TAKES = 20;

/**
 * The share of recent takes lost to races above which a race halves the window down to one
 * lane rather than keeping two: two takes in flight spaced apart race about one take in ten;
 * well above that (a busy machine that cannot keep the spacing, other replicas' takes) fewer
 * takes, not spacing, keep the races rare.
 */
export const RACE_SHARE_LIMIT = 0.2;

/**
 * The settings of the take policy, every default filled in (see {@link PollDeps} for each).
 *
 * @example
 * const config: TakePolicyConfig = { lanes: 8, growth: 0.1, stagger: 1.5, pollInterval: 5000,
 *   burst: false, contention: resolveTakeContention(), backoff: {}, commands: [] };
 */
export interface TakePolicyConfig {
  /** The most takes in flight at once (`maxTakesInFlight`), at least 1. */
  readonly lanes: number;
  /** The window's growth per action at one lane. */
  readonly growth: number;
  /** The least time between two sends of takes in flight together after a race, in ms. */
  readonly stagger: number;
  /** The wait after an empty take, in ms (the longest with burst polling). */
  readonly pollInterval: number;
  /** Burst polling, or `false`. */
  readonly burst: BurstPolling | false;
  /** The handling of take races. */
  readonly contention: Required<TakeContentionConfig>;
  /** The backoff after failed takes. */
  readonly backoff: BackoffConfig;
  /** The pack's commands (per-command takes with two or more). */
  readonly commands: readonly string[];
}

/**
 * Everything the take loop remembers between two decisions.
 *
 * @example
 * let state = initialTakeState(config);
 */
export interface TakeState {
  /** The window of takes in flight, fractional: its whole part is the lanes open. */
  readonly window: number;
  /** Takes sent and not answered yet. */
  readonly inFlight: number;
  /** When the latest take was (or will be) sent: the latest booking. */
  readonly latestSend: number;
  /** When the latest take was actually sent (a booked take may go later than booked). */
  readonly sentAt: number;
  /** Actions to come without a race before takes in flight go together again (0: they do). */
  readonly spreadFor: number;
  /** Bare 500s in a row. */
  readonly races: number;
  /** The share of recent takes that lost a race (an average over {@link RACE_SHARE_TAKES}). */
  readonly raceShare: number;
  /** `races` at the latest health check that passed (0: none in this run). */
  readonly checkedAt: number;
  /** Empty takes in a row since the latest activity; +Infinity before any. */
  readonly empties: number;
  /** 404s in a row (re-registrations asked for). */
  readonly notFounds: number;
  /** Failed takes in a row, per lane. */
  readonly failures: readonly number[];
  /** The commands with a backlog, for the extra takes. */
  readonly backlog: CommandBacklog;
  /** No take starts any more. */
  readonly stopped: boolean;
}

/**
 * What the take loop tells its policy.
 * - `book`: lane `lane` is about to take (its wait is over): when may it send?
 * - `send`: the lane may send now (at `now`) if the policy agrees (`freeSlots` slots free);
 * - `answered`: its take answered, with an action or `null` (204); `failed`: with an error;
 * - `dropped`: its take was unsubscribed before an answer;
 * - `health`: the health check the policy asked for answered;
 * - `activity`: a result delivered or an event accepted (burst polling); `cut`: a wait cut by
 *   activity is over; `stop`: no take may start any more.
 *
 * @example
 * decideTake(config, state, { kind: 'answered', lane: 0, action: null });
 */
export type TakeEvent =
  | { readonly kind: 'book'; readonly lane: number; readonly now: number }
  | {
      readonly kind: 'send';
      readonly lane: number;
      readonly freeSlots: number;
      readonly now: number;
    }
  | {
      readonly kind: 'answered';
      readonly lane: number;
      readonly command?: string;
      readonly action: Pick<Action, 'command'> | null;
    }
  | {
      readonly kind: 'failed';
      readonly lane: number;
      readonly command?: string;
      readonly error: unknown;
    }
  | { readonly kind: 'dropped'; readonly lane: number; readonly command?: string }
  | {
      readonly kind: 'health';
      readonly lane: number;
      readonly healthy: boolean;
      readonly error: unknown;
    }
  | { readonly kind: 'activity' }
  | { readonly kind: 'cut' }
  | { readonly kind: 'stop' };

/**
 * What a lane does before it books its next take.
 * - `again`: at once, without a timer (after an action: the hot path of a drain);
 * - `wait`: `ms` on a timer; with `cutTo`, activity cuts the wait to `cutTo` ms;
 * - `window`: an extra lane: `ms` on a timer (none when 0), then until the window is wider
 *   than the lane;
 * - `stop`: nothing more.
 *
 * @example
 * const next: TakeNext = { kind: 'wait', ms: 5000, cutTo: 100 };
 */
export type TakeNext =
  | { readonly kind: 'again' }
  | { readonly kind: 'wait'; readonly ms: number; readonly cutTo?: number }
  | { readonly kind: 'window'; readonly ms: number }
  | { readonly kind: 'stop' };

/**
 * The policy's answer to a {@link TakeEvent}, with the state that follows.
 * - `delay`: send after `ms` (to a `book`);
 * - `send`: send the take now, for `command` if set (to a `send`); `hold`: do not, go on with
 *   `next`;
 * - `ended`: the take ended as `outcome` (to `answered`, `failed`, `health`); go on with `next`;
 * - `check-health`: ask the server's health, and tell the policy (to `failed`);
 * - `noted`: nothing to do (to `dropped`, `activity`, `cut`, `stop`).
 *
 * @example
 * const decision: TakeDecision = decideTake(config, state, event);
 */
export type TakeDecision =
  | { readonly kind: 'delay'; readonly state: TakeState; readonly ms: number }
  | { readonly kind: 'send'; readonly state: TakeState; readonly command?: string }
  | { readonly kind: 'hold'; readonly state: TakeState; readonly next: TakeNext }
  | {
      readonly kind: 'ended';
      readonly state: TakeState;
      readonly outcome: PollOutcome['kind'];
      readonly next: TakeNext;
    }
  | { readonly kind: 'check-health'; readonly state: TakeState }
  | { readonly kind: 'noted'; readonly state: TakeState };

/**
 * The state before the first take: one lane open, nothing in flight, no activity yet.
 *
 * @param config - the policy's settings.
 * @returns the first state.
 * @example
 * let state = initialTakeState(config);
 */
export const initialTakeState = (config: TakePolicyConfig): TakeState => ({
  window: 1,
  inFlight: 0,
  latestSend: Number.NEGATIVE_INFINITY,
  sentAt: Number.NEGATIVE_INFINITY,
  spreadFor: 0,
  races: 0,
  raceShare: 0,
  checkedAt: 0,
  empties: Number.POSITIVE_INFINITY,
  notFounds: 0,
  failures: Array.from({ length: config.lanes }, () => 0),
  backlog: commandBacklog(config.commands),
  stopped: false,
});

/**
 * What a lane does before its first take: lane 0 takes on a timer of 0 (so that starting the
 * loop never takes synchronously), the others wait for the window to open.
 *
 * @param lane - the lane, from 0.
 * @returns its first {@link TakeNext}.
 * @example
 * firstTakeNext(0); // { kind: 'wait', ms: 0 }
 */
export const firstTakeNext = (lane: number): TakeNext =>
  lane === 0 ? { kind: 'wait', ms: 0 } : { kind: 'window', ms: 0 };

/**
 * The take policy: how many takes are in flight, when each is sent and for which command,
 * and what follows each answer. A pure state machine `(config, state, event) → decision`; the
 * take loop ({@link poll$}) only drives it (timers, slots, the take itself).
 *
 * - **Window** (how many takes in flight): lanes `0 .. windowLanes(window) - 1` may take. An
 *   action grows it by `growth / lanes` ({@link nextTakeWindow}), a race halves it, an empty
 *   or failed take closes it to one lane; an empty take of one command leaves it alone. A lone
 *   race leaves two lanes at least: takes of one pack that collide need spacing, not fewer
 *   takes; races in a row, or over {@link RACE_SHARE_LIMIT} of the recent takes (other
 *   replicas' takes, a machine too busy to keep the spacing), halve it down to one.
 * - **Spacing**: after a race, a take booked while another is in flight (or booked) goes
 *   `stagger` ms after the latest booking, until {@link STAGGER_RUN} actions came without a
 *   race; and at the send, a take less than `stagger` ms after the latest one sent while that
 *   one is still in flight holds for the rest (a booked take may go late: after a busy event
 *   loop, or a wait for a slot).
 * - **Per-command choice**: lane 0 never filters (oldest first); the others ask for the
 *   command with a backlog least asked for ({@link pickCommand}).
 * - **Next take**: after an action at once (no timer); after an empty take the poll interval,
 *   or the burst wait after activity ({@link burstWaitMs}), which activity cuts; after a race
 *   the contention wait ({@link contentionWaitMs}); after a failure the backoff (none for the
 *   first 404 in a row, {@link failedCallWait}). Extra lanes never wait a backoff: the window
 *   closes under them.
 * - **Races and health**: a bare 500 is a race; after `checkHealthAfter` in a row (and as many
 *   again after each check that passed) the server's health decides: healthy, a race (its wait
 *   growing on up to `longestWaitAfterCheck`); unhealthy, a failed take.
 * - **Stop**: after `stop`, no lane sends.
 *
 * @param config - the policy's settings.
 * @param state - the state now.
 * @param event - what happened.
 * @returns the decision and the next state.
 * @example
 * const d = decideTake(config, state, { kind: 'answered', lane: 0, action: null });
 * // { kind: 'ended', outcome: 'empty', next: { kind: 'wait', ms: 5000 }, state: ... }
 */
export function decideTake(
  config: TakePolicyConfig,
  state: TakeState,
  event: TakeEvent,
): TakeDecision {
  switch (event.kind) {
    case 'book':
      return book(config, state, event.now);
    case 'send':
      return send(config, state, event.lane, event.freeSlots, event.now);
    case 'answered':
      return answered(config, landed(state, event.command), event.lane, event);
    case 'failed':
      return failed(config, landed(state, event.command), event.lane, event.error);
    case 'dropped':
      return { kind: 'noted', state: landed(state, event.command) };
    case 'health':
      return event.healthy
        ? contended(config, { ...state, checkedAt: state.races }, event.lane)
        : failedTake(config, state, event.lane, event.error);
    case 'activity':
      return { kind: 'noted', state: { ...state, empties: 0 } };
    case 'cut':
      // The cut wait counts as the burst's first: the next empty take waits `first * factor`.
      return { kind: 'noted', state: { ...state, empties: 1 } };
    case 'stop':
      return { kind: 'noted', state: { ...state, stopped: true } };
  }
}

function book(config: TakePolicyConfig, state: TakeState, now: number): TakeDecision {
  const { latestSend, inFlight } = state;
  const spread = spreading(config, state) && (inFlight > 0 || latestSend + config.stagger > now);
  const at = spread ? Math.max(now, latestSend + config.stagger) : now;
  return { kind: 'delay', state: { ...state, latestSend: at }, ms: at - now };
}

/** Whether takes in flight together are spread `stagger` apart (after a race). */
const spreading = (config: TakePolicyConfig, state: TakeState): boolean =>
  config.lanes > 1 && state.spreadFor > 0;

function send(
  config: TakePolicyConfig,
  state: TakeState,
  lane: number,
  freeSlots: number,
  now: number,
): TakeDecision {
  if (state.stopped) return { kind: 'hold', state, next: { kind: 'stop' } };
  // The window may have shrunk while this lane waited for a slot: no take then.
  if (windowLanes(state.window) <= lane || freeSlots <= 0) {
    return { kind: 'hold', state, next: firstTakeNext(lane) };
  }
  // The booking spaced this take from the others booked, but either may go late: what
  // collides at the store is two takes sent close together, so the send itself is spaced.
  const early = state.sentAt + config.stagger - now;
  if (spreading(config, state) && state.inFlight > 0 && early > 0) {
    // Its booking is void: booked again after the hold, it is spaced from the latest send,
    // not from its own void booking (which would hold it once more).
    const held = { ...state, latestSend: state.sentAt };
    return { kind: 'hold', state: held, next: { kind: 'wait', ms: early } };
  }
  const inFlight = state.inFlight + 1;
  const sent = { ...state, inFlight, sentAt: now };
  if (lane === 0) return { kind: 'send', state: sent };
  const { command, next } = pickCommand(state.backlog);
  if (command === undefined) return { kind: 'send', state: { ...sent, backlog: next } };
  return { kind: 'send', state: { ...sent, backlog: commandSent(next, command) }, command };
}

/** The take answered (or was dropped): no longer in flight. */
function landed(state: TakeState, command: string | undefined): TakeState {
  const backlog = command === undefined ? state.backlog : commandLanded(state.backlog, command);
  return { ...state, inFlight: Math.max(0, state.inFlight - 1), backlog };
}

const withFailures = (state: TakeState, lane: number, failures: number): TakeState =>
  state.failures[lane] === failures
    ? state
    : { ...state, failures: state.failures.map((n, i) => (i === lane ? failures : n)) };

function answered(
  config: TakePolicyConfig,
  landedState: TakeState,
  lane: number,
  event: { readonly command?: string; readonly action: Pick<Action, 'command'> | null },
): TakeDecision {
  const ok = withFailures({ ...landedState, races: 0, checkedAt: 0, notFounds: 0 }, lane, 0);
  if (event.action) {
    const backlog = commandTaken(ok.backlog, event.action.command);
    const next: TakeNext = lane === 0 ? { kind: 'again' } : { kind: 'window', ms: 0 };
    return ended(config, { ...ok, empties: 0, backlog }, 'action', next);
  }
  if (event.command !== undefined) {
    // This command's backlog is done; the pack's may not be: no wait, same window.
    const state = { ...ok, backlog: commandEmptied(ok.backlog, event.command) };
    return { kind: 'ended', state, outcome: 'empty', next: { kind: 'window', ms: 0 } };
  }
  const ms = burstWaitMs(config.burst, config.pollInterval, ok.empties);
  const next: TakeNext =
    lane !== 0
      ? { kind: 'window', ms: 0 }
      : config.burst
        ? { kind: 'wait', ms, cutTo: config.burst.first }
        : { kind: 'wait', ms };
  return ended(config, { ...ok, empties: ok.empties + 1 }, 'empty', next);
}

function failed(
  config: TakePolicyConfig,
  landedState: TakeState,
  lane: number,
  error: unknown,
): TakeDecision {
  if (!isTakeRace(error)) {
    return failedTake(config, { ...landedState, races: 0, checkedAt: 0 }, lane, error);
  }
  const state = { ...landedState, races: landedState.races + 1 };
  if (state.races - state.checkedAt >= config.contention.checkHealthAfter) {
    return { kind: 'check-health', state };
  }
  return contended(config, state, lane);
}

/** A race taken for contention: the short wait, growing with the races in a row. */
function contended(config: TakePolicyConfig, state: TakeState, lane: number): TakeDecision {
  const ms = contentionWaitMs(config.contention, state.races);
  const next: TakeNext = lane === 0 ? { kind: 'wait', ms } : { kind: 'window', ms };
  return ended(config, state, 'contention', next);
}

function failedTake(
  config: TakePolicyConfig,
  state: TakeState,
  lane: number,
  error: unknown,
): TakeDecision {
  const failures = (state.failures[lane] ?? 0) + 1;
  const notFounds = isPackNotFoundError(error) ? state.notFounds + 1 : state.notFounds;
  const ms = failedCallWait(config.backoff, error, failures, notFounds);
  const next: TakeNext = lane === 0 ? { kind: 'wait', ms } : { kind: 'window', ms: 0 };
  return ended(config, withFailures({ ...state, notFounds }, lane, failures), 'error', next);
}

/** A take that counts for the window ended as `outcome`. */
function ended(
  config: TakePolicyConfig,
  state: TakeState,
  outcome: PollOutcome['kind'],
  next: TakeNext,
): TakeDecision {
  const raceShare =
    state.raceShare + ((outcome === 'contention' ? 1 : 0) - state.raceShare) / RACE_SHARE_TAKES;
  const lone = state.races <= 1 && raceShare <= RACE_SHARE_LIMIT;
  const window = nextTakeWindow(state.window, outcome, config.lanes, config.growth, lone);
  const spreadFor =
    outcome === 'contention'
      ? STAGGER_RUN
      : outcome === 'action'
        ? Math.max(0, state.spreadFor - 1)
        : state.spreadFor;
  return { kind: 'ended', state: { ...state, window, spreadFor, raceShare }, outcome, next };
}
