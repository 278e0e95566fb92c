import type { FlyteEvent } from './definitions.js';
import type { Action } from './wire-types.js';

/**
 * How an action ended.
 * - `success`: the handler produced the event;
 * - `fatal`: the handler failed (throw, reject, error, empty, timeout, unknown command, cancelled) and a FATAL event was produced.
 *
 * @example
 * pack.results$.pipe(filter((r) => r.outcome === 'fatal')).subscribe(alert);
 */
export type ActionOutcome = 'success' | 'fatal';

/**
 * A handled action and its result event (before delivery).
 *
 * @example
 * pack.results$.subscribe(({ action, event, outcome, handlerMs }) =>
 *   console.log(action.command, event.eventDef.name, outcome, `${handlerMs} ms`),
 * );
 */
export interface ActionResult {
  /** The action handled. */
  readonly action: Action;
  /** The handler's event, or the FATAL event that replaced it. */
  readonly event: FlyteEvent;
  /** `fatal` when the event is `FATAL`, `success` otherwise. */
  readonly outcome: ActionOutcome;
  /** Set when the action was recovered (found stranded PENDING), not taken. */
  readonly recovered?: true;
  /**
   * How long the handler ran, in ms of the pack's scheduler: from its start to its event (or
   * to the FATAL that replaced it: a timeout, a cancel), retries and the waits between them
   * included. 0 when no handler ran (an unknown command, an invalid action).
   */
  readonly handlerMs: number;
  /**
   * How many times the handler ran: 1, more when its command's `retry` ran it again, 0 when
   * none ran (an unknown command, an invalid action, an input its schema refused).
   */
  readonly attempts: number;
}

/**
 * One poll of the take-action link, as observed by health checks.
 *
 * @example
 * pack.polls$.subscribe((p) => console.log(p.kind, p.time, `${p.ms} ms`));
 */
export interface PollOutcome {
  /**
   * `action`: one was taken; `empty`: 204; `contention`: the take lost a race with another
   * take (a bare 500: nothing changed on the server; retried after a short jittered wait, not
   * a failure); `error`: the take failed.
   */
  readonly kind: 'action' | 'empty' | 'contention' | 'error';
  /** `scheduler.now()` when the poll ended. */
  readonly time: number;
  /** How long the take took, in ms of the pack's scheduler (from its request to its answer). */
  readonly ms: number;
  /** The action taken, when `kind` is `action`. */
  readonly action?: Action;
  /** What went wrong, when `kind` is `error`; the bare 500, when `kind` is `contention`. */
  readonly error?: unknown;
}
