import {
  catchError,
  defaultIfEmpty,
  defer,
  from,
  isObservable,
  map,
  mergeMap,
  type Observable,
  of,
  take,
} from 'rxjs';
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
 * Runs a command's handler (a function, an object with `handle`, or a `pipeline`) once for
 * one action, with `input`, lazily on subscription; emits how it ended, exactly once, then
 * completes; never errors. Only the first event of an observable (or pipeline) is used; the
 * rest is unsubscribed.
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
  return defer(() => {
    const failed = (reason: 'threw' | 'rejected' | 'errored') => (error: unknown) =>
      of<HandlerAttemptEnd>({ kind: 'failed', reason, error });
    let result: HandlerResult | Observable<FlyteEvent>;
    try {
      result = invoke(command, input, context);
    } catch (error) {
      return failed('threw')(error);
    }
    const first = (value: unknown): Step => ({ kind: 'value', value });
    const step$: Observable<Step> = isObservable(result)
      ? result.pipe(
          take(1),
          map(first),
          defaultIfEmpty<Step, Step>({ kind: 'event', event: fatalEventFor('empty', action) }),
          catchError(failed('errored')),
        )
      : isPromiseLike(result)
        ? from(result).pipe(map(first), catchError(failed('rejected')))
        : of(first(result));
    return step$.pipe(
      mergeMap((step) =>
        step.kind === 'value'
          ? checked$(step.value, command, action).pipe(
              map((event): HandlerAttemptEnd => ({ kind: 'event', event })),
            )
          : of(step),
      ),
    );
  });
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

/** A handler's first value, still to be checked, or how its run ended without one. */
type Step = { readonly kind: 'value'; readonly value: unknown } | HandlerAttemptEnd;

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

function checked$(value: unknown, command: Command, action: Action): Observable<FlyteEvent> {
  if (!isEvent(value)) return of(fatalEventFor('invalid-event', action, { got: value }));
  const problem = payloadProblem(value.payload);
  if (problem) return of(fatalEventFor('invalid-event', action, { got: value, problem }));
  // Flows wait for the events a command declared at registration: any other name is a typo
  // that would silently break them, so the action fails, saying so.
  const declared = command.outputEvents.map((d) => d.name);
  const name = value.eventDef.name;
  if (name === FATAL) return of(value);
  if (!declared.includes(name)) {
    return of(fatalEventFor('undeclared-event', action, { got: value, declared }));
  }
  if (!command.output) return of(value);
  return schemaChecked$(command.output, value.payload).pipe(
    map((checked) =>
      checked.ok
        ? { ...value, payload: checked.value }
        : fatalEventFor('invalid-output', action, { got: value, issues: checked.issues }),
    ),
  );
}
