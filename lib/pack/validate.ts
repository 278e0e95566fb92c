import { PackDefinitionError } from '../errors.js';
import { FATAL } from './definitions.js';
import {
  checkEventDef,
  describe,
  checkHelpUrl,
  checkLabels,
  checkName,
  isRecord,
  type Problems,
} from './validate-parts.js';

/**
 * Checks a pack definition (and the labels given besides it) and throws one
 * {@link PackDefinitionError} that lists **every** problem, each prefixed with where it is
 * (`commands[1].name: ...`). It accepts `unknown`, so plain-JavaScript callers get the same
 * clear errors as TypeScript ones.
 *
 * What is refused, and why:
 * - the pack name, command names and event names must be non-empty strings; the pack name and
 *   label keys/values must not contain `/`, `?` or `#` (they form the pack id, which the server
 *   puts in URL paths);
 * - command names must be unique; event names must be unique within one command's outputs and
 *   within the spontaneous events; one event name must not carry two different help URLs;
 * - a command needs exactly one of `handler` (a function or an object with `handle`) and
 *   `pipeline` (a function), and at least one output event;
 * - `FATAL` must not be declared as an event (it is the failure status, always allowed as a
 *   result and never registered) nor used as a command name (it would read as a failure);
 * - help URLs must be absolute http(s) URLs; labels must map non-empty string keys to strings;
 * - a command timeout must be a finite number >= 0;
 * - a pack with neither commands nor events can do nothing and is refused.
 *
 * @param def - the pack definition, as given by the user.
 * @param labels - labels given besides the definition (e.g. from the environment).
 * @throws {@link PackDefinitionError} with every problem found.
 * @example
 * try { validatePackDef(def); } catch (e) { if (isPackDefinitionError(e)) e.problems.forEach((p) => console.error(p)); }
 */
export function validatePackDef(def: unknown, labels?: unknown): void {
  const problems: Problems = [];
  if (!isRecord(def)) {
    problems.push(`definition: must be an object, got ${describe(def)}`);
  } else {
    checkName(def['name'], 'name', problems, { urlSafe: true });
    checkHelpUrl(def['helpUrl'], 'helpUrl', problems);
    checkLabels(def['labels'], 'labels', problems);
    const helpUrls = new Map<string, { url: string; where: string }>();
    const commands = checkCommands(def['commands'], problems, helpUrls);
    const events = checkEvents(def['events'], problems, helpUrls);
    if (commands === 0 && events === 0) {
      problems.push('definition: defines neither commands nor events, so the pack can do nothing');
    }
  }
  if (labels !== undefined) checkLabels(labels, 'options.labels', problems);
  if (problems.length) throw new PackDefinitionError(problems);
}

type HelpUrls = Map<string, { url: string; where: string }>;

function checkCommands(commands: unknown, problems: Problems, helpUrls: HelpUrls): number {
  if (commands === undefined) return 0;
  if (!Array.isArray(commands)) {
    problems.push(`commands: must be an array, got ${describe(commands)}`);
    return 0;
  }
  const seen = new Map<string, number>();
  commands.forEach((command: unknown, i) => {
    const at = `commands[${i}]`;
    if (!isRecord(command)) {
      problems.push(`${at}: must be an object, got ${describe(command)}`);
      return;
    }
    const name = command['name'];
    if (checkName(name, `${at}.name`, problems)) {
      if (name === FATAL) {
        problems.push(`${at}.name: "${FATAL}" is reserved for the failure event`);
      }
      const first = seen.get(name);
      if (first !== undefined) {
        problems.push(`${at}.name: "${name}" is already the name of commands[${first}]`);
      } else seen.set(name, i);
    }
    checkHelpUrl(command['helpUrl'], `${at}.helpUrl`, problems);
    checkLogic(command, at, problems);
    checkTimeout(command['timeout'], `${at}.timeout`, problems);
    const outputs = command['outputEvents'];
    if (!Array.isArray(outputs) || outputs.length === 0) {
      problems.push(
        `${at}.outputEvents: must be a non-empty array of event definitions, got ${describe(outputs)}`,
      );
    } else {
      checkEventList(outputs, `${at}.outputEvents`, problems, helpUrls);
    }
  });
  return commands.length;
}

function checkEvents(events: unknown, problems: Problems, helpUrls: HelpUrls): number {
  if (events === undefined) return 0;
  if (!Array.isArray(events)) {
    problems.push(`events: must be an array, got ${describe(events)}`);
    return 0;
  }
  checkEventList(events, 'events', problems, helpUrls);
  return events.length;
}

function checkEventList(
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

function checkLogic(command: Record<string, unknown>, at: string, problems: Problems): void {
  const { handler, pipeline } = command;
  if (handler === undefined && pipeline === undefined) {
    problems.push(`${at}: needs a handler or a pipeline`);
  } else if (handler !== undefined && pipeline !== undefined) {
    problems.push(`${at}: has both a handler and a pipeline; give exactly one`);
  }
  if (
    handler !== undefined &&
    typeof handler !== 'function' &&
    !(isRecord(handler) && typeof handler['handle'] === 'function')
  ) {
    problems.push(
      `${at}.handler: must be a function or an object with a handle method, got ${describe(handler)}`,
    );
  }
  if (pipeline !== undefined && typeof pipeline !== 'function') {
    problems.push(
      `${at}.pipeline: must be an RxJS operator (a function), got ${describe(pipeline)}`,
    );
  }
}

function checkTimeout(timeout: unknown, at: string, problems: Problems): void {
  if (timeout === undefined) return;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
    problems.push(`${at}: must be a finite number of milliseconds >= 0, got ${describe(timeout)}`);
  }
}
