import { PACK_DEFAULTS } from '../model/defaults.js';
import { LazyAbort } from '../model/lazy-abort.js';
import {
  asyncScheduler,
  mergeMap,
  type OperatorFunction,
  catchError,
  defer,
  finalize,
  map,
  Observable,
  of,
  type SchedulerLike,
  switchMap,
  tap,
  timer,
} from 'rxjs';
import type { Action } from '../model/wire-types.js';
import { errorMessage, FlyteError, TimeoutError } from '../model/errors.js';
import { silentLogger, withMeta, type Logger } from '../model/logger.js';
import { type Command, type FlyteEvent, FATAL } from '../model/definitions.js';
import type { HandlerRetry } from '../model/handler-retry.js';
import type { ActionResult } from '../model/outcomes.js';
import { fatalEventFor } from '../model/fatal-payload.js';
import { commandInput$, handlerAttempt$, type HandlerAttemptEnd } from './handler-event.js';
import { unlessInterrupted } from './unless-interrupted.js';
import { type HandlerFailure, type HandlerRetryNotice, retryDecision } from './handler-retry.js';

/**
 * How actions are run: the commands, the timeout, the retries and the cancel signal.
 *
 * @example
 * const options: RunActionOptions = { commands: def.commands ?? [], handlerTimeout: 60_000, cancel$ };
 */
export interface RunActionOptions {
  /** The pack's commands. */
  readonly commands: readonly Command[];
  /** Time a handler may take, in ms, unless its command sets `timeout`; 0 for none. @default 300000 */
  readonly handlerTimeout?: number;
  /** The retry of commands that set none (the pack definition's `retry`). @default none */
  readonly retry?: HandlerRetry;
  /**
   * Once it emits (make it replay), running handlers are cancelled and complete with FATAL;
   * its completion alone cancels nothing.
   */
  readonly cancel$?: Observable<unknown>;
  /** @default silentLogger */
  readonly logger?: Logger;
  /**
   * Wraps the start of each run of a handler: `run` starts it (and returns its subscription),
   * so what the handler does at once, and what it schedules then, runs inside the wrapper (the
   * pack runs it inside the action's tracing span). @default runs it as it is
   */
  readonly runHandler?: <T>(action: Action, run: () => T) => T;
  /** Told when a run of a handler failed and will be retried (the pack adds a span event). */
  readonly onRetry?: (action: Action, notice: HandlerRetryNotice) => void;
}

/**
 * Runs the handler of one action and emits its result, exactly once, then completes; never
 * errors. A run is cancelled (unsubscribed, its context `signal` aborted) when its command's
 * `timeout` (else `handlerTimeout`) runs out or `cancel$` emits; the result is then a FATAL
 * event with reason `timeout` or `cancelled`. A run that throws, rejects or errors runs again
 * as the command's `retry` (else `options.retry`) says, after its backoff on `scheduler`
 * (see `HandlerRetry`); the last failure is the FATAL. An unknown command gives FATAL
 * `unknown-command`, an action the server described badly (`action.problem`) FATAL
 * `invalid-action`, an input the command's schema refuses FATAL `invalid-input`; see
 * `handlerEvent$` (`handler-event.ts`) for the other failures. The result's `handlerMs` is
 * measured with `scheduler`, its `attempts` counts the runs.
 *
 * @param action - the action to handle.
 * @param options - the commands, timeout, retry, cancel signal and logger.
 * @param scheduler - the scheduler of the timeouts and the waits between runs.
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
  let attempts = 0;
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
    const retry = command.retry ?? options.retry;
    const actionLogger = withMeta(logger, { actionId: action.id, command: action.command });
    /** Why the running handler is cancelled: read when its run is unsubscribed. */
    let abortReason: Error | undefined;

    /** Run number `n` of the handler, then the next ones as the retry says. */
    const attempt$ = (input: unknown, n: number): Observable<FlyteEvent> =>
      defer(() => {
        attempts = n;
        abortReason = undefined;
        const abort = new LazyAbort();
        let settled = false;
        const handler$ = handlerAttempt$(command, action, input, {
          action,
          get signal() {
            return abort.signal;
          },
          logger: actionLogger,
          attempt: n,
          ...(action.recovered && { recovered: true, strandedFor: action.recovered.strandedFor }),
        }).pipe(
          tap(() => (settled = true)),
          finalize(() => {
            if (!settled)
              abort.abort(abortReason ?? new FlyteError('the handler was unsubscribed'));
          }),
        );
        const { runHandler } = options;
        const wrapped$ = runHandler
          ? new Observable<HandlerAttemptEnd>((subscriber) =>
              runHandler(action, () => handler$.subscribe(subscriber)),
            )
          : handler$;
        const bounded$ =
          timeout > 0 && Number.isFinite(timeout)
            ? unlessInterrupted(wrapped$, timer(timeout, scheduler), (): TimedOut => {
                // Before the handler is unsubscribed, so the abort carries the reason.
                abortReason = timeoutError(action, timeout);
                return { kind: 'timeout' };
              })
            : wrapped$;
        return bounded$.pipe(
          switchMap((end) => {
            if (end.kind === 'event') return of(end.event);
            const failure: HandlerFailure =
              end.kind === 'timeout'
                ? { reason: 'timeout', error: abortReason }
                : { reason: end.reason, error: end.error };
            const decision = retryDecision(retry, failure, n);
            if (!decision.retry) return of(fatalFor(action, failure, timeout, retry, n));
            const notice = {
              attempt: n,
              of: retry?.attempts ?? 1,
              ...failure,
              delayMs: decision.delayMs,
            };
            actionLogger.warn(
              `handler of command "${action.command}" failed (attempt ${n} of ${notice.of}, ${failure.reason}: ${errorMessage(failure.error)}); running it again in ${decision.delayMs} ms`,
            );
            options.onRetry?.(action, notice);
            return timer(decision.delayMs, scheduler).pipe(switchMap(() => attempt$(input, n + 1)));
          }),
        );
      });

    const handled$ = command.input
      ? commandInput$(command, action).pipe(
          switchMap((input) => (input.ok ? attempt$(input.value, 1) : of(input.event))),
        )
      : attempt$(action.input, 1);
    if (!options.cancel$) return handled$;
    return unlessInterrupted(handled$, options.cancel$, () => {
      const event = fatalEventFor('cancelled', action);
      // Before the handler is unsubscribed, so the abort carries the reason.
      abortReason = new FlyteError((event.payload as { message: string }).message);
      return event;
    });
  }).pipe(
    catchError((error: unknown) => of(fatalEventFor('errored', action, { error }))),
    map((event): ActionResult => {
      const handlerMs = started === undefined ? 0 : scheduler.now() - started;
      return toResult(action, event, handlerMs, attempts, logger);
    }),
  );
}

/** A run of a handler that ran out of time. */
interface TimedOut {
  readonly kind: 'timeout';
}

function timeoutError(action: Action, timeout: number): TimeoutError {
  const { message } = fatalEventFor('timeout', action, { timeout }).payload;
  return new TimeoutError({ timeoutMs: timeout, message });
}

/** The FATAL event of the run that failed last. */
function fatalFor(
  action: Action,
  failure: HandlerFailure,
  timeout: number,
  retry: HandlerRetry | undefined,
  attempt: number,
): FlyteEvent {
  const attempts = retry && retry.attempts > 1 ? { made: attempt, of: retry.attempts } : undefined;
  return failure.reason === 'timeout'
    ? fatalEventFor('timeout', action, { timeout, ...(attempts && { attempts }) })
    : fatalEventFor(failure.reason, action, {
        error: failure.error,
        ...(attempts && { attempts }),
      });
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

function toResult(
  action: Action,
  event: FlyteEvent,
  handlerMs: number,
  attempts: number,
  logger: Logger,
): ActionResult {
  const fatal = event.eventDef.name === FATAL;
  if (fatal) {
    // The reason is a field of its own, so a log search need not look inside the payload.
    const reason = (event.payload as { reason?: unknown } | null | undefined)?.reason;
    logger.warn(`action ${action.id} of command "${action.command}" failed`, {
      actionId: action.id,
      command: action.command,
      ...(typeof reason === 'string' && { reason }),
      payload: event.payload,
    });
  }
  const outcome = fatal ? 'fatal' : 'success';
  return action.recovered
    ? { action, event, outcome, recovered: true, handlerMs, attempts }
    : { action, event, outcome, handlerMs, attempts };
}
