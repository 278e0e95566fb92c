import { firstValueFrom, switchMap } from 'rxjs';
import { HttpFlyteApi } from '../api/http-flyte-api.js';
import type { HttpFlyteApiOptions } from '../api/http-flyte-api-options.js';
import type { Action, PackRegistration } from '../model/wire-types.js';

/**
 * Plays a client that takes an action and vanishes: registers `registration` (the same name
 * and labels as the pack under test, so the same pack id) on the flyte server at `url`, takes
 * one action over HTTP and never answers it. The action stays `PENDING` for ever, as when a
 * replica dies between the server's update and its handler, which is what recovery of stranded
 * actions is for.
 *
 * @param url - the base URL of the flyte server (or fake server).
 * @param registration - the registration of the vanishing client.
 * @param options - the token, when the server requires one.
 * @returns the action taken, or `null` when none was waiting.
 * @example
 * const stranded = await takeAndVanish(server.url, { name: 'page-of-duty-pack' });
 */
export function takeAndVanish(
  url: string,
  registration: PackRegistration,
  options: Pick<HttpFlyteApiOptions, 'token'> = {},
): Promise<Action | null> {
  const api = new HttpFlyteApi({ url, token: options.token });
  return firstValueFrom(
    api.discover().pipe(
      switchMap((root) => api.register(root, registration)),
      switchMap((pack) => api.takeAction(pack)),
    ),
  );
}
