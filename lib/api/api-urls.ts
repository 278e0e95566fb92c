import type { RegisteredPack } from '../model/wire-types.js';

/**
 * The URL discovery calls: the base URL (which may carry a path prefix) with its trailing
 * slashes removed and `/v1` appended.
 *
 * @param base - the base URL given by the user.
 * @returns the root URL, or `undefined` when `base` is not an absolute http(s) URL.
 * @example
 * apiRootUrl('https://host/flyte/'); // 'https://host/flyte/v1'
 */
export function apiRootUrl(base: string): string | undefined {
  try {
    const url = new URL(base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1`;
    return url.href;
  } catch {
    return undefined;
  }
}

/**
 * The problem of a URL with credentials in it (`http://user:password@host`): they would be
 * logged with the URL, and the flyte server authenticates with a bearer token anyway.
 *
 * @param name - the variable's (or option's) name.
 * @returns the problem text, which never contains the URL.
 * @example
 * credentialsProblem('FLYTE_API'); // 'FLYTE_API must not carry credentials ...'
 */
export function credentialsProblem(name: string): string {
  return (
    `${name} must not carry credentials (user:password@host): they would be logged with the ` +
    `URL; the flyte server authenticates with a bearer token instead`
  );
}

/**
 * The take-action URL for one command: the server's own per-command link (or the pack's
 * take-action link) with `actionName` set, the parameter the server actually reads (its own
 * links carry `commandName`, which it ignores).
 *
 * @param pack - the registered pack.
 * @param command - the command's name.
 * @returns the URL to POST to.
 * @example
 * commandTakeUrl(pack, 'Rota'); // 'http://flyte/v1/packs/p/actions/take?commandName=Rota&actionName=Rota'
 */
export function commandTakeUrl(pack: RegisteredPack, command: string): string {
  const url = new URL(pack.commandTakeActionUrls[command] ?? pack.takeActionUrl);
  url.searchParams.set('actionName', command);
  return url.href;
}
