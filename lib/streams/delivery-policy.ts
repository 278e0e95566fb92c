import { backoffMs, type BackoffConfig } from './backoff.js';
import type { AttemptClass } from './attempt-outcome.js';

/**
 * Bare 500s counted (each after a healthy health check) after which a result whose earlier
 * attempt was lost counts as landed, when the audit cannot be read. One is not enough: flyte
 * answers a store failure with the same bare 500, and six such failures around a healthy
 * health check each time are rare.
 */
export const BARE_500S_FOR_LANDING = 6;

/**
 * Where the delivery of one item stands, as {@link decideDelivery} reads and returns it.
 *
 * @example
 * const state: DeliveryState = initialDeliveryState('result');
 */
export interface DeliveryState {
  /** A result (retried until the deadline) or a spontaneous event (a budget of attempts). */
  readonly item: 'result' | 'event';
  /** Failed posts in a row: the backoff's retry number. */
  readonly failures: number;
  /** Posts that spent the budget of an event (a wait the server asked for spends none). */
  readonly spent: number;
  /** Consecutive 404s: only the first is retried at once (the re-registration). */
  readonly notFounds: number;
  /** An attempt may have reached the server although its answer was lost. */
  readonly ambiguous: boolean;
  /** Whether the audit answers: `usable` until it refuses (401/403) or cannot be read. */
  readonly audit: 'usable' | 'unusable';
  /** Bare 500s counted towards an inferred landing, each after a healthy health check. */
  readonly bare500s: number;
}

/**
 * What the driver reports back to {@link decideDelivery}: how a post ended, what the audit
 * says of the action, or how the health link answered.
 *
 * @example
 * const outcome: DeliveryOutcome = { kind: 'post', attempt: 'bare-500' };
 */
export type DeliveryOutcome =
  | {
      /** The server answered 202. */
      readonly kind: 'accepted';
    }
  | {
      /** A post failed. */
      readonly kind: 'post';
      /** How, as {@link classifyAttempt} tells it. */
      readonly attempt: AttemptClass;
      /** The `Retry-After` the server asked for, in ms, when it did. */
      readonly serverWait?: number;
    }
  | {
      /** The audit was read for the action. */
      readonly kind: 'audit';
      /**
       * `landed` (SUCCESS or FATAL), `pending`, `unavailable` (a failure that may pass: 5xx,
       * network), `unusable` (refused 401/403, unreadable, the action not listed, no audit).
       */
      readonly verdict: 'landed' | 'pending' | 'unavailable' | 'unusable';
    }
  | {
      /** The health link was asked. */
      readonly kind: 'health';
      /** Whether it answered 200. */
      readonly healthy: boolean;
    };

/**
 * What to do next:
 * - `delivered`: the server answered 202;
 * - `verified`: the audit shows the action completed: the result landed;
 * - `inferred`: the audit cannot be read, and bare 500s around a healthy server say it landed;
 * - `retry`: post again after `after` ms;
 * - `verify`: ask the audit for the action's state;
 * - `check-health`: ask the health link before counting this bare 500;
 * - `refused`: refused for good (a result is answered with FATAL instead; anything else ends);
 * - `give-up`: an event's budget is spent.
 *
 * @example
 * const next: DeliveryDecision = { do: 'retry', after: 500 };
 */
export type DeliveryDecision =
  | {
      /** The delivery ends so. */
      readonly do: 'delivered' | 'verified' | 'inferred' | 'refused' | 'give-up';
    }
  | {
      /** Ask, then decide again with the answer. */
      readonly do: 'verify' | 'check-health';
    }
  | {
      /** Post again. */
      readonly do: 'retry';
      /** After this wait, in ms. */
      readonly after: number;
    };

/**
 * The limits of the delivery policy.
 *
 * @example
 * const config: DeliveryPolicyConfig = { eventAttempts: 10, backoff: { maxDelay: 30_000 } };
 */
export interface DeliveryPolicyConfig {
  /** Posts of an event before it is given up. */
  readonly eventAttempts: number;
  /** The waits between posts; `maxDelay` also caps a `Retry-After`. */
  readonly backoff: BackoffConfig;
}

/**
 * The state of a delivery before its first post. A recovered result starts ambiguous:
 * another client may have completed its action already.
 *
 * @param item - `result` or `event`.
 * @param recovered - whether the result answers a recovered action.
 * @returns the state.
 * @example
 * initialDeliveryState('event'); // { item: 'event', failures: 0, ... }
 */
export function initialDeliveryState(item: 'result' | 'event', recovered = false): DeliveryState {
  return {
    item,
    failures: 0,
    spent: 0,
    notFounds: 0,
    ambiguous: recovered,
    audit: 'usable',
    bare500s: 0,
  };
}

/**
 * The delivery policy, pure: from where a delivery stands and what just happened, the next
 * state and what to do. Results are retried until delivered, verified, refused for good or
 * stopped (the deadline is the driver's); events have `eventAttempts` posts. A bare 500 on a
 * result after an ambiguous attempt is a question for the audit, not an answer: SUCCESS or
 * FATAL there is the landing, PENDING is not. Only when the audit refuses or cannot be read do
 * bare 500s count, each after a healthy health check, six of them
 * making an inferred landing. See the table of cases in `spec/streams/delivery-policy.spec.ts`.
 *
 * @param state - where the delivery stands.
 * @param outcome - what just happened.
 * @param config - the event budget and the backoff.
 * @returns the next state, and the decision.
 * @example
 * const [next, decision] = decideDelivery(state, { kind: 'post', attempt: 'ambiguous' }, config);
 */
export function decideDelivery(
  state: DeliveryState,
  outcome: DeliveryOutcome,
  config: DeliveryPolicyConfig,
): readonly [DeliveryState, DeliveryDecision] {
  switch (outcome.kind) {
    case 'accepted':
      return [state, { do: 'delivered' }];
    case 'audit':
      return afterAudit(state, outcome.verdict, config);
    case 'health':
      return afterHealth(state, outcome.healthy, config);
    case 'post':
      return afterPost(state, outcome.attempt, outcome.serverWait, config);
  }
}

function afterPost(
  state: DeliveryState,
  attempt: AttemptClass,
  serverWait: number | undefined,
  config: DeliveryPolicyConfig,
): readonly [DeliveryState, DeliveryDecision] {
  if (attempt === 'refused') return [state, { do: 'refused' }];
  const failed: DeliveryState = {
    ...state,
    failures: state.failures + 1,
    spent: serverWait === undefined ? state.spent + 1 : state.spent,
    notFounds: attempt === 'not-found' ? state.notFounds + 1 : 0,
    ambiguous: state.ambiguous || attempt === 'ambiguous',
  };
  if (state.item === 'event' && failed.spent >= config.eventAttempts) {
    return [failed, { do: 'give-up' }];
  }
  if (state.item === 'result' && attempt === 'bare-500' && failed.ambiguous) {
    return [failed, { do: failed.audit === 'usable' ? 'verify' : 'check-health' }];
  }
  if (attempt === 'not-found' && failed.notFounds === 1) return [failed, { do: 'retry', after: 0 }];
  return [failed, retry(failed, config, serverWait)];
}

function afterAudit(
  state: DeliveryState,
  verdict: 'landed' | 'pending' | 'unavailable' | 'unusable',
  config: DeliveryPolicyConfig,
): readonly [DeliveryState, DeliveryDecision] {
  if (verdict === 'landed') return [state, { do: 'verified' }];
  if (verdict === 'unusable') return [{ ...state, audit: 'unusable' }, { do: 'check-health' }];
  // PENDING: the lost attempt did not land (a later bare 500 is asked about again).
  return [state, retry(state, config)];
}

function afterHealth(
  state: DeliveryState,
  healthy: boolean,
  config: DeliveryPolicyConfig,
): readonly [DeliveryState, DeliveryDecision] {
  const next = { ...state, bare500s: healthy ? state.bare500s + 1 : 0 };
  if (next.bare500s >= BARE_500S_FOR_LANDING) return [next, { do: 'inferred' }];
  return [next, retry(next, config)];
}

/** The wait before the next post: the server's `Retry-After` (capped), else the backoff. */
function retry(
  state: DeliveryState,
  config: DeliveryPolicyConfig,
  serverWait?: number,
): DeliveryDecision {
  const cap = config.backoff.maxDelay ?? 60_000;
  const after =
    serverWait === undefined
      ? backoffMs(config.backoff, Math.max(1, state.failures))
      : Math.min(serverWait, cap);
  return { do: 'retry', after };
}
