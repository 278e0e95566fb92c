import { PACK_DEFAULTS } from '../model/defaults.js';
import {
  asyncScheduler,
  mergeMap,
  type OperatorFunction,
  catchError,
  defer,
  finalize,
  map,
  merge,
  NEVER,
  Observable,
  of,
  race,
  type SchedulerLike,
  take,
  tap,
  timer,
} from 'rxjs';
import type { Action } from '../model/wire-types.js';
import { FlyteError, TimeoutError } from '../model/errors.js';
import { silentLogger, withMeta, type Logger } from '../model/logger.js';
import { type Command, type FlyteEvent, FATAL } from '../model/definitions.js';
import type { ActionResult } from '../model/outcomes.js';
import { fatalEventFor } from '../model/fatal-result.js';
import { handlerEvent$ } from './handler-event.js';

/**
 * How actions are run: the commands, the timeout and the cancel signal.
 *
 * @example
 * const options: RunActionOptions = { commands: def.commands ?? [], handlerTimeout: 60_000, cancel$ };
 */
export interface RunActionOptions {
  /** The pack's commands. */
  readonly commands: readonly Command[];
  /** Time a handler may take, in ms, unless its command sets `timeout`; 0 for none. @default 300000 */
  readonly handlerTimeout?: number;
  /** Once it emits (make it replay), running handlers are cancelled and complete with FATAL. */
  readonly cancel$?: Observable<unknown>;
  /** @default silentLogger */
  readonly logger?: Logger;
  /**
   * Wraps the start of each handler: `run` starts it (and returns its subscription), so what
   * the handler does at once, and what it schedules then, runs inside the wrapper (the pack
   * runs it inside the action's tracing span). @default runs it as it is
   */
  readonly runHandler?: <T>(action: Action, run: () => T) => T;
}

/**
 * Runs the handler of one action and emits its result, exactly once, then completes; never
 * errors. The handler is cancelled (unsubscribed, its context `signal` aborted) when its
 * command's `timeout` (else `handlerTimeout`) runs out or `cancel$` emits; the result is then a
 * FATAL event with reason `timeout` or `cancelled`. An unknown command gives FATAL
 * `unknown-command`, an action the server described badly (`action.problem`) FATAL
 * `invalid-action`; see {@link handlerEvent$} for the other failures. The result's
 * `handlerMs` is measured with `scheduler`.
 *
 * @param action - the action to handle.
 * @param options - the commands, timeout, cancel signal and logger.
 * @param scheduler - the scheduler of the timeout.
 * @returns one {@link ActionResult}.
 * @example
 * runAction$(action, { commands: def.commands, handlerTimeout: 60_000 }).subscribe((r) => post(r.event));
 */
export function runAction$(
  action: Action,
  options: RunActionOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<ActionResult> {
  const logger = options.logger ?? silentLogger;
  let started: number | undefined;
  return defer(() => {
    if (action.problem)
      return of(fatalEventFor('invalid-action', action, { problem: action.problem }));
    const command = options.commands.find((c) => c.name === action.command);
    if (!command) {
      const known = options.commands.map((c) => c.name);
      return of(fatalEventFor('unknown-command', action, { known }));
    }
    started = scheduler.now();
    const timeout = command.timeout ?? options.handlerTimeout ?? PACK_DEFAULTS.handlers.timeout;
    const controller = new AbortController();
    let settled = false;
    let abortReason: Error | undefined;
    const interrupt$ = merge(
      timeout > 0 && Number.isFinite(timeout)
        ? timer(timeout, scheduler).pipe(map(() => fatalEventFor('timeout', action, { timeout })))
        : NEVER,
      (options.cancel$ ?? NEVER).pipe(map(() => fatalEventFor('cancelled', action))),
    ).pipe(
      take(1),
      // Runs before race() unsubscribes the handler, so the abort carries the reason.
      tap((event) => (abortReason = reasonOf(event, timeout))),
    );
    const handler$ = handlerEvent$(command, action, {
      action,
      signal: controller.signal,
      logger: withMeta(logger, { actionId: action.id, command: action.command }),
      ...(action.recovered && { recovered: true, strandedFor: action.recovered.strandedFor }),
    }).pipe(
      tap(() => (settled = true)),
      finalize(() => {
        if (!settled)
          controller.abort(abortReason ?? new FlyteError('the handler was unsubscribed'));
      }),
    );
    const { runHandler } = options;
    const wrapped$ = runHandler
      ? new Observable<FlyteEvent>((subscriber) =>
          runHandler(action, () => handler$.subscribe(subscriber)),
        )
      : handler$;
    return race(interrupt$, wrapped$);
  }).pipe(
    catchError((error: unknown) => of(fatalEventFor('errored', action, { error }))),
    map((event): ActionResult => {
      const handlerMs = started === undefined ? 0 : scheduler.now() - started;
      return toResult(action, event, handlerMs, logger);
    }),
  );
}

/**
 * Options of {@link dispatch}: those of {@link runAction$}, plus the concurrency.
 *
 * @example
 * actions$.pipe(dispatch({ commands: def.commands ?? [], concurrency: 4 }));
 */
export interface DispatchOptions extends RunActionOptions {
  /** Handlers that run at once; the other actions wait their turn. @default 10 */
  readonly concurrency?: number;
}

/**
 * Runs each action's handler, at most `concurrency` at once, and emits one
 * {@link ActionResult} per action, in the order they finish. Every failure is caught inside
 * the action's own inner observable ({@link runAction$}) and becomes a FATAL result, so one
 * action's failure never ends the stream.
 *
 * @param options - the commands, concurrency, timeout, cancel signal and logger.
 * @param scheduler - the scheduler of the handler timeouts.
 * @returns the operator from actions to results.
 * @example
 * actions$.pipe(dispatch({ commands: def.commands ?? [], concurrency: 4, handlerTimeout: 60_000 }))
 *   .subscribe((r) => outbox.next(r));
 */
export function dispatch(
  options: DispatchOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<Action, ActionResult> {
  return mergeMap(
    (action) => runAction$(action, options, scheduler),
    options.concurrency ?? PACK_DEFAULTS.handlers.concurrency,
  );
}

function reasonOf(event: FlyteEvent, timeout: number): Error {
  const { reason, message } = event.payload as { reason: string; message: string };
  return reason === 'timeout'
    ? new TimeoutError({ timeoutMs: timeout, message })
    : new FlyteError(message);
}

function toResult(
  action: Action,
  event: FlyteEvent,
  handlerMs: number,
  logger: Logger,
): ActionResult {
  const fatal = event.eventDef.name === FATAL;
  if (fatal) {
    logger.warn(`action ${action.id} of command "${action.command}" failed`, {
      actionId: action.id,
      command: action.command,
      payload: event.payload,
    });
  }
  const outcome = fatal ? 'fatal' : 'success';
  return action.recovered
    ? { action, event, outcome, recovered: true, handlerMs }
    : { action, event, outcome, handlerMs };
}
