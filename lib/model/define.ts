import type { Observable, OperatorFunction } from 'rxjs';
import type { EventDef, FatalEvent, FlyteEvent, HandlerContext, PackDef } from './definitions.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { HandlerRetry } from './handler-retry.js';
import type { CheckedHandler } from './handler-check.js';

/**
 * The event of a definition: the definition itself and a payload of its type. Distributes
 * over a union of definitions, so `EventOf<typeof a | typeof b>` is "an `a` event or a `b`
 * event", each with its own payload.
 *
 * @typeParam D - an event definition (or a union of them).
 * @example
 * const e: EventOf<typeof rotaRetrieved> = { eventDef: rotaRetrieved, payload: { onCall: 'Ann' } };
 */
export type EventOf<D> = D extends EventDef<infer P, string> ? DefinedEvent<P, D> : never;

/**
 * An event of a known definition `D` (see {@link EventOf}): a {@link FlyteEvent} whose
 * `eventDef` keeps its name's literal type.
 *
 * @typeParam P - the payload type.
 * @typeParam D - the definition.
 * @example
 * const e: DefinedEvent<string, typeof rotaRetrieved> = { eventDef: rotaRetrieved, payload: 'Ann' };
 */
export interface DefinedEvent<P, D> {
  /** The definition, with its name's literal type. */
  readonly eventDef: D;
  /** The event's payload: any value that can be sent as JSON. */
  readonly payload: P;
  /** When it happened; defaults to the time it was handed to the SDK. */
  readonly createdAt?: Date;
}

/**
 * What the handler of a typed command may produce: an event of one of the command's
 * `outputEvents`, each with its payload type, or a `FATAL` event.
 *
 * @typeParam Defs - the command's output event definitions.
 * @example
 * const answer: OutputEvent<[typeof rotaRetrieved]> = { eventDef: rotaRetrieved, payload: { onCall: 'Ann' } };
 */
export type OutputEvent<Defs extends readonly EventDef<unknown, string>[]> =
  EventOf<Defs[number]> | FatalEvent;

/**
 * The handler of a typed command: a function, or an object with `handle`, that returns one of
 * the command's output events (or FATAL), its promise, or an observable of them.
 *
 * @typeParam I - the action's input.
 * @typeParam E - the events the handler may produce ({@link OutputEvent}).
 * @example
 * const handler: TypedHandler<{ team: string }, OutputEvent<[typeof rotaRetrieved]>> =
 *   ({ team }) => ({ eventDef: rotaRetrieved, payload: { onCall: team } });
 */
export type TypedHandler<I, E> =
  | ((input: I, context: HandlerContext<I>) => E | PromiseLike<E> | Observable<E>)
  | {
      /** Handles one action's input. */
      handle(input: I, context: HandlerContext<I>): E | PromiseLike<E> | Observable<E>;
    };

/**
 * A command whose output events and input type the compiler knows; made by {@link defineCommand}.
 * It is a {@link Command}: it goes wherever one goes.
 *
 * @typeParam N - the command's name.
 * @typeParam I - the action's input, as the handler declares it.
 * @typeParam Defs - the output event definitions.
 * @example
 * const rota: TypedCommand<'Rota', { team: string }, readonly [typeof rotaRetrieved]> = defineCommand({ ... });
 */
export interface TypedCommand<
  N extends string = string,
  I = unknown,
  Defs extends readonly EventDef<unknown, string>[] = readonly EventDef<unknown, string>[],
> {
  /** The command's name, as flows call it. */
  readonly name: N;
  /** The events the command may produce (at least one); the handler may return only these, or FATAL. */
  readonly outputEvents: Defs;
  /** Absolute http(s) URL documenting the command; registered as a `help` link. */
  readonly helpUrl?: string;
  /** The handler; give it or `pipeline`. */
  readonly handler?: TypedHandler<I, OutputEvent<Defs>>;
  /** The command's logic as an RxJS pipeline; give it or `handler`. */
  readonly pipeline?: OperatorFunction<I, OutputEvent<Defs>>;
  /** Time the handler may take, in ms; overrides the pack's `handlerTimeout`. */
  readonly timeout?: number;
  /** The schema of the action's input; the handler gets the value it parses. */
  readonly input?: StandardSchemaV1<unknown, I>;
  /** The schema the payload of the handler's event must match. */
  readonly output?: StandardSchemaV1;
  /** Runs of a failing handler before the action completes FATAL; see {@link HandlerRetry}. */
  readonly retry?: HandlerRetry;
}

/**
 * A pack definition whose spontaneous events the compiler knows; made by {@link definePack}.
 * It is a {@link PackDef}, and a `Pack` made from it accepts in `sendEvent` only these events,
 * each with its payload type.
 *
 * @typeParam Defs - the spontaneous event definitions.
 * @example
 * const def: TypedPackDef<readonly [typeof someoneSeen]> = definePack({ name: 'rota-pack', commands: [rota], events: [someoneSeen] });
 */
export interface TypedPackDef<
  Defs extends readonly EventDef<unknown, string>[] = readonly EventDef<unknown, string>[],
  N extends string = string,
> extends PackDef {
  /** The pack's name, as a literal type when known (the compiler's messages name it). */
  readonly name: N;
  /** The spontaneous events the pack declares. */
  readonly events: Defs;
}

/**
 * The events a pack made from `D` may send with `sendEvent`: one of its declared events with
 * its payload type when the names of its events are known (definitions made by
 * {@link defineEvent}), any event with a consistent payload type otherwise.
 *
 * @typeParam D - the pack definition.
 * @typeParam P - the payload type inferred from the call, for untyped definitions.
 * @example
 * type Sendable = SpontaneousEvent<typeof def>; // EventOf<typeof someoneSeen>
 */
export type SpontaneousEvent<D extends PackDef, P = unknown> =
  NonNullable<D['events']> extends readonly (infer Def)[]
    ? string extends NameOf<Def>
      ? FlyteEvent<P>
      : EventOf<Def>
    : never;

/**
 * The name of an event definition, as a literal type when known.
 *
 * @example
 * type N = NameOf<typeof rotaRetrieved>; // 'RotaRetrieved'
 */
export type NameOf<Def> = Def extends EventDef<unknown, infer N> ? N : never;

/**
 * An event definition whose name the compiler knows, with {@link EventDefinition.withPayload}
 * to give its payload type.
 *
 * @typeParam N - the event's name.
 * @example
 * const done: EventDefinition<'Done'> = defineEvent('Done');
 */
export interface EventDefinition<N extends string> extends EventDef<unknown, N> {
  /**
   * The same definition with a payload type (the value is a plain `{ name, helpUrl }`).
   *
   * @typeParam P - the type of the event's payload.
   * @returns the definition, typed.
   * @example
   * const rotaRetrieved = defineEvent('RotaRetrieved').withPayload<{ onCall: string }>();
   */
  withPayload<P>(): EventDef<P, N>;
}

/**
 * Defines an event whose name the compiler knows, so that a typed command or pack can tell it
 * from every other event. Give its payload type with `.withPayload<P>()`.
 *
 * @param name - the event's name, as flows see it.
 * @param options - `helpUrl`: an absolute http(s) URL documenting the event.
 * @returns a frozen `{ name, helpUrl }`, typed with its name (and payload type).
 * @example
 * const rotaRetrieved = defineEvent('RotaRetrieved').withPayload<{ onCall: string }>();
 * const someoneSeen = defineEvent('SomeoneSeen', { helpUrl: 'https://example.org/seen' }).withPayload<{ who: string }>();
 */
export function defineEvent<const N extends string>(
  name: N,
  options: { readonly helpUrl?: string } = {},
): EventDefinition<N> {
  const def: EventDef<unknown, N> = Object.freeze({
    name,
    ...(options.helpUrl === undefined ? {} : { helpUrl: options.helpUrl }),
  });
  // Not enumerable, and the plain definition returned: registration, JSON and deep equality
  // see `{ name, helpUrl }` only.
  const typed = Object.defineProperty({ ...def }, 'withPayload', {
    value: <P>() => def as EventDef<P, N>,
    enumerable: false,
  });
  return Object.freeze(typed) as EventDefinition<N>;
}

/**
 * Defines a command so that the compiler checks its handler: it may return only one of
 * `outputEvents` (each with its payload type) or a `FATAL` event — anything else is a compile
 * error whose first line names the mistake (`event 'X' is not among the outputEvents of
 * command 'Y'`, or the payload type the event expects). The handler's input is typed by the
 * command's `input` schema (any Standard Schema v1: zod, valibot, arktype, ...), which the pack
 * also checks at run time, handing the handler the parsed value (defaults applied) and
 * answering an input that does not match `FATAL` (reason `invalid-input`, with the issues and
 * their paths); without a schema, by the type its parameter declares, unchecked. At run time
 * the pack checks the events of every command, typed or not: an undeclared event completes
 * the action `FATAL` with reason `undeclared-event`.
 *
 * @param command - the command: `name`, `outputEvents` (made by {@link defineEvent}), an
 *   optional `input` schema, and a `handler` or a `pipeline`.
 * @returns the same command, typed.
 * @example
 * const rota = defineCommand({
 *   name: 'Rota',
 *   input: z.object({ team: z.string(), count: z.number().default(1) }),
 *   outputEvents: [rotaRetrieved, rotaFailed],
 *   handler: ({ team, count }) => ({ eventDef: rotaRetrieved, payload: { onCall: `${team} (${count})` } }),
 * });
 */
export function defineCommand<
  const N extends string,
  I = unknown,
  const Defs extends readonly EventDef<unknown, string>[] = readonly EventDef<unknown, string>[],
  R = unknown,
>(command: {
  /** The command's name, as flows call it. */
  readonly name: N;
  /** The events the command may produce (at least one); the handler may return only these, or FATAL. */
  readonly outputEvents: Defs;
  /** The schema of the action's input: the handler gets the value it parses. */
  readonly input?: StandardSchemaV1<unknown, I>;
  /** Absolute http(s) URL documenting the command; registered as a `help` link. */
  readonly helpUrl?: string;
  /** The handler: a function, or an object with `handle`; give it or `pipeline`. */
  readonly handler?: CheckedHandler<I, R, Defs, N>;
  /** The command's logic as an RxJS pipeline; give it or `handler`. */
  readonly pipeline?: OperatorFunction<I, NoInfer<OutputEvent<Defs>>>;
  /** Time the handler may take, in ms; overrides the pack's `handlerTimeout`. */
  readonly timeout?: number;
  /** The schema the payload of the handler's event must match. */
  readonly output?: StandardSchemaV1;
  /** Runs of a failing handler before the action completes FATAL; see {@link HandlerRetry}. */
  readonly retry?: HandlerRetry;
}): TypedCommand<N, I, Defs> {
  return command as TypedCommand<N, I, Defs>;
}

/**
 * Defines a pack so that the compiler knows its spontaneous events: a `Pack` made from it
 * accepts in `sendEvent` only those events, each with its payload type. At run time every
 * pack, typed or not, rejects an undeclared event with an `UndeclaredEventError`.
 *
 * @param def - the pack definition; `events` made by {@link defineEvent}, commands by
 *   {@link defineCommand} (or plain).
 * @returns the same definition, typed (`events` defaults to none).
 * @example
 * const def = definePack({ name: 'rota-pack', commands: [rota], events: [someoneSeen] });
 * const pack = new Pack(def, { url });
 * await pack.sendEvent({ eventDef: someoneSeen, payload: { who: 'Ann' } });
 */
export function definePack<
  const Defs extends readonly EventDef<unknown, string>[] = readonly [],
  const N extends string = string,
>(def: PackDef & { readonly name: N; readonly events?: Defs }): TypedPackDef<Defs, N> {
  return { ...def, events: def.events ?? ([] as unknown as Defs) };
}
