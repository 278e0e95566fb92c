import { FATAL } from './definitions.js';
import { checkHelpUrl, checkName, describe, isRecord, type Problems } from './validate-parts.js';

/** Help URLs seen so far, by event name, with where each was given. */
export type HelpUrls = Map<string, { url: string; where: string }>;

/**
 * Checks the spontaneous `events` of a pack definition.
 *
 * @param events - the value of `events`.
 * @param problems - where problems go.
 * @param helpUrls - help URLs seen so far, by event name.
 * @returns how many events there are (0 when absent or not an array).
 * @example
 * const n = checkEvents(def.events, problems, new Map());
 */
export function checkEvents(events: unknown, problems: Problems, helpUrls: HelpUrls): number {
  if (events === undefined) return 0;
  if (!Array.isArray(events)) {
    problems.push(`events: must be an array, got ${describe(events)}`);
    return 0;
  }
  checkEventList(events, 'events', problems, helpUrls);
  return events.length;
}

/**
 * Checks a list of event definitions: each valid, no name twice in the list.
 *
 * @param list - the event definitions.
 * @param at - where the list is, e.g. `commands[0].outputEvents`.
 * @param problems - where problems go.
 * @param helpUrls - help URLs seen so far, by event name.
 * @example
 * checkEventList(command.outputEvents, 'commands[0].outputEvents', problems, helpUrls);
 */
export function checkEventList(
  list: readonly unknown[],
  at: string,
  problems: Problems,
  helpUrls: HelpUrls,
): void {
  const seen = new Map<string, number>();
  list.forEach((eventDef, j) => {
    const where = `${at}[${j}]`;
    const name = checkEventDef(eventDef, where, problems, helpUrls);
    if (name === undefined) return;
    const first = seen.get(name);
    if (first !== undefined) problems.push(`${where}.name: "${name}" is already ${at}[${first}]`);
    else seen.set(name, j);
  });
}

/**
 * Checks one event definition; records its help URL to detect one name with two help URLs.
 *
 * @param eventDef - the value to check.
 * @param at - where it is, for the message.
 * @param problems - where problems go.
 * @param helpUrls - help URLs seen so far, by event name.
 * @returns the event's name when it is a usable string, else `undefined`.
 * @example
 * const name = checkEventDef(def.events[0], 'events[0]', problems, new Map());
 */
export function checkEventDef(
  eventDef: unknown,
  at: string,
  problems: Problems,
  helpUrls: HelpUrls,
): string | undefined {
  if (!isRecord(eventDef)) {
    problems.push(`${at}: must be an event definition object, got ${describe(eventDef)}`);
    return undefined;
  }
  const name = eventDef['name'];
  const named = checkName(name, `${at}.name`, problems);
  if (named && name === FATAL) {
    problems.push(
      `${at}.name: "${FATAL}" must not be declared; it is always allowed as a result and is not registered`,
    );
  }
  const helpUrl = eventDef['helpUrl'];
  if (checkHelpUrl(helpUrl, `${at}.helpUrl`, problems) && named) {
    const first = helpUrls.get(name);
    if (!first) helpUrls.set(name, { url: helpUrl, where: at });
    else if (first.url !== helpUrl) {
      problems.push(
        `${at}.helpUrl: event "${name}" already has the help URL ${first.url} (${first.where})`,
      );
    }
  }
  return named ? name : undefined;
}
