/**
 * The page-of-duty pack: answers the `Rota` command with the name of whoever is on call.
 *
 * This is the seed's example pack, written with flyte-client's typed definitions: the
 * compiler checks that the handler answers only with the command's output events, each with
 * its payload type. The definition is plain data plus a handler, so it can be run as a
 * process (`main.ts`), marble-tested with the testing kit (`testPack`) or run against the
 * fake flyte server.
 */
import {
  defineCommand,
  defineEvent,
  definePack,
  type EventOf,
  type TypedPackDef,
} from 'flyte-client';

/** Who may be on call when nothing else is said. */
export const DEFAULT_CANDIDATES: readonly string[] = ['Isaac', 'Jane', 'Tom', 'Lukas', 'Emilie'];

/**
 * Emitted when the rota was read; the payload is the on-call person's name, so that a flow
 * can write `{{ Event.Payload }} is on call today`.
 *
 * @example
 * const e: EventOf<typeof rotaRetrieved> = { eventDef: rotaRetrieved, payload: 'Jane' };
 */
export const rotaRetrieved = defineEvent('RotaRetrieved', {
  helpUrl: 'https://github.com/ExpediaGroup/flyte-client-python#example-pack',
}).withPayload<string>();

/**
 * Emitted when the rota could not be read.
 *
 * @example
 * const e: EventOf<typeof rotaError> = { eventDef: rotaError, payload: { message: 'nobody on the rota' } };
 */
export const rotaError = defineEvent('Error').withPayload<RotaError>();

/** The payload of {@link rotaError}. */
export interface RotaError {
  readonly message: string;
}

/**
 * How the rota pack is built.
 *
 * @example
 * const def = rotaPack({ candidates: ['Ann', 'Bob'], random: () => 0 }); // always Ann
 */
export interface RotaPackConfig {
  /** The people on the rota. @default {@link DEFAULT_CANDIDATES} */
  readonly candidates?: readonly string[];
  /** Random source in [0, 1) used to pick one; inject a fixed one in tests. @default Math.random */
  readonly random?: () => number;
  /** Labels of the pack. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Picks the on-call person.
 *
 * @param candidates - the people on the rota.
 * @param random - random source in [0, 1).
 * @returns a `RotaRetrieved` event with the name, or an `Error` event when nobody can be picked.
 * @example
 * pickOnCall(['Ann', 'Bob'], () => 0.9); // { eventDef: rotaRetrieved, payload: 'Bob' }
 */
export function pickOnCall(
  candidates: readonly string[],
  random: () => number,
): EventOf<typeof rotaRetrieved | typeof rotaError> {
  const name = candidates[Math.floor(random() * candidates.length)];
  if (name === undefined) {
    return { eventDef: rotaError, payload: { message: 'nobody is on the rota' } };
  }
  return { eventDef: rotaRetrieved, payload: name };
}

/**
 * The definition of the page-of-duty pack: one command, `Rota`, producing `RotaRetrieved` or
 * `Error`. The action's input (whatever the flow step passes) is ignored.
 *
 * @param config - candidates, random source and labels.
 * @returns the pack definition.
 * @example
 * const pack = new Pack(rotaPack(), { url: 'http://localhost:8080' });
 * await pack.start();
 */
export function rotaPack(config: RotaPackConfig = {}): TypedPackDef<readonly []> {
  const candidates = config.candidates ?? DEFAULT_CANDIDATES;
  const random = config.random ?? Math.random;
  const rota = defineCommand({
    name: 'Rota',
    helpUrl: 'https://github.com/ExpediaGroup/flyte-client-python#example-pack',
    outputEvents: [rotaRetrieved, rotaError],
    handler: (_input, { logger }) => {
      const event = pickOnCall(candidates, random);
      logger.info('rota read', { event: event.eventDef.name });
      return event;
    },
  });
  return definePack({
    name: 'page-of-duty-pack',
    helpUrl: 'https://github.com/ExpediaGroup/flyte-client-python',
    ...(config.labels ? { labels: config.labels } : {}),
    commands: [rota],
  });
}
