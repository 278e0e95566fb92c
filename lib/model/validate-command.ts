import { FATAL } from './definitions.js';
import { checkEventList, type HelpUrls } from './validate-events.js';
import { checkRetry } from './validate-retry.js';
import { checkHelpUrl, checkName, describe, isRecord, type Problems } from './validate-parts.js';

/**
 * Checks the `commands` of a pack definition: each an object with a unique name other than
 * `FATAL`, exactly one of `handler` and `pipeline`, at least one output event, an optional
 * help URL, an optional timeout >= 0, optional `input` and `output` Standard Schemas and an
 * optional `retry`.
 *
 * @param commands - the value of `commands`.
 * @param problems - where problems go.
 * @param helpUrls - help URLs seen so far, by event name.
 * @returns how many commands there are (0 when absent or not an array).
 * @example
 * const n = checkCommands(def.commands, problems, new Map());
 */
export function checkCommands(commands: unknown, problems: Problems, helpUrls: HelpUrls): number {
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
    checkSchema(command['input'], `${at}.input`, problems);
    checkSchema(command['output'], `${at}.output`, problems);
    checkRetry(command['retry'], `${at}.retry`, problems);
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

function checkSchema(schema: unknown, at: string, problems: Problems): void {
  if (schema === undefined) return;
  // arktype's schemas are functions, zod's and valibot's objects.
  const props =
    isRecord(schema) || typeof schema === 'function'
      ? (schema as { '~standard'?: unknown })['~standard']
      : undefined;
  if (isRecord(props) && props['version'] === 1 && typeof props['validate'] === 'function') return;
  problems.push(
    `${at}: must be a Standard Schema v1 object (zod, valibot, arktype, ...: one with a "~standard" property whose version is 1 and whose validate is a function), got ${describe(schema)}`,
  );
}
