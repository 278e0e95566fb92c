import { PackDefinitionError } from './errors.js';
import { checkCommands } from './validate-command.js';
import { checkRetry } from './validate-retry.js';
import { checkEvents, type HelpUrls } from './validate-events.js';
import {
  checkHelpUrl,
  checkLabels,
  checkName,
  describe,
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
 * - a command timeout must be a finite number >= 0; a command's `input` and `output`, when
 *   given, must be Standard Schema v1 objects;
 * - a `retry` (a command's or the pack's) needs a whole number of `attempts` >= 1, and a
 *   `backoff` of delays >= 0 and a factor >= 1 (or a function);
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
    const helpUrls: HelpUrls = new Map();
    const commands = checkCommands(def['commands'], problems, helpUrls);
    const events = checkEvents(def['events'], problems, helpUrls);
    checkRetry(def['retry'], 'retry', problems);
    if (commands === 0 && events === 0) {
      problems.push('definition: defines neither commands nor events, so the pack can do nothing');
    }
  }
  if (labels !== undefined) checkLabels(labels, 'options.labels', problems);
  if (problems.length) throw new PackDefinitionError(problems);
}
