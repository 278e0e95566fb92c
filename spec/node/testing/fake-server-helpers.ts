// Plain-fetch helpers for the fake flyte server specs: they speak HTTP by hand, so a broken
// row of the contract shows up here and not hidden behind the SDK's client.
import type { Link } from '../../../lib/model/wire-types.js';
import {
  FakeFlyteServer,
  type FakeFlyteServerOptions,
} from '../../../lib/testing/fake-flyte-server.js';

export const SLACK = {
  name: 'Slack',
  labels: { env: 'prod' },
  commands: [
    {
      name: 'SendMessage',
      events: ['MessageSent'],
      links: [{ href: 'https://docs/send', rel: 'help' }],
    },
    { name: 'Rota', events: ['RotaRetrieved'] },
  ],
  events: [{ name: 'MessageSent' }, { name: 'RotaRetrieved' }, { name: 'ReceivedMessage' }],
  links: [{ href: 'https://github.com/org/slack-pack', rel: 'help' }],
};

/** A started server, closed after each spec of the calling describe. */
export function useServer(options: FakeFlyteServerOptions = {}): () => FakeFlyteServer {
  let server: FakeFlyteServer;
  beforeEach(async () => {
    server = new FakeFlyteServer(options);
    await server.start();
  });
  afterEach(async () => {
    await server.close();
  });
  return () => server;
}

/** The link whose rel ends with `suffix` (fails the spec when there is none). */
export function link(links: readonly Link[], suffix: string): Link {
  const found = links.find((l) => l.rel.endsWith(suffix));
  if (!found) throw new Error(`no link with rel ending "${suffix}" in ${JSON.stringify(links)}`);
  return found;
}

/** POST with a JSON body (a string body is sent as it is). */
export function post(
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** Discovers `GET {url}/v1` and registers the pack through the packs link. */
export async function register(
  url: string,
  body: unknown = SLACK,
): Promise<{ response: Response; pack: { id: string; links: Link[]; [k: string]: unknown } }> {
  const root = (await (await fetch(`${url}/v1`)).json()) as { links: Link[] };
  const response = await post(link(root.links, 'pack/listPacks').href, body);
  return { response, pack: response.status === 201 ? await response.json() : undefined };
}

/** Takes through the pack's take-action link; answers the status and the action document, if any. */
export async function take(
  pack: { links: Link[] },
  query = '',
): Promise<{ status: number; action?: { command: string; input: unknown; links: Link[] } }> {
  const response = await post(link(pack.links, 'takeAction').href + query);
  const text = await response.text();
  return {
    status: response.status,
    ...(text && response.status === 200 && { action: JSON.parse(text) }),
  };
}
