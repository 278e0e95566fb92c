// The yardstick of the loopback comparison: a bare `node:http` take → result loop with a
// fixed number of takes in flight, no SDK in the way (no streams, no validation, no retries).
// Registration goes through HttpFlyteApi: it is set-up, not part of what is timed.
import { Agent, request } from 'node:http';
import { firstValueFrom } from 'rxjs';
import { switchMap } from 'rxjs/operators';
import { HttpFlyteApi } from '../lib/api/http-flyte-api.js';
import { toRegistration } from '../lib/model/registration-body.js';
import type { RegisteredPack } from '../lib/model/wire-types.js';
import { rotaLikePack, rotaResultBody } from './rota-like.js';

/**
 * One POST over `agent`; resolves with the status and the body.
 *
 * @example
 * const take = await post(agent, pack.takeActionUrl);
 */
export function post(
  agent: Agent,
  url: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          Accept: 'application/json',
          ...(body === undefined
            ? { 'Content-Length': '0' }
            : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The href of the result link of a taken action's document.
 *
 * @example
 * await post(agent, resultUrlOf(take.text), rotaResultBody(new Date().toISOString()));
 */
export const resultUrlOf = (text: string): string => {
  const links = (JSON.parse(text) as { links: Array<{ href: string; rel: string }> }).links;
  return links.find((l) => l.rel.endsWith('actionResult'))!.href;
};

/**
 * Registers the rota-like pack at `url` (set-up, not timed).
 *
 * @example
 * const { takeActionUrl } = await registerRotaLike(server.url);
 */
export function registerRotaLike(url: string): Promise<RegisteredPack> {
  const api = new HttpFlyteApi({ url });
  return firstValueFrom(
    api.discover().pipe(switchMap((root) => api.register(root, toRegistration(rotaLikePack())))),
  );
}

/**
 * Registers the rota-like pack at `url`, then runs `inFlight` loops of take → result until
 * `actions` results were accepted (a 204 take ends a loop early; a 500 take is retried at once).
 *
 * @param url - the fake server's base URL, its queue already filled.
 * @param actions - results to wait for.
 * @param inFlight - take → result loops running at once.
 * @returns the time from the first take to the last result, in ms.
 * @example
 * const ms = await bareLoop(server.url, 2000, 5);
 */
export async function bareLoop(url: string, actions: number, inFlight: number): Promise<number> {
  const pack = await registerRotaLike(url);
  const agent = new Agent({ keepAlive: true });
  let done = 0;
  const loop = async (): Promise<void> => {
    while (done < actions) {
      const take = await post(agent, pack.takeActionUrl);
      if (take.status === 204) return;
      if (take.status !== 200) continue;
      const result = await post(
        agent,
        resultUrlOf(take.text),
        rotaResultBody(new Date().toISOString()),
      );
      if (result.status !== 202) throw new Error(`result answered ${result.status}`);
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, loop));
  const ms = performance.now() - t0;
  agent.destroy();
  if (done < actions) throw new Error(`bare loop: ${done} of ${actions} results`);
  return ms;
}
