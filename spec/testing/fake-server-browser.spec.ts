// Runs in Node and in Chromium: reaches the shared fake flyte server with plain fetch, which in
// the browser proves CORS (preflights with Authorization and X-* headers, exposed headers).
import type { Link } from '../../lib/model/wire-types.js';
import type { FakeFlyteServerControl } from '../../lib/testing/fake-flyte-server-control.js';
import { fakeServerUrl } from '../support/fake-url.js';
import { freshFakeServer } from '../support/fresh-fake-server.js';

const byRel = (links: readonly Link[], suffix: string): string => {
  const found = links.find((l) => l.rel.endsWith(suffix));
  if (!found) throw new Error(`no link with rel ending "${suffix}"`);
  return found.href;
};

const postJson = (url: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

describe('the fake flyte server through fetch (Node and browser)', () => {
  let control: FakeFlyteServerControl;

  beforeEach(async () => {
    ({ control } = await freshFakeServer());
  });

  afterEach(async () => {
    await control.reset();
  });

  it('discovers, registers, takes an enqueued action and completes it', async () => {
    const root = (await (await fetch(`${fakeServerUrl()}/v1`)).json()) as { links: Link[] };
    const registered = await postJson(byRel(root.links, 'pack/listPacks'), {
      name: 'BrowserPack',
      commands: [{ name: 'Ping', events: ['Pong'] }],
      events: [{ name: 'Pong' }],
    });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('Location')).toMatch(/\/v1\/packs\/BrowserPack$/);
    const pack = (await registered.json()) as { links: Link[] };

    const { id } = await control.enqueueAction({
      packName: 'BrowserPack',
      command: 'Ping',
      input: { n: 1 },
    });
    const taken = await postJson(byRel(pack.links, 'takeAction'));
    expect(taken.status).toBe(200);
    const action = (await taken.json()) as { command: string; input: unknown; links: Link[] };
    expect([action.command, action.input]).toEqual(['Ping', { n: 1 }]);

    const done = await postJson(byRel(action.links, 'actionResult'), {
      event: 'Pong',
      payload: 'ok',
    });
    expect(done.status).toBe(202);
    await control.waitForResults(1);
    expect((await control.action(id))?.state).toBe('SUCCESS');
  });

  it('lets a page send Authorization and X-Flyte-Host and read WWW-Authenticate', async () => {
    await control.requireToken('browser-token');
    const refused = await fetch(`${fakeServerUrl()}/v1`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toBe('Bearer realm="token"');
    const served = await fetch(`${fakeServerUrl()}/v1`, {
      headers: { Authorization: 'Bearer browser-token', 'X-Flyte-Host': 'flyte.example' },
    });
    expect(served.status).toBe(200);
    const { links } = (await served.json()) as { links: Link[] };
    expect(byRel(links, 'pack/listPacks')).toBe('http://flyte.example/v1/packs');
  });
});
