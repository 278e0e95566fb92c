// Compile-time checks of what a typed command's handler returns, written so that the FIRST
// line of the compiler's message says what is wrong: a handler whose result does not fit is
// compared with a type that names the mistake, not with the union of every allowed event.
import type { Observable } from 'rxjs';
import type { EventDef, HandlerContext } from './definitions.js';
import type { EventOf, NameOf, OutputEvent, TypedHandler } from './define.js';

/**
 * The type a typed command's handler is compared with when it returns an event its command
 * does not declare: the compiler's message reads
 * `... is not assignable to type "event 'X' is not among the outputEvents of command 'Y'"`.
 *
 * @typeParam Name - the event returned.
 * @typeParam Command - the command's name.
 * @example
 * type M = UndeclaredOutputEvent<'RotaFailed', 'Rota'>; // "event 'RotaFailed' is not among the outputEvents of command 'Rota'"
 */
export type UndeclaredOutputEvent<
  Name extends string,
  Command extends string,
> = `event '${Name}' is not among the outputEvents of command '${Command}'`;

/**
 * The type a typed command's handler is compared with when it returns a declared event with a
 * payload of another type: the compiler's message names the event and the payload type
 * expected, and its next lines say which field differs.
 *
 * @typeParam Name - the event returned.
 * @typeParam P - its declared payload type.
 * @typeParam R - how the handler answers: the event, a promise or an observable of it.
 * @example
 * const handler: HandlerWithPayloadOf<'RotaRetrieved', { onCall: string }, EventOf<typeof rotaRetrieved>> = () => ({ eventDef: rotaRetrieved, payload: { onCall: 'Ann' } });
 */
export interface HandlerWithPayloadOf<Name extends string, P, R> {
  /** The handler, with the event's declared payload type. */
  (input: never, context: HandlerContext<never>): R;
  /** Phantom: the event and its payload type, as the compiler prints them. */
  readonly __event?: [Name, P];
}

/** The definition named `Name` among `Defs`. */
type DefNamed<Defs extends readonly EventDef<unknown, string>[], Name extends string> = Extract<
  Defs[number],
  EventDef<unknown, Name>
>;

/** `answer` (a handler's result `R`) when its event `E` fits, else the type naming the mistake. */
type CheckedAnswer<
  R,
  E,
  Defs extends readonly EventDef<unknown, string>[],
  Command extends string,
  Wrap,
> = E extends { readonly eventDef: { readonly name: infer Name extends string } }
  ? Name extends 'FATAL'
    ? R
    : Name extends NameOf<Defs[number]>
      ? E extends EventOf<DefNamed<Defs, Name>>
        ? R
        : HandlerWithPayloadOf<
            Name,
            DefNamed<Defs, Name> extends EventDef<infer P, string> ? P : never,
            Wrap extends 'promise'
              ? PromiseLike<EventOf<DefNamed<Defs, Name>>>
              : Wrap extends 'observable'
                ? Observable<EventOf<DefNamed<Defs, Name>>>
                : EventOf<DefNamed<Defs, Name>>
          >
      : UndeclaredOutputEvent<Name, Command>
  : 'a handler must return an event ({ eventDef, payload }), a promise or an observable of one';

/** What a handler's result `R` is checked as: itself when it fits. */
type CheckedResult<R, Defs extends readonly EventDef<unknown, string>[], Command extends string> =
  R extends Observable<infer E>
    ? CheckedAnswer<R, E, Defs, Command, 'observable'>
    : R extends PromiseLike<infer E>
      ? CheckedAnswer<R, E, Defs, Command, 'promise'>
      : CheckedAnswer<R, R, Defs, Command, 'plain'>;

/**
 * The type of a typed command's handler function that returns `R` (an object with `handle`,
 * from which nothing is inferred, is checked as a {@link TypedHandler}): the handler itself when
 * every event it may return is declared with its payload type (or is `FATAL`), else a type
 * that names the mistake ({@link UndeclaredOutputEvent}, {@link HandlerWithPayloadOf}), so the
 * compiler's first line says it.
 *
 * @typeParam I - the handler's input.
 * @typeParam R - what the handler returns, as inferred.
 * @typeParam Defs - the command's output event definitions.
 * @typeParam Command - the command's name.
 * @example
 * type H = CheckedHandler<unknown, EventOf<typeof rotaRetrieved>, readonly [typeof rotaRetrieved], 'Rota'>;
 */
export type CheckedHandler<
  I,
  R,
  Defs extends readonly EventDef<unknown, string>[],
  Command extends string,
> = unknown extends R
  ? TypedHandler<I, OutputEvent<Defs>> // an object with handle(): nothing was inferred
  : CheckedResult<R, Defs, Command> extends infer C
    ? [C] extends [R]
      ? (input: I, context: HandlerContext<I>) => R
      : C
    : never;
