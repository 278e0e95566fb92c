// The bare `node:http` pieces of the paced client (bench/paced-takes.ts): a POST, a result
// link, and registration (through HttpFlyteApi: set-up, not part of what is timed).
import { type Agent, request } from 'node:http';
import { firstValueFrom } from 'rxjs';
import { switchMap } from 'rxjs/operators';
import { HttpFlyteApi } from '../lib/api/http-flyte-api.js';
import { toRegistration } from '../lib/model/registration-body.js';
import type { RegisteredPack } from '../lib/model/wire-types.js';
import { rotaLikePack } from './rota-like.js';

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
