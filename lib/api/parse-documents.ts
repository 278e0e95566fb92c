import { findLinkHref, findOptionalLinkHref } from './links.js';
import { invalidResponse, kind, parseJsonObject, parseLinks, requireString } from './parse.js';
import type { HttpResponse } from './http-exchange.js';
import type { Action, ApiRoot, PackRegistration, RegisteredPack } from '../model/wire-types.js';

/**
 * The API root from the answer to `GET {base}/v1`.
 *
 * @param res - the 200 response.
 * @returns the root with its packs link (required), health and audit links (optional).
 * @throws {@link InvalidResponseError} (incl. {@link LinkNotFoundError}) when malformed.
 * @example
 * const root = parseRoot(res);
 */
export function parseRoot(res: HttpResponse): ApiRoot {
  const links = parseLinks(res, parseJsonObject(res)['links'], 'links');
  const healthUrl = findOptionalLinkHref(links, 'info/health');
  const auditUrl = findOptionalLinkHref(links, 'flowAudit/findFlows');
  return {
    url: res.url,
    links,
    packsUrl: findLinkHref(links, 'pack/listPacks', res.url),
    ...(healthUrl === undefined ? {} : { healthUrl }),
    ...(auditUrl === undefined ? {} : { auditUrl }),
  };
}

/**
 * The registered pack from the 201 answer to a registration.
 *
 * @param res - the 201 response.
 * @param registration - what was registered (its name stands in when the body has none).
 * @returns the pack: id, URL (Location header, else the self link), take-action and event
 * links, and the take-action link of each command that has one.
 * @throws {@link InvalidResponseError} (incl. {@link LinkNotFoundError}) when malformed.
 * @example
 * const pack = parseRegisteredPack(res, body);
 */
export function parseRegisteredPack(
  res: HttpResponse,
  registration: PackRegistration,
): RegisteredPack {
  const body = parseJsonObject(res);
  const id = requireString(res, body, 'id');
  const name = typeof body['name'] === 'string' ? body['name'] : registration.name;
  const links = parseLinks(res, body['links'], 'links');
  const url = locationOf(res) ?? findOptionalLinkHref(links, 'self');
  return {
    id,
    name,
    ...(url === undefined ? {} : { url }),
    takeActionUrl: findLinkHref(links, 'takeAction', res.url),
    eventUrl: findLinkHref(links, 'event', res.url),
    commandTakeActionUrls: commandLinks(res, body['commands']),
    links,
  };
}

function locationOf(res: HttpResponse): string | undefined {
  const location = res.header('location');
  if (!location) return undefined;
  try {
    return new URL(location, res.url).href;
  } catch {
    return undefined;
  }
}

function commandLinks(res: HttpResponse, commands: unknown): Record<string, string> {
  if (commands === undefined || commands === null) return {};
  if (!Array.isArray(commands)) {
    throw invalidResponse(res, `"commands" must be an array, got ${kind(commands)}`);
  }
  const urls: Record<string, string> = {};
  commands.forEach((command: unknown, i) => {
    if (typeof command !== 'object' || command === null || Array.isArray(command)) {
      throw invalidResponse(res, `"commands[${i}]" must be an object, got ${kind(command)}`);
    }
    const record = command as Record<string, unknown>;
    const name = requireString(res, record, 'name');
    if (record['links'] === undefined || record['links'] === null) return;
    const href = findOptionalLinkHref(
      parseLinks(res, record['links'], `commands[${i}].links`),
      'takeAction',
    );
    if (href !== undefined) urls[name] = href;
  });
  return urls;
}

/**
 * The action from the 200 answer to a take. A take commits the action on the server, so an
 * answer that names the result link but lacks a valid `command` still yields the action,
 * with `problem` set, for the pack to complete with FATAL.
 *
 * @param res - the 200 response.
 * @returns the action; its id is read from the result link (`.../actions/ID/result`).
 * @throws {@link InvalidResponseError} (incl. {@link LinkNotFoundError}) when there is no
 *   result link to complete the action with.
 * @example
 * const action = parseAction(res);
 */
export function parseAction(res: HttpResponse): Action {
  const body = parseJsonObject(res);
  const links = parseLinks(res, body['links'], 'links');
  const resultUrl = findLinkHref(links, 'actionResult', res.url);
  const id = actionIdOf(resultUrl);
  const input = body['input'];
  // Whole literals: a property added to a spread copy gives each action a map of its own.
  try {
    return { id, input, resultUrl, links, command: requireString(res, body, 'command') };
  } catch (error) {
    const command = typeof body['command'] === 'string' ? body['command'] : '';
    return { id, input, resultUrl, links, command, problem: (error as Error).message };
  }
}

/**
 * The path of an absolute URL as the links of a document hold it (resolved and normalised),
 * cut out of the text instead of parsed again: it runs for every action.
 */
function pathOf(url: string): string {
  const authority = url.indexOf('//');
  const start = authority < 0 ? -1 : url.indexOf('/', authority + 2);
  if (start < 0) return new URL(url).pathname;
  const end = url.slice(start).search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, start + end);
}

/**
 * The action id in a result URL (`.../actions/ID/result`), or `''` when there is none.
 *
 * @param resultUrl - the href of the action's result link.
 * @returns the decoded id.
 * @example
 * actionIdOf('http://flyte/v1/packs/Slack/actions/42/result'); // '42'
 */
export function actionIdOf(resultUrl: string): string {
  const match = /\/actions\/([^/]+)\/result\/?$/.exec(pathOf(resultUrl));
  if (!match?.[1]) return '';
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}
