// The take ceiling of the flyte-like store, measured without the SDK: a bare node:http client
// that sends takes at a fixed gap (timed on setImmediate, finer than any timer) and posts each
// result, against the same child-process server as the pack. Takes of one pack that reach the
// store within about a store operation of each other collide, so the gap, not the client,
// bounds the drain: the best drain with few races is what any client of that store can reach.
import { Agent } from 'node:http';
import { post, registerRotaLike, resultUrlOf } from './bare-loop.js';
import { rotaResultBody } from './rota-like.js';

/** What one paced drain measured. */
export interface PacedDrain {
  /** The gap between two takes, in ms. */
  readonly gapMs: number;
  /** From the first take to the last result accepted, in ms. */
  readonly ms: number;
  /** Takes sent, the lost races included. */
  readonly takes: number;
  /** Takes that lost a race (bare 500s). */
  readonly races: number;
}

/** Most takes in flight at once: more than the gap and round trip ever need. */
const MAX_IN_FLIGHT = 16;

/**
 * Registers the rota-like pack at `url`, then sends a take every `gapMs` (at most 16 in
 * flight) and posts the result of each action taken, until `actions` results are accepted.
 *
 * @param url - the fake server's base URL, its queue already filled with at least `actions`.
 * @param actions - results to wait for.
 * @param gapMs - the gap between two takes, in ms (fractions allowed).
 * @returns the time, the takes and the races.
 * @example
 * const { ms, races } = await pacedTakes(server.url, 1000, 2);
 */
export async function pacedTakes(url: string, actions: number, gapMs: number): Promise<PacedDrain> {
  const pack = await registerRotaLike(url);
  const agent = new Agent({ keepAlive: true });
  let taken = 0;
  let done = 0;
  let takes = 0;
  let races = 0;
  let inFlight = 0;
  let failure: Error | undefined;
  const t0 = performance.now();
  const ms = await new Promise<number>((resolve, reject) => {
    let next = t0;
    const complete = (text: string) =>
      post(agent, resultUrlOf(text), rotaResultBody(new Date().toISOString())).then((r) => {
        if (r.status !== 202) throw new Error(`result answered ${r.status}`);
        done += 1;
      });
    const tick = () => {
      if (failure) return reject(failure);
      if (done >= actions) return resolve(performance.now() - t0);
      const now = performance.now();
      if (taken < actions && now >= next && inFlight < MAX_IN_FLIGHT) {
        next = Math.max(next + gapMs, now - gapMs);
        inFlight += 1;
        takes += 1;
        post(agent, pack.takeActionUrl)
          .then((r) => {
            inFlight -= 1;
            if (r.status === 200) {
              taken += 1;
              return complete(r.text);
            }
            if (r.status === 500 && r.text === '') races += 1;
            else if (r.status !== 204) throw new Error(`take answered ${r.status}`);
            return undefined;
          })
          .catch((error: Error) => (failure = error));
      }
      setImmediate(tick);
    };
    tick();
  });
  agent.destroy();
  return { gapMs, ms, takes, races };
}
