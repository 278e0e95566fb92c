// Compile-time check of what `Pack.sendEvent` is given, written so that the FIRST line of the
// compiler's message says what is wrong: an event the pack does not declare is compared with a
// type that names the mistake, not with the union of the declared events (whose mismatch the
// compiler explains field by field, the useful line last).
import type { EventDef, FlyteEvent, PackDef } from './definitions.js';
import type { DefinedEvent, EventOf, NameOf, SpontaneousEvent } from './define.js';

/**
 * The type an undeclared spontaneous event is compared with: the compiler's message reads
 * `... is not assignable to parameter of type "event 'X' is not among the events of pack 'Y'"`.
 *
 * @typeParam Name - the event given to `sendEvent`.
 * @typeParam PackName - the pack's name (`'the pack'` is said when it is not a literal type).
 * @example
 * type M = UndeclaredSpontaneousEvent<'RotaRetrieved', 'rota-pack'>; // "event 'RotaRetrieved' is not among the events of pack 'rota-pack'"
 */
export type UndeclaredSpontaneousEvent<
  Name extends string,
  PackName extends string,
> = `event '${Name}' is not among the events of ${string extends PackName ? 'the pack' : `pack '${PackName}'`}`;

/**
 * The type of what `sendEvent` of a pack made from `D` accepts, given `E`, the type of what it
 * is given: `E` itself when it fits (see {@link SpontaneousEvent}); for a definition whose event
 * names are known, {@link UndeclaredSpontaneousEvent} when `E`'s name is not among them, and
 * the declared event (so the compiler says which field differs) when its payload does not fit.
 *
 * @typeParam D - the pack definition.
 * @typeParam E - what `sendEvent` is given, as inferred.
 * @example
 * type A = CheckedSpontaneousEvent<typeof def, EventOf<typeof someoneSeen>>; // EventOf<typeof someoneSeen>
 */
export type CheckedSpontaneousEvent<D extends PackDef, E> =
  string extends NameOf<NonNullable<D['events']>[number]>
    ? E extends Pick<DefinedEvent<unknown, EventDef<infer P, string>>, 'eventDef'>
      ? E extends FlyteEvent<P>
        ? E
        : FlyteEvent<P>
      : FlyteEvent
    : E extends Pick<
          DefinedEvent<unknown, EventDef<unknown, infer Name extends string>>,
          'eventDef'
        >
      ? string extends Name
        ? SpontaneousEvent<D>
        : Name extends NameOf<NonNullable<D['events']>[number]>
          ? E extends SpontaneousEvent<D>
            ? E
            : EventOf<Extract<NonNullable<D['events']>[number], EventDef<unknown, Name>>>
          : UndeclaredSpontaneousEvent<Name, D['name']>
      : SpontaneousEvent<D>;
