import type { Link, PackRegistration } from './wire-types.js';
import type { EventDef, PackDef } from './definitions.js';

type EventEntry = { readonly name: string; readonly links?: readonly Link[] };

/**
 * Maps a (valid) pack definition to the registration body the server reads
 * (`POST <packs link>`), exactly as the contract describes it:
 * - `labels` are the definition's labels with `labels` merged over them; omitted when empty;
 * - each command becomes `{ name, events: [output event names], links? }`;
 * - `events` is the de-duplicated union (by name, in order of first appearance) of every
 *   command's output events followed by the spontaneous events; the first help URL given for
 *   a name wins;
 * - help URLs become links with rel `help` at pack, command and event level; `links` is
 *   omitted wherever there is no help URL.
 *
 * `commands` and `events` are always present (possibly empty). Validate the definition first
 * (`validatePackDef`); this function does not check it.
 *
 * @param def - the pack definition.
 * @param labels - labels given besides the definition; they win over the definition's.
 * @returns the registration body.
 * @example
 * const body = toRegistration({ name: 'Slack', commands: [send], events: [received] }, { env: 'prod' });
 * api.register(root, body);
 */
export function toRegistration(
  def: PackDef,
  labels?: Readonly<Record<string, string>>,
): PackRegistration {
  const mergedLabels = { ...def.labels, ...labels };
  const commands = (def.commands ?? []).map((command) => ({
    name: command.name,
    events: command.outputEvents.map((e: EventDef) => e.name),
    ...helpLinks(command.helpUrl),
  }));
  const eventDefs = [...(def.commands ?? []).flatMap((c) => c.outputEvents), ...(def.events ?? [])];
  return {
    name: def.name,
    ...(Object.keys(mergedLabels).length ? { labels: mergedLabels } : {}),
    commands,
    events: unionOfEvents(eventDefs),
    ...helpLinks(def.helpUrl),
  };
}

function unionOfEvents(eventDefs: readonly EventDef[]): EventEntry[] {
  const helpUrls = new Map<string, string | undefined>();
  for (const { name, helpUrl } of eventDefs) {
    if (!helpUrls.has(name) || helpUrls.get(name) === undefined) helpUrls.set(name, helpUrl);
  }
  return [...helpUrls].map(([name, helpUrl]) => ({ name, ...helpLinks(helpUrl) }));
}

function helpLinks(helpUrl: string | undefined): { links?: readonly Link[] } {
  return helpUrl ? { links: [{ href: helpUrl, rel: 'help' }] } : {};
}
