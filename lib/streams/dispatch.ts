import { PACK_DEFAULTS } from '../model/defaults.js';
import { LazyAbort } from '../model/lazy-abort.js';
import {
  asyncScheduler,
  Observable,
  type Observer,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { Action } from '../model/wire-types.js';
import { errorMessage, FlyteError, TimeoutError } from '../model/errors.js';
import { silentLogger, withMeta, type Logger } from '../model/logger.js';
import { type Command, type FlyteEvent, FATAL, type HandlerContext } from '../model/definitions.js';
import type { HandlerRetry } from '../model/handler-retry.js';
import type { ActionResult } from '../model/outcomes.js';
import { fatalEventFor } from '../model/fatal-payload.js';
import { commandInput$, type HandlerAttemptEnd, startHandlerAttempt } from './handler-event.js';
import { queueEach } from './concurrency-queue.js';
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
  return new Observable<ActionResult>((subscriber) => {
    const run = new ActionRun(action, options, scheduler, subscriber);
    run.start();
    return () => run.unsubscribed();
  });
}

/**
 * The context a handler run is given. Its signal and its logger are made only when read, by
 * getters that are its own and enumerable (a handler may spread its context) and one function
 * each for every context, so that contexts keep one shape (a getter written in an object
 * literal is a new function each time, and gives each object a slow shape of its own).
 */
class RunContext implements HandlerContext {
  static readonly #lazy: PropertyDescriptorMap = {
    signal: {
      get(this: RunContext) {
        return this.#abort.signal;
      },
      enumerable: true,
      configurable: true,
    },
    logger: {
      get(this: RunContext) {
        return this.#logger();
      },
      enumerable: true,
      configurable: true,
    },
  };

  declare readonly signal: AbortSignal;
  declare readonly logger: Logger;
  // Own members only for a recovered action, as HandlerContext documents them.
  declare recovered?: boolean;
  declare strandedFor?: number;
  readonly #abort: LazyAbort;
  readonly #logger: () => Logger;

  constructor(
    readonly action: Action,
    readonly attempt: number,
    abort: LazyAbort,
    logger: () => Logger,
  ) {
    this.#abort = abort;
    this.#logger = logger;
    Object.defineProperties(this, RunContext.#lazy);
    if (action.recovered) {
      this.recovered = true;
      this.strandedFor = action.recovered.strandedFor;
    }
  }
}

/**
 * One action's runs of its handler, from the first to its result: the state that an operator
 * chain per action would spread over a dozen subscribers, held in one object (it runs for
 * every action). What it decides is decided elsewhere: retries by `retryDecision`, how a run
 * ended by `startHandlerAttempt`.
 */
class ActionRun {
  private readonly logger: Logger;
  private ended = false;
  private started: number | undefined;
  private attempts = 0;
  /** The input check, while the command's `input` schema checks the action's input. */
  private inputCheck: Subscription | undefined;
  /** The running handler's timeout, or the wait before the next run. */
  private timer: Subscription | undefined;
  private handler: Subscription | undefined;
  private abort: LazyAbort | undefined;
  private cancel: Subscription | undefined;
  private scoped: Logger | undefined;
  /** The action's command, once found, and the input its handler is given. */
  private command!: Command;
  private input: unknown;

  constructor(
    private readonly action: Action,
    private readonly options: RunActionOptions,
    private readonly scheduler: SchedulerLike,
    private readonly subscriber: Observer<ActionResult>,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  /** The logger given to the handler: its entries carry the action's id and command. */
  private get actionLogger(): Logger {
    const { id: actionId, command } = this.action;
    return (this.scoped ??= withMeta(this.logger, { actionId, command }));
  }

  start(): void {
    const { action, options } = this;
    try {
      if (action.problem) {
        return this.finish(fatalEventFor('invalid-action', action, { problem: action.problem }));
      }
      const command = options.commands.find((c) => c.name === action.command);
      if (!command) {
        const known = options.commands.map((c) => c.name);
        return this.finish(fatalEventFor('unknown-command', action, { known }));
      }
      this.command = command;
      this.started = this.scheduler.now();
      if (options.cancel$) {
        const cancel = options.cancel$.subscribe({
          next: () => this.cancelled(),
          error: (error: unknown) => this.crash(error),
        });
        if (this.ended) return cancel.unsubscribe(); // cancelled before it started
        this.cancel = cancel;
      }
      if (!command.input) return this.firstAttempt(action.input);
      const check = commandInput$(command, action).subscribe((input) =>
        input.ok ? this.firstAttempt(input.value) : this.finish(input.event),
      );
      if (!this.ended) this.inputCheck = check;
    } catch (error) {
      this.crash(error);
    }
  }

  private firstAttempt(input: unknown): void {
    this.input = input;
    this.attempt(1);
  }

  /** Run number `n` of the handler, bounded by the command's timeout. */
  private attempt(n: number): void {
    const { action, options, command, input } = this;
    this.attempts = n;
    const abort = new LazyAbort();
    this.abort = abort;
    const context = new RunContext(action, n, abort, () => this.actionLogger);
    let settled = false;
    const listener = {
      end: (end: HandlerAttemptEnd) => {
        settled = true;
        this.attemptEnded(end, n);
      },
      error: (error: unknown) => {
        settled = true;
        this.crash(error);
      },
    };
    const begin = () => startHandlerAttempt(command, action, input, context, listener);
    const handler = options.runHandler ? options.runHandler(action, begin) : begin();
    if (settled || this.ended) return; // answered at once: no timer armed
    this.handler = handler;
    const timeout = this.timeout;
    if (timeout > 0 && Number.isFinite(timeout)) {
      this.timer = this.scheduler.schedule(() => this.timedOut(n), timeout);
    }
  }

  /** The time a run may take: the command's, else the pack's. */
  private get timeout(): number {
    return this.command.timeout ?? this.options.handlerTimeout ?? PACK_DEFAULTS.handlers.timeout;
  }

  private attemptEnded(end: HandlerAttemptEnd, n: number): void {
    this.handler = undefined;
    this.timer?.unsubscribe();
    if (end.kind === 'event') return this.finish(end.event);
    this.failed({ reason: end.reason, error: end.error }, n);
  }

  private timedOut(n: number): void {
    const error = timeoutError(this.action, this.timeout);
    this.timer = undefined;
    this.stopHandler(error);
    this.failed({ reason: 'timeout', error }, n);
  }

  /** Run `n` failed: the retry decides whether another run comes, after its backoff. */
  private failed(failure: HandlerFailure, n: number): void {
    const { action, options, command } = this;
    const retry = command.retry ?? options.retry;
    const decision = retryDecision(retry, failure, n);
    if (!decision.retry) {
      return this.finish(fatalFor(action, failure, this.timeout, retry, n));
    }
    const notice = { attempt: n, of: retry?.attempts ?? 1, ...failure, delayMs: decision.delayMs };
    this.actionLogger.warn(
      `handler of command "${action.command}" failed (attempt ${n} of ${notice.of}, ${failure.reason}: ${errorMessage(failure.error)}); running it again in ${decision.delayMs} ms`,
    );
    options.onRetry?.(action, notice);
    if (this.ended) return;
    const next = () => {
      this.timer = undefined;
      try {
        this.attempt(n + 1);
      } catch (error) {
        this.crash(error);
      }
    };
    this.timer = this.scheduler.schedule(next, decision.delayMs);
  }

  /** `cancel$` emitted: the running handler is cancelled, and the result is FATAL `cancelled`. */
  private cancelled(): void {
    if (this.ended) return;
    const event = fatalEventFor('cancelled', this.action);
    this.stopHandler(new FlyteError((event.payload as { message: string }).message));
    this.finish(event);
  }

  /** The machinery failed (a hostile value, a throwing logger): FATAL `errored`. */
  private crash(error: unknown): void {
    if (this.ended) return;
    this.stopHandler(new FlyteError('the handler was unsubscribed'));
    this.finish(fatalEventFor('errored', this.action, { error }));
  }

  /** The subscriber left before the result: the handler is cancelled, nothing is emitted. */
  unsubscribed(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopHandler(new FlyteError('the handler was unsubscribed'));
    this.release();
  }

  /** Unsubscribes a running handler, then aborts its signal with `reason`. */
  private stopHandler(reason: Error): void {
    const handler = this.handler;
    if (!handler) return;
    this.handler = undefined;
    handler.unsubscribe();
    this.abort?.abort(reason);
  }

  private release(): void {
    this.inputCheck?.unsubscribe();
    this.timer?.unsubscribe();
    this.cancel?.unsubscribe();
  }

  private finish(event: FlyteEvent): void {
    if (this.ended) return;
    this.ended = true;
    this.release();
    const handlerMs = this.started === undefined ? 0 : this.scheduler.now() - this.started;
    let result: ActionResult;
    try {
      result = toResult(this.action, event, handlerMs, this.attempts, this.logger);
    } catch (error) {
      return this.subscriber.error(error);
    }
    this.subscriber.next(result);
    this.subscriber.complete();
  }
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
  const concurrency = options.concurrency ?? PACK_DEFAULTS.handlers.concurrency;
  // What mergeMap(runAction$, concurrency) does, with no observable and subscriber per action.
  return (actions$) =>
    new Observable<ActionResult>((subscriber) => {
      const running = new Set<ActionRun>();
      const source = queueEach(actions$, subscriber, {
        concurrency,
        start: (action, done) => {
          const run: ActionRun = new ActionRun(action, options, scheduler, {
            next: (result) => subscriber.next(result),
            error: (error: unknown) => subscriber.error(error),
            complete: () => {
              running.delete(run);
              done();
            },
          });
          running.add(run);
          run.start();
        },
      });
      return () => {
        source.unsubscribe();
        for (const run of running) run.unsubscribed();
        running.clear();
      };
    });
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
