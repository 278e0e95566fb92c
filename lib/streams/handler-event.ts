import {
  catchError,
  defaultIfEmpty,
  defer,
  from,
  isObservable,
  map,
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

/**
 * Runs a command's handler (a function, an object with `handle`, or a `pipeline`) for one
 * action, lazily on subscription, and emits exactly one event then completes. It never
 * errors: a throw, a rejection, an error, an empty observable, a value that is not an event or
 * an event the command does not declare in `outputEvents` becomes a `FATAL` event whose payload says which and why ({@link fatalEventFor}). Only the
 * first event of an observable (or pipeline) is used; the rest is unsubscribed.
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
  return defer(() => {
    let result: HandlerResult | Observable<FlyteEvent>;
    try {
      result = invoke(command, action, context);
    } catch (error) {
      return of(fatalEventFor('threw', action, { error }));
    }
    if (isObservable(result)) {
      return result.pipe(
        take(1),
        map((value) => checked(value, command, action)),
        defaultIfEmpty(fatalEventFor('empty', action)),
        catchError((error: unknown) => of(fatalEventFor('errored', action, { error }))),
      );
    }
    if (isPromiseLike(result)) {
      return from(result).pipe(
        map((value) => checked(value, command, action)),
        catchError((error: unknown) => of(fatalEventFor('rejected', action, { error }))),
      );
    }
    return of(checked(result, command, action));
  });
}

function invoke(
  command: Command,
  action: Action,
  context: HandlerContext,
): HandlerResult | Observable<FlyteEvent> {
  if (command.pipeline) return of(action.input).pipe(command.pipeline);
  const handler = command.handler;
  if (typeof handler === 'function') return handler(action.input, context);
  if (handler && typeof handler.handle === 'function') return handler.handle(action.input, context);
  throw new TypeError(`command "${command.name}" has neither a handler nor a pipeline`);
}

function checked(value: unknown, command: Command, action: Action): FlyteEvent {
  if (!isEvent(value)) return fatalEventFor('invalid-event', action, { got: value });
  const problem = payloadProblem(value.payload);
  if (problem) return fatalEventFor('invalid-event', action, { got: value, problem });
  // Flows wait for the events a command declared at registration: any other name is a typo
  // that would silently break them, so the action fails, saying so.
  const declared = command.outputEvents.map((d) => d.name);
  const name = value.eventDef.name;
  if (name === FATAL || declared.includes(name)) return value;
  return fatalEventFor('undeclared-event', action, { got: value, declared });
}
