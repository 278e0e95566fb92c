import type { Action, RegisteredPack } from '../../lib/model/wire-types.js';
import type { Registration } from '../../lib/streams/registration.js';
import type { Logger } from '../../lib/model/logger.js';
import type { Command, EventDef, FlyteEvent } from '../../lib/model/definitions.js';

/** A registered pack whose links are named after `id`. */
export function registeredPack(id = 'p1'): RegisteredPack {
  return {
    id,
    name: 'rota-pack',
    takeActionUrl: `http://flyte/v1/packs/${id}/actions/take`,
    eventUrl: `http://flyte/v1/packs/${id}/events`,
    commandTakeActionUrls: {},
    links: [],
  };
}

/** An action of `command` (default `Rota`) with the given id. */
export function anAction(id: string, command = 'Rota', input: unknown = { id }): Action {
  return {
    id,
    command,
    input,
    resultUrl: `http://flyte/v1/packs/p1/actions/${id}/result`,
    links: [],
  };
}

/** A logger whose methods are spies. */
export function spyLogger(): jasmine.SpyObj<Logger> {
  return jasmine.createSpyObj<Logger>('logger', ['error', 'warn', 'info', 'debug']);
}

/** The registration of `pack` with the given generation (the root's links are never used). */
export function registration(pack: RegisteredPack, generation = 1): Registration {
  const root = { url: 'http://flyte/v1', packsUrl: 'http://flyte/v1/packs', links: [] };
  return { root, pack, generation };
}

/** The one output event of {@link command}'s commands. */
export const done: EventDef<string> = { name: 'Done' };

/** A `Done` event with `payload`. */
export const ok = (payload = 'ok'): FlyteEvent<string> => ({ eventDef: done, payload });

/** A `Rota` command declaring `Done`, with `overrides` (its handler, at least). */
export const command = (overrides: Partial<Command>): Command => ({
  name: 'Rota',
  outputEvents: [done],
  ...overrides,
});
