import type { Observable, OperatorFunction } from 'rxjs';
import type { Action } from './wire-types.js';
import type { Logger } from './logger.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { HandlerRetry } from './handler-retry.js';

/**
 * The definition of an event a pack can emit, as a command's output or spontaneously.
 * {@link defineEvent} makes one whose name the compiler knows too.
 *
 * @typeParam P - the type of the event's payload.
 * @typeParam N - the event's name, as a literal type when known (`defineEvent` keeps it).
 * @example
 * const rotaRetrieved: EventDef<{ onCall: string }> = { name: 'RotaRetrieved' };
 */
export interface EventDef<P = unknown, N extends string = string> {
  /** The event's name, as flows see it (`FATAL` is reserved for failures). */
  readonly name: N;
  /** Absolute http(s) URL documenting the event; registered as a `help` link. */
  readonly helpUrl?: string;
  /** Phantom field carrying the payload type; never set. */
  readonly __payload?: P;
}

/**
 * An event: a definition and its payload. (Named `FlyteEvent`, not `Event`, so that it does
 * not shadow the DOM's `Event` in browser code.)
 *
 * @example
 * const e: FlyteEvent<{ onCall: string }> = { eventDef: rotaRetrieved, payload: { onCall: 'Ann' } };
 */
export interface FlyteEvent<P = unknown> {
  /** The definition of the event. */
  readonly eventDef: EventDef<P>;
  /** The event's payload: any value that can be sent as JSON. */
  readonly payload: P;
  /** When it happened; defaults to the time it was handed to the SDK. */
  readonly createdAt?: Date;
}

/**
 * A `FATAL` event: its definition's name is the literal `'FATAL'`, so a typed command
 * ({@link defineCommand}) may always return one.
 *
 * @example
 * const failed: FatalEvent<string> = fatalEvent('bad input');
 */
export interface FatalEvent<P = unknown> extends FlyteEvent<P> {
  /** The definition of the `FATAL` event. */
  readonly eventDef: EventDef<P, typeof FATAL>;
}

/**
 * What a handler may return: an event, a promise of one, or an observable whose first value is used.
 *
 * @example
 * const result: HandlerResult<string> = Promise.resolve({ eventDef: rotaRetrieved, payload: 'Ann' });
 */
export type HandlerResult<P = unknown> =
  FlyteEvent<P> | PromiseLike<FlyteEvent<P>> | Observable<FlyteEvent<P>>;

/**
 * What a handler is given besides the input.
 *
 * @example
 * const handler: HandlerFn = async (input, { signal }) => fetch(url, { signal }).then(toEvent);
 */
export interface HandlerContext<I = unknown> {
  /** The action being handled. */
  readonly action: Action<I>;
  /** Fires when the handler is cancelled (timeout or stop); pass it to your own I/O. */
  readonly signal: AbortSignal;
  /** The pack's logger. */
  readonly logger: Logger;
  /**
   * True when the pack did not take this action but recovered it, stranded `PENDING` (see
   * `docs/recovery.md`): another client may have run it already, so a handler with side
   * effects can check before acting again.
   */
  readonly recovered?: boolean;
  /** For a recovered action: how long it had been PENDING when it was found, in ms. */
  readonly strandedFor?: number;
  /**
   * Which run of the handler this is for the action: 1, then 2, ... when its command's (or the
   * pack's) `retry` runs it again. Always set by the pack.
   */
  readonly attempt?: number;
}

/**
 * A handler as a plain function.
 *
 * @example
 * const rota: HandlerFn<unknown, { onCall: string }> = () => ({ eventDef: rotaRetrieved, payload: { onCall: 'Ann' } });
 */
export type HandlerFn<I = unknown, P = unknown> = (
  input: I,
  context: HandlerContext<I>,
) => HandlerResult<P>;

/**
 * A handler as an object (or class instance) with a `handle` method.
 *
 * @example
 * class RotaHandler implements HandlerObject { handle(input: unknown) { return { eventDef: rotaRetrieved, payload: {} }; } }
 */
export interface HandlerObject<I = unknown, P = unknown> {
  /** Handles one action's input; see {@link HandlerFn}. */
  handle(input: I, context: HandlerContext<I>): HandlerResult<P>;
}

/**
 * A handler: a function or an object with `handle`.
 *
 * @example
 * const handler: Handler = { handle: () => ({ eventDef: rotaRetrieved, payload: 'Ann' }) };
 */
export type Handler<I = unknown, P = unknown> = HandlerFn<I, P> | HandlerObject<I, P>;

/**
 * A command's logic as an RxJS pipeline: an operator applied, for each action, to an
 * observable of that one action's input. Its first event is the action's result.
 *
 * @example
 * const pipeline: CommandPipeline<{ id: string }, Ticket> = pipe(
 *   switchMap((input) => lookup(input.id)),
 *   map((ticket) => ({ eventDef: found, payload: ticket })),
 * );
 */
export type CommandPipeline<I = unknown, P = unknown> = OperatorFunction<I, FlyteEvent<P>>;

/**
 * A command the pack can execute. Give exactly one of `handler` and `pipeline`.
 *
 * @example
 * const rota: Command = { name: 'Rota', outputEvents: [rotaRetrieved, error], handler: () => ({ eventDef: rotaRetrieved, payload: {} }) };
 */
export interface Command<I = unknown, P = unknown> {
  /** The command's name, as flows call it. */
  readonly name: string;
  /** The events the command may produce (at least one). */
  readonly outputEvents: readonly EventDef<P>[];
  /** Absolute http(s) URL documenting the command; registered as a `help` link. */
  readonly helpUrl?: string;
  /** The handler, a function or an object with `handle`; give it or `pipeline`. */
  readonly handler?: Handler<I, P>;
  /** The command's logic as an RxJS pipeline; give it or `handler`. */
  readonly pipeline?: CommandPipeline<I, P>;
  /** Time the handler may take, in ms; overrides the pack's `handlerTimeout`. */
  readonly timeout?: number;
  /**
   * A schema (any Standard Schema v1: zod, valibot, arktype, ...) the action's input must
   * match: the handler gets the value it parses (defaults applied); an input that does not
   * match completes the action `FATAL` with reason `invalid-input`, and the handler never runs.
   * @default none: the handler gets the input as the server sent it, unchecked
   */
  readonly input?: StandardSchemaV1<unknown, I>;
  /**
   * A schema the payload of the handler's event must match (a `FATAL` event is not checked):
   * the event is sent with the payload it parses; a payload that does not match completes
   * the action `FATAL` with reason `invalid-output`.
   * @default none: the payload is sent as the handler made it
   */
  readonly output?: StandardSchemaV1;
  /**
   * Runs of a handler that throws, rejects or errors, before the action completes `FATAL`;
   * see {@link HandlerRetry}.
   * @default the pack definition's `retry`, else none: the first failure is final
   */
  readonly retry?: HandlerRetry;
}

/**
 * A pack definition.
 *
 * @example
 * const def: PackDef = { name: 'rota-pack', commands: [rota], events: [someoneSeen], helpUrl: 'https://github.com/org/rota-pack' };
 */
export interface PackDef {
  /** The pack's name. */
  readonly name: string;
  /** Labels that, with the name, identify the pack; flows select packs by them. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Absolute http(s) URL documenting the pack; registered as a `help` link. */
  readonly helpUrl?: string;
  /** The commands the pack can execute. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly commands?: readonly Command<any, any>[];
  /** Spontaneous event definitions (events not tied to a command). */
  readonly events?: readonly EventDef[];
  /**
   * The {@link HandlerRetry} of every command that does not set its own `retry`.
   * @default none: the first failure of a handler is final
   */
  readonly retry?: HandlerRetry;
}

/**
 * The name of the event that marks an action as failed.
 *
 * @example
 * results$.pipe(filter((r) => r.event.eventDef.name === FATAL));
 */
export const FATAL = 'FATAL' as const;

/**
 * The definition of the `FATAL` event.
 *
 * @example
 * const e: FlyteEvent = { eventDef: FATAL_EVENT_DEF, payload: 'boom' }; // or fatalEvent('boom')
 */
export const FATAL_EVENT_DEF: EventDef<unknown, typeof FATAL> = Object.freeze({ name: FATAL });

/**
 * A `FATAL` event: the action failed.
 *
 * @param payload - what happened.
 * @returns the event.
 * @example
 * handler: (input) => (isValid(input) ? ok(input) : fatalEvent({ reason: 'bad input' }))
 */
export function fatalEvent<P>(payload: P): FatalEvent<P> {
  return { eventDef: FATAL_EVENT_DEF as EventDef<P, typeof FATAL>, payload };
}
