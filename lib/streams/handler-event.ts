import { isObservable, map, mergeMap, Observable, of, Subscription } from 'rxjs';
import type { Action } from '../model/wire-types.js';
import {
  type Command,
  type FlyteEvent,
  FATAL,
  type HandlerContext,
  type HandlerResult,
} from '../model/definitions.js';
import { isEvent } from '../model/is-event.js';
import { isPromiseLike } from '../model/is-promise-like.js';
import { payloadProblem } from '../model/json-payload.js';
import { fatalEventFor } from '../model/fatal-payload.js';
import { schemaChecked$ } from './schema-check.js';

/**
 * How one run of a handler ended: with an event (checked: what the handler produced, or the
 * `FATAL` that replaced a value that is not an event, an undeclared event, an empty
 * observable or a payload its `output` schema refuses), or with an error (thrown, rejected,
 * or emitted by its observable or pipeline), which a retry may try again.
 *
 * @example
 * const end: HandlerAttemptEnd = { kind: 'failed', reason: 'rejected', error: new Error('503') };
 */
export type HandlerAttemptEnd =
  | {
      /** The handler produced an event (or one that the checks replaced with `FATAL`). */
      readonly kind: 'event';
      /** The event to post. */
      readonly event: FlyteEvent;
    }
  | {
      /** The handler failed with an error. */
      readonly kind: 'failed';
      /** Which way: thrown, a promise rejected, an observable errored. */
      readonly reason: 'threw' | 'rejected' | 'errored';
      /** What was thrown, rejected or emitted. */
      readonly error: unknown;
    };

/**
 * The input a command's handler gets for an action: the action's input as the server sent it,
 * or, when the command has an `input` schema, the value the schema parsed — or the `FATAL`
 * event (reason `invalid-input`, with the issues) when the input does not match. Lazy; emits
 * once and completes; never errors.
 *
 * @param command - the command whose handler will run.
 * @param action - the action.
 * @returns `{ ok: true, value }`, or `{ ok: false, event }` with the FATAL event.
 * @example
 * commandInput$(rota, action).subscribe((i) => (i.ok ? run(i.value) : post(i.event)));
 */
export function commandInput$(
  command: Command,
  action: Action,
): Observable<
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly event: FlyteEvent }
> {
  if (!command.input) return of({ ok: true, value: action.input } as const);
  return schemaChecked$(command.input, action.input).pipe(
    map((checked) =>
      checked.ok
        ? checked
        : ({
            ok: false,
            event: fatalEventFor('invalid-input', action, { issues: checked.issues }),
          } as const),
    ),
  );
}

/**
 * Who hears how one run of a handler ended (see {@link startHandlerAttempt}).
 *
 * @example
 * const listener: HandlerAttemptListener = { end: (e) => console.log(e.kind), error: (e) => console.error(e) };
 */
export interface HandlerAttemptListener {
  /** How the run ended: told once. */
  end(end: HandlerAttemptEnd): void;
  /**
   * What the handler returned could not even be looked at (a getter or a Proxy that throws
   * when asked whether it is an event, a promise or an observable): told instead of `end`.
   */
  error(error: unknown): void;
}

/**
 * Runs a command's handler (a function, an object with `handle`, or a `pipeline`) once for
 * one action, with `input`, now, and tells `listener` how it ended, exactly once: at once when
 * the handler answers synchronously, else when its promise settles or its observable emits,
 * errors or completes. Only the first event of an observable (or pipeline) is used; the rest
 * is unsubscribed. This is the one run of a handler that {@link handlerAttempt$} and
 * `runAction$` drive; imperative, because it runs for every action.
 *
 * @param command - the command whose handler runs.
 * @param action - the action being handled.
 * @param input - the input to hand the handler (see {@link commandInput$}).
 * @param context - the action, an abort signal and the logger, given to the handler.
 * @param listener - told how the run ended.
 * @returns the run: unsubscribing it before it ends unsubscribes the handler's observable
 *   (or output check) and silences `listener`; it is closed once the run has ended.
 * @example
 * const run = startHandlerAttempt(rota, action, action.input, context, { end: console.log, error: console.error });
 * run.unsubscribe(); // gives up on it (a timeout, say)
 */
export function startHandlerAttempt(
  command: Command,
  action: Action,
  input: unknown,
  context: HandlerContext,
  listener: HandlerAttemptListener,
): Subscription {
  const run = new Subscription();
  const end = (how: HandlerAttemptEnd): void => {
    if (run.closed) return;
    run.unsubscribe();
    listener.end(how);
  };
  const crash = (error: unknown): void => {
    if (run.closed) return;
    run.unsubscribe();
    listener.error(error);
  };
  /** The handler's first value: checked, then the end. */
  const value = (got: unknown): void => {
    if (run.closed) return;
    try {
      const checked = checkedEvent(got, command, action);
      if (!(checked instanceof Observable)) return end({ kind: 'event', event: checked });
      run.add(checked.subscribe({ next: (event) => end({ kind: 'event', event }), error: crash }));
    } catch (error) {
      crash(error);
    }
  };
  let result: HandlerResult | Observable<FlyteEvent>;
  try {
    result = invoke(command, input, context);
  } catch (error) {
    end({ kind: 'failed', reason: 'threw', error });
    return run;
  }
  try {
    if (isObservable(result)) {
      // Closed at the first value: a synchronous one ends the source as soon as it is added,
      // and what a synchronous source does after it is not heard.
      const source = new Subscription();
      run.add(source);
      source.add(
        result.subscribe({
          next: (first) => {
            if (source.closed) return;
            source.unsubscribe();
            value(first);
          },
          error: (error: unknown) => {
            if (!source.closed) end({ kind: 'failed', reason: 'errored', error });
          },
          complete: () => {
            if (!source.closed) end({ kind: 'event', event: fatalEventFor('empty', action) });
          },
        }),
      );
    } else if (isPromiseLike(result)) {
      result.then(value, (error: unknown) => end({ kind: 'failed', reason: 'rejected', error }));
    } else {
      value(result);
    }
  } catch (error) {
    crash(error);
  }
  return run;
}

/**
 * {@link startHandlerAttempt} as an observable: runs the handler lazily on subscription,
 * emits how it ended, exactly once, then completes; errors only when what the handler
 * returned could not be looked at.
 *
 * @param command - the command whose handler runs.
 * @param action - the action being handled.
 * @param input - the input to hand the handler (see {@link commandInput$}).
 * @param context - the action, an abort signal and the logger, given to the handler.
 * @returns one {@link HandlerAttemptEnd}.
 * @example
 * handlerAttempt$(rota, action, action.input, context).subscribe((end) => console.log(end.kind));
 */
export function handlerAttempt$(
  command: Command,
  action: Action,
  input: unknown,
  context: HandlerContext,
): Observable<HandlerAttemptEnd> {
  return new Observable<HandlerAttemptEnd>((subscriber) =>
    startHandlerAttempt(command, action, input, context, {
      end: (how) => {
        subscriber.next(how);
        subscriber.complete();
      },
      error: (error) => subscriber.error(error),
    }),
  );
}

/**
 * Runs a command's handler for one action, lazily on subscription, and emits exactly one
 * event then completes. It never errors: an input its `input` schema refuses, a throw, a
 * rejection, an error, an empty observable, a value that is not an event, an event the command
 * does not declare in `outputEvents` or a payload its `output` schema refuses becomes a `FATAL`
 * event whose payload says which and why ({@link fatalEventFor}). The handler runs once: the
 * retries of a command's `retry` are {@link runAction$}'s.
 *
 * @param command - the command whose handler runs.
 * @param action - the action being handled.
 * @param context - the action, an abort signal and the logger, given to the handler.
 * @returns one event: the handler's, or FATAL.
 * @example
 * handlerEvent$(rota, action, { action, signal: controller.signal, logger }).subscribe((e) => post(e));
 */
export function handlerEvent$(
  command: Command,
  action: Action,
  context: HandlerContext,
): Observable<FlyteEvent> {
  return commandInput$(command, action).pipe(
    mergeMap((input) =>
      input.ok
        ? handlerAttempt$(command, action, input.value, context).pipe(
            map((end) =>
              end.kind === 'event'
                ? end.event
                : fatalEventFor(end.reason, action, { error: end.error }),
            ),
          )
        : of(input.event),
    ),
  );
}

function invoke(
  command: Command,
  input: unknown,
  context: HandlerContext,
): HandlerResult | Observable<FlyteEvent> {
  if (command.pipeline) return of(input).pipe(command.pipeline);
  const handler = command.handler;
  if (typeof handler === 'function') return handler(input, context);
  if (handler && typeof handler.handle === 'function') return handler.handle(input, context);
  throw new TypeError(`command "${command.name}" has neither a handler nor a pipeline`);
}

/**
 * The event to post for a handler's value: the value itself, the FATAL that replaces it, or,
 * when the command has an `output` schema, the check still to come.
 */
function checkedEvent(
  value: unknown,
  command: Command,
  action: Action,
): FlyteEvent | Observable<FlyteEvent> {
  if (!isEvent(value)) return fatalEventFor('invalid-event', action, { got: value });
  const problem = payloadProblem(value.payload);
  if (problem) return fatalEventFor('invalid-event', action, { got: value, problem });
  // Flows wait for the events a command declared at registration: any other name is a typo
  // that would silently break them, so the action fails, saying so.
  const name = value.eventDef.name;
  if (name === FATAL) return value;
  if (!command.outputEvents.some((d) => d.name === name)) {
    const declared = command.outputEvents.map((d) => d.name);
    return fatalEventFor('undeclared-event', action, { got: value, declared });
  }
  if (!command.output) return value;
  return schemaChecked$(command.output, value.payload).pipe(
    map((checked) =>
      checked.ok
        ? { ...value, payload: checked.value }
        : fatalEventFor('invalid-output', action, { got: value, issues: checked.issues }),
    ),
  );
}
