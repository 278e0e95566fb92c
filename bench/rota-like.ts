// The pack of the issue-11 bench: like samples/rota-pack (one `Rota` command answering with
// whoever is on call), with an optional handler delay standing for I/O-bound work.
import type { EventDef, PackDef } from '../lib/model/definitions.js';

/**
 * The name of the bench's pack.
 *
 * @example
 * await server.enqueue(ROTA_PACK, ROTA_COMMAND, 1000);
 */
export const ROTA_PACK = 'rota-bench';
/**
 * Its one command.
 *
 * @example
 * await server.enqueue(ROTA_PACK, ROTA_COMMAND, 1000);
 */
export const ROTA_COMMAND = 'Rota';
const rotaRetrieved: EventDef<string> = { name: 'RotaRetrieved' };
const CANDIDATES = ['Isaac', 'Jane', 'Tom', 'Lukas', 'Emilie'];

/**
 * The rota-like pack; `handlerMs` > 0 answers after that much real time.
 *
 * @param handlerMs - time each handler takes, in ms. @default 0
 * @returns the pack definition.
 * @example
 * const pack = new Pack(rotaLikePack(20), { url });
 */
export function rotaLikePack(handlerMs = 0): PackDef {
  let n = 0;
  const answer = () => ({ eventDef: rotaRetrieved, payload: CANDIDATES[n++ % CANDIDATES.length] });
  return {
    name: ROTA_PACK,
    commands: [
      {
        name: ROTA_COMMAND,
        outputEvents: [rotaRetrieved],
        handler: () =>
          handlerMs === 0
            ? answer()
            : new Promise((resolve) => setTimeout(() => resolve(answer()), handlerMs)),
      },
    ],
  };
}

/**
 * The body of a result the rota-like pack posts (for the bare loop).
 *
 * @param createdAt - RFC 3339 time of the event.
 * @returns the JSON body.
 * @example
 * req.end(rotaResultBody(new Date().toISOString()));
 */
export const rotaResultBody = (createdAt: string) =>
  JSON.stringify({ event: rotaRetrieved.name, payload: 'Jane', createdAt });
