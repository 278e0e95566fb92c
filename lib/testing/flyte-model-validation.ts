import type { Link, PackRegistration } from '../model/wire-types.js';
import { type ActionInput, type EventInput, ModelError } from './flyte-model-types.js';
import { cloneJson, isRfc3339 } from './json-values.js';

/**
 * The rels the real server keeps for itself. Its regex is unanchored, so any pack link rel that
 * merely CONTAINS `up` or `self` (e.g. `support`) is refused too; the fake copies the quirk.
 */
const RESERVED_REL = /up|self|\/actionResult$|\/takeAction$|\/event$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (message: string): ModelError => new ModelError(400, message);

/**
 * The pack id flyte derives: the name, then `.key.value` per label in sorted key order.
 *
 * @param name - the pack name.
 * @param labels - the pack labels.
 * @returns the id, e.g. `Slack.env.prod`.
 * @example
 * packIdOf('Slack', { region: 'eu', env: 'prod' }); // 'Slack.env.prod.region.eu'
 */
export function packIdOf(name: string, labels: Readonly<Record<string, string>> = {}): string {
  return [
    name,
    ...Object.keys(labels)
      .sort()
      .map((k) => `${k}.${labels[k]}`),
  ].join('.');
}

function labelsOf(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw bad(`${what} must be an object of string values`);
  }
  return { ...(v as Record<string, string>) };
}

function linksOf(v: unknown, what: string): Link[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw bad(`${what} must be an array of {href, rel}`);
  return v.map((l, i) => {
    if (!isObject(l) || typeof l.href !== 'string' || typeof l.rel !== 'string') {
      throw bad(`${what}[${i}] must be {href: string, rel: string}`);
    }
    return { href: l.href, rel: l.rel };
  });
}

function listOf(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(`${what} must be an array`);
  return v;
}

function named(v: unknown, what: string): Json & { name: string } {
  if (!isObject(v) || typeof v.name !== 'string' || v.name === '') {
    throw bad(`${what} must be an object with a non-empty string "name"`);
  }
  return v as Json & { name: string };
}

/**
 * Validates a registration body as the real server decodes it, plus a required name.
 * Refuses (400) a non-object, a missing name, ill-typed fields, and pack links with reserved rels.
 *
 * @param body - the parsed JSON body.
 * @returns a normalized copy of the registration.
 * @example
 * validateRegistration({ name: 'Slack', links: [{ href: 'x', rel: 'self' }] }); // throws ModelError(400)
 */
export function validateRegistration(body: unknown): PackRegistration {
  if (!isObject(body)) throw bad('the pack registration must be a JSON object');
  const { name } = named(body, 'the pack registration');
  const labels = labelsOf(body.labels, 'labels');
  const commands = listOf(body.commands, 'commands').map((c, i) => {
    const cmd = named(c, `commands[${i}]`);
    const events = listOf(cmd.events, `commands[${i}].events`);
    if (events.some((e) => typeof e !== 'string'))
      throw bad(`commands[${i}].events must be strings`);
    const links = linksOf(cmd.links, `commands[${i}].links`);
    return { name: cmd.name, events: events as string[], ...(links ? { links } : {}) };
  });
  const events = listOf(body.events, 'events').map((e, i) => {
    const ev = named(e, `events[${i}]`);
    const links = linksOf(ev.links, `events[${i}].links`);
    return { name: ev.name, ...(links ? { links } : {}) };
  });
  const links = linksOf(body.links, 'links');
  const reserved = (links ?? []).find((l) => RESERVED_REL.test(l.rel));
  if (reserved) {
    throw bad(
      `you can't use the rel "${reserved.rel}": it collides with flyte's own links (flyte refuses any pack link rel containing "up" or "self", or ending in /actionResult, /takeAction or /event)`,
    );
  }
  return { name, labels, commands, events, ...(links ? { links } : {}) };
}

/**
 * Validates an event (a result or a spontaneous event): a non-empty `event` name (stricter than
 * flyte, which accepts an empty one), any JSON `payload`, an optional RFC 3339 `createdAt`.
 *
 * @example
 * validateEvent({ event: 'Sent', createdAt: 'yesterday' }); // throws ModelError(400)
 */
export function validateEvent(e: unknown): EventInput {
  if (!isObject(e)) throw bad('the event must be a JSON object');
  if (typeof e.event !== 'string' || e.event === '')
    throw bad('"event" must be a non-empty string');
  if (e.createdAt !== undefined && e.createdAt !== null && !isRfc3339(e.createdAt)) {
    throw bad(`"createdAt" must be an RFC 3339 date-time, got ${JSON.stringify(e.createdAt)}`);
  }
  const createdAt = isRfc3339(e.createdAt) ? { createdAt: e.createdAt } : {};
  return { event: e.event, payload: cloneJson(e.payload, 'payload'), ...createdAt };
}

/**
 * Validates the fields of a new action: non-empty `packName` and `command`, string labels.
 *
 * @example
 * validateActionInput({ packName: 'Slack' }); // throws ModelError(400): "command" ...
 */
export function validateActionInput(
  a: unknown,
): Required<Pick<ActionInput, 'packName' | 'packLabels' | 'command'>> & ActionInput {
  if (!isObject(a)) throw bad('the action must be a JSON object');
  for (const field of ['packName', 'command']) {
    if (typeof a[field] !== 'string' || a[field] === '') {
      throw bad(`"${field}" must be a non-empty string`);
    }
  }
  const flow: Record<string, string> = {};
  for (const field of ['flowName', 'correlationId', 'stepId']) {
    if (a[field] === undefined) continue;
    if (typeof a[field] !== 'string' || a[field] === '') {
      throw bad(`"${field}" must be a non-empty string when given`);
    }
    flow[field] = a[field];
  }
  return {
    packName: a.packName as string,
    packLabels: labelsOf(a.packLabels, 'packLabels'),
    command: a.command as string,
    input: cloneJson(a.input, 'input'),
    ...flow,
  };
}
