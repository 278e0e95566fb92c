import type { Action } from './wire-types.js';
import { type FatalEvent, fatalEvent } from './definitions.js';
import { describeIssues, type SchemaIssue } from './schema-issue.js';

/**
 * Why an action completed with `FATAL` although its handler did not return a FATAL event:
 * - `threw`: the handler threw; `rejected`: its promise rejected; `errored`: its observable
 *   (or the command's pipeline) errored;
 * - `empty`: its observable completed without an event;
 * - `invalid-event`: it produced something that is not an event;
 * - `undeclared-event`: it produced an event its command does not declare in `outputEvents`;
 * - `invalid-input`: the action's input does not match the command's `input` schema (the
 *   handler did not run); the payload's `issues` say where and what;
 * - `invalid-output`: the payload of the event it produced does not match the command's
 *   `output` schema; the payload's `issues` say where and what;
 * - `timeout`: it ran longer than the command's (or the pack's) timeout and was cancelled;
 * - `unknown-command`: the pack has no such command;
 * - `invalid-action`: the server's answer for the action was malformed;
 * - `cancelled`: the pack stopped and the grace period ran out;
 * - `refused`: the server refused the handler's result for good (a 4xx other than 404, 408, 429);
 *   the payload's `refused` names the event, the status and the body.
 *
 * @example
 * if ((result.event.payload as FatalPayload).reason === 'timeout') alert('too slow');
 */
export type FatalReason =
  | 'threw'
  | 'rejected'
  | 'errored'
  | 'empty'
  | 'invalid-event'
  | 'undeclared-event'
  | 'invalid-input'
  | 'invalid-output'
  | 'timeout'
  | 'unknown-command'
  | 'invalid-action'
  | 'cancelled'
  | 'refused';

/**
 * The payload of a `FATAL` event the SDK produced for a failed action.
 *
 * @example
 * results$.pipe(filter((r) => r.outcome === 'fatal')).subscribe((r) => console.log((r.event.payload as FatalPayload).message));
 */
export interface FatalPayload {
  /** Which way the action failed. */
  readonly reason: FatalReason;
  /** What happened, in a sentence. */
  readonly message: string;
  /** The command of the action. */
  readonly command: string;
  /** The id of the action. */
  readonly actionId: string;
  /** The error thrown, rejected or emitted, for `threw`, `rejected` and `errored`. */
  readonly error?: {
    /** The error's name (its class), or the type of what was thrown when not an Error. */
    readonly name: string;
    /** The error's message. */
    readonly message: string;
  };
  /** The timeout that ran out, in ms, for `timeout`. */
  readonly timeout?: number;
  /** The result the server refused for good, for `refused`. */
  readonly refused?: RefusedResult;
  /** What the schema found wrong, for `invalid-input` and `invalid-output`. */
  readonly issues?: readonly SchemaIssue[];
  /** How many times the handler ran, when its command's `retry` ran it more than once. */
  readonly attempts?: number;
}

/**
 * A result event the server refused for good (a 4xx other than 404, 408 and 429).
 *
 * @example
 * const refused: RefusedResult = { event: 'RotaRetrieved', status: 400, body: 'bad payload' };
 */
export interface RefusedResult {
  /** The name of the event refused. */
  readonly event: string;
  /** The server's HTTP status. */
  readonly status: number;
  /** An excerpt of the server's answer. */
  readonly body: string;
}

/**
 * What is known about the failure besides its reason.
 *
 * @example
 * fatalEventFor('unknown-command', action, { known: ['Rota'] });
 */
export interface FatalDetails {
  /** What was thrown, rejected or emitted, for `threw`, `rejected` and `errored`. */
  readonly error?: unknown;
  /** The timeout that ran out, in ms, for `timeout`. */
  readonly timeout?: number;
  /** The commands the pack has, for `unknown-command`. */
  readonly known?: readonly string[];
  /** The names of the command's output events, for `undeclared-event`. */
  readonly declared?: readonly string[];
  /** What the schema found wrong, for `invalid-input` and `invalid-output`. */
  readonly issues?: readonly SchemaIssue[];
  /** How many times the handler ran, and the most it could, when it ran more than once. */
  readonly attempts?: {
    /** The runs made. */
    readonly made: number;
    /** The runs the retry allowed. */
    readonly of: number;
  };
  /** What the handler produced, for `invalid-event`, `undeclared-event` and `invalid-output`. */
  readonly got?: unknown;
  /** The result the server refused, for `refused`. */
  readonly refused?: RefusedResult;
  /** Why the event produced cannot be sent (its payload is not JSON), for `invalid-event`; what was wrong with the action, for `invalid-action`. */
  readonly problem?: string;
}

/**
 * The `FATAL` event for an action whose handler failed, with a payload saying which way and why.
 *
 * @param reason - how it failed.
 * @param action - the action.
 * @param details - the error, the timeout, the known commands or the value produced.
 * @returns the FATAL event.
 * @example
 * fatalEventFor('timeout', action, { timeout: 5000 }).payload.message;
 * // 'handler of command "Rota" did not finish within 5000 ms and was cancelled'
 */
export function fatalEventFor(
  reason: FatalReason,
  action: Action,
  details: FatalDetails = {},
): FatalEvent<FatalPayload> {
  const error = 'error' in details ? describeError(details.error) : undefined;
  return fatalEvent<FatalPayload>({
    reason,
    message:
      sentence(reason, action.command, details, error) +
      (details.attempts ? ` (attempt ${details.attempts.made} of ${details.attempts.of})` : ''),
    command: action.command,
    actionId: action.id,
    ...(error ? { error } : {}),
    ...(reason === 'timeout' ? { timeout: details.timeout } : {}),
    ...(details.refused ? { refused: details.refused } : {}),
    ...(details.issues ? { issues: details.issues } : {}),
    ...(details.attempts ? { attempts: details.attempts.made } : {}),
  });
}

function sentence(
  reason: FatalReason,
  command: string,
  details: FatalDetails,
  error: FatalPayload['error'],
): string {
  const handler = `handler of command "${command}"`;
  const cause = error ? `${error.name}: ${error.message}` : '';
  switch (reason) {
    case 'threw':
      return `${handler} threw ${cause}`;
    case 'rejected':
      return `${handler} returned a promise that rejected with ${cause}`;
    case 'errored':
      return `${handler} returned an observable that errored with ${cause}`;
    case 'empty':
      return `${handler} returned an observable that completed without an event`;
    case 'invalid-event':
      if (details.problem) {
        const name = (details.got as { eventDef: { name: string } }).eventDef.name;
        return `${handler} produced the event "${name}", whose payload cannot be sent as JSON: ${details.problem}`;
      }
      return `${handler} produced ${kindOf(details.got)}, not an event ({ eventDef: { name }, payload })`;
    case 'undeclared-event': {
      const name = (details.got as { eventDef: { name: string } }).eventDef.name;
      const declared = (details.declared ?? []).join(', ') || 'none';
      return `${handler} produced the event "${name}", which the command does not declare (its output events: ${declared})`;
    }
    case 'invalid-input':
      return `the input of command "${command}" is invalid: ${describeIssues(details.issues ?? [])}`;
    case 'invalid-output': {
      const name = (details.got as { eventDef: { name: string } }).eventDef.name;
      return `${handler} produced the event "${name}", whose payload does not match the command's output schema: ${describeIssues(details.issues ?? [])}`;
    }
    case 'timeout':
      return `${handler} did not finish within ${details.timeout} ms and was cancelled`;
    case 'unknown-command':
      return `the pack has no command "${command}" (it has: ${(details.known ?? []).join(', ') || 'none'})`;
    case 'invalid-action':
      return `the server's answer for this action was malformed (${details.problem}); it was taken, so it is completed as failed`;
    case 'cancelled':
      return `the pack stopped before the ${handler} finished; it was cancelled`;
    case 'refused': {
      const { event = '?', status = 0, body = '' } = details.refused ?? {};
      return `the server refused the result "${event}" of this action (${status}${body ? `: ${body}` : ''}); the action is completed as failed instead`;
    }
  }
}

function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  if (typeof error === 'string') return { name: 'string', message: error };
  try {
    return { name: typeof error, message: JSON.stringify(error) ?? String(error) };
  } catch {
    return { name: typeof error, message: String(error) };
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without an eventDef name' : `a ${typeof value}`;
}
