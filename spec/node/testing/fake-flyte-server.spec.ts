// One spec per row of /work/shared/flyte-api-contract.md, in plain fetch against a real
// loopback FakeFlyteServer: each fails when the fake stops behaving like flyte on that row.
import { connect } from 'node:net';
import type { Link } from '../../../lib/model/wire-types.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { FlyteModel } from '../../../lib/testing/flyte-model.js';
import { link, post, register, SLACK, take, useServer } from './fake-server-helpers.js';

const JSON_TYPE = 'application/json; charset=utf-8';

describe('FakeFlyteServer (flyte API contract)', () => {
  const server = useServer();

  describe('discovery', () => {
    it('GET /v1 answers every link with absolute doc-URL rels', async () => {
      const base = server().url;
      const response = await fetch(`${base}/v1`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(JSON_TYPE);
      const { links } = (await response.json()) as { links: Link[] };
      expect(links).toEqual([
        { href: `${base}/v1`, rel: 'self' },
        { href: `${base}/`, rel: 'up' },
        { href: `${base}/swagger#!/info/v1`, rel: 'help' },
        { href: `${base}/health`, rel: `${base}/swagger#!/info/health` },
        { href: `${base}/v1/packs`, rel: `${base}/swagger#!/pack/listPacks` },
        { href: `${base}/v1/flows`, rel: `${base}/swagger#!/flow/listFlows` },
        { href: `${base}/v1/datastore`, rel: `${base}/swagger#!/datastore/listDatastoreItems` },
        { href: `${base}/v1/audit/flows`, rel: `${base}/swagger#!/flowAudit/findFlows` },
        { href: `${base}/v1/swagger`, rel: `${base}/swagger` },
      ]);
    });

    it('GET / answers the index with a link to v1', async () => {
      const base = server().url;
      const { links } = (await (await fetch(`${base}/`)).json()) as { links: Link[] };
      expect(links).toContain({ href: `${base}/v1`, rel: `${base}/swagger#!/info/v1` });
      expect(links).toContain({ href: `${base}/`, rel: 'self' });
    });

    it('needs no path prefix by default, and serves under one when configured', async () => {
      expect((await fetch(`${server().url}/v1`)).status).toBe(200);
      const prefixed = new FakeFlyteServer({ pathPrefix: '/flyte' });
      await prefixed.start();
      try {
        expect(prefixed.url).toMatch(/\/flyte$/);
        const { links } = (await (await fetch(`${prefixed.url}/v1`)).json()) as { links: Link[] };
        expect(link(links, 'pack/listPacks').href).toBe(`${prefixed.url}/v1/packs`);
        expect((await fetch(new URL('/v1', prefixed.url))).status).toBe(404);
        expect((await register(prefixed.url)).response.status).toBe(201);
      } finally {
        await prefixed.close();
      }
    });
  });

  describe('register', () => {
    it('answers 201, Location and the pack with id, lastSeen, status and links', async () => {
      const base = server().url;
      const { response, pack } = await register(base);
      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe(`${base}/v1/packs/Slack.env.prod`);
      expect(response.headers.get('content-type')).toBe(JSON_TYPE);
      expect(pack).toEqual(
        jasmine.objectContaining({
          id: 'Slack.env.prod',
          name: 'Slack',
          labels: { env: 'prod' },
          status: 'live',
        }),
      );
      expect(Date.parse(pack.lastSeen as string)).not.toBeNaN();
      expect(pack.events).toEqual(SLACK.events);
      expect(pack.links).toEqual([
        { href: 'https://github.com/org/slack-pack', rel: 'help' },
        { href: `${base}/v1/packs/Slack.env.prod`, rel: 'self' },
        { href: `${base}/v1/packs`, rel: 'up' },
        {
          href: `${base}/v1/packs/Slack.env.prod/actions/take`,
          rel: `${base}/swagger#!/action/takeAction`,
        },
        { href: `${base}/v1/packs/Slack.env.prod/events`, rel: `${base}/swagger#/event` },
      ]);
    });

    it("gives each command a take-action link with ?commandName= (replacing the command's links, as flyte does)", async () => {
      const base = server().url;
      const { pack } = await register(base);
      const commands = pack.commands as { name: string; events: string[]; links: Link[] }[];
      expect(commands.map((c) => [c.name, c.events, c.links])).toEqual([
        [
          'SendMessage',
          ['MessageSent'],
          [
            {
              href: `${base}/v1/packs/Slack.env.prod/actions/take?commandName=SendMessage`,
              rel: `${base}/swagger#!/action/takeAction`,
            },
          ],
        ],
        [
          'Rota',
          ['RotaRetrieved'],
          [
            {
              href: `${base}/v1/packs/Slack.env.prod/actions/take?commandName=Rota`,
              rel: `${base}/swagger#!/action/takeAction`,
            },
          ],
        ],
      ]);
    });

    it('answers 400 to a body that is not JSON, and stores nothing', async () => {
      for (const body of ['{not json', '', '"just a string"', '[]']) {
        const response = await post(`${server().url}/v1/packs`, body);
        expect(response.status).withContext(JSON.stringify(body)).toBe(400);
      }
      expect(server().packs()).toEqual([]);
    });

    it('answers 400 to a pack link using each of the rels flyte keeps for itself', async () => {
      const rels = [
        'up',
        'self',
        'http://x/swagger#/actionResult',
        'http://x/swagger#!/action/takeAction',
        'http://x/swagger#/event',
      ];
      for (const rel of rels) {
        const response = await post(`${server().url}/v1/packs`, {
          name: 'P',
          links: [{ href: 'https://h', rel }],
        });
        expect(response.status).withContext(rel).toBe(400);
      }
      expect(server().packs()).toEqual([]);
    });

    it('derives the id from name and labels in sorted key order', async () => {
      const { pack, response } = await register(server().url, {
        name: 'P',
        labels: { zone: 'b', app: 'a' },
      });
      expect(pack.id).toBe('P.app.a.zone.b');
      expect(response.headers.get('location')).toMatch(/\/v1\/packs\/P\.app\.a\.zone\.b$/);
    });

    it('replaces the pack registered again with the same name and labels, keeping its id', async () => {
      const first = await register(server().url);
      const again = await register(server().url, {
        ...SLACK,
        commands: [{ name: 'Only', events: [] }],
      });
      expect(again.response.status).toBe(201);
      expect(again.pack.id).toBe(first.pack.id);
      const stored = (await (await fetch(link(again.pack.links, 'self').href)).json()) as {
        commands: { name: string }[];
      };
      expect(stored.commands.map((c) => c.name)).toEqual(['Only']);
      expect(server().packs().length).toBe(1);
    });

    it('GET /v1/packs lists packs with only a self link; GET and DELETE /v1/packs/ID', async () => {
      const base = server().url;
      const { pack } = await register(base);
      const list = (await (await fetch(`${base}/v1/packs`)).json()) as {
        links: Link[];
        packs: { id: string; links: Link[] }[];
      };
      expect(list.links.map((l) => l.rel)).toEqual(['self', 'up', 'help']);
      expect(list.packs.map((p) => [p.id, p.links])).toEqual([
        [pack.id, [{ href: `${base}/v1/packs/Slack.env.prod`, rel: 'self' }]],
      ]);
      expect((await fetch(`${base}/v1/packs/Slack.env.prod`)).status).toBe(200);
      expect((await fetch(`${base}/v1/packs/Slack.env.prod`, { method: 'DELETE' })).status).toBe(
        204,
      );
      expect((await fetch(`${base}/v1/packs/Slack.env.prod`)).status).toBe(404);
      expect((await take(pack)).status).toBe(404);
    });
  });

  describe('lastSeen and status', () => {
    let clock: number;
    const clocked = useServer({ model: new FlyteModel({ now: () => clock }) });

    beforeEach(() => {
      clock = Date.parse('2024-05-01T10:00:00Z');
      clocked().model.reset();
    });

    it('reports live < 10 min, warning < 24 h, critical after; every take refreshes lastSeen', async () => {
      const { pack } = await register(clocked().url);
      const self = link(pack.links, 'self').href;
      const status = async () =>
        (await (await fetch(self)).json()) as { status: string; lastSeen: string };
      expect(pack.lastSeen).toBe('2024-05-01T10:00:00.000Z');
      clock += 10 * 60_000;
      expect((await status()).status).toBe('warning');
      expect((await take(pack)).status).toBe(204);
      expect(await status()).toEqual(
        jasmine.objectContaining({ status: 'live', lastSeen: '2024-05-01T10:10:00.000Z' }),
      );
      clock += 24 * 60 * 60_000;
      expect((await status()).status).toBe('critical');
    });
  });

  describe('take', () => {
    it('answers 200 with command, input and the actionResult link, moving the action to PENDING', async () => {
      const base = server().url;
      const { pack } = await register(base);
      const queued = server().enqueueAction({
        packName: 'Slack',
        command: 'Rota',
        input: { team: 'a' },
      });
      const { status, action } = await take(pack);
      expect(status).toBe(200);
      expect(action).toEqual({
        command: 'Rota',
        input: { team: 'a' },
        links: [
          {
            href: `${base}/v1/packs/Slack.env.prod/actions/${queued.id}/result`,
            rel: `${base}/swagger#/actionResult`,
          },
        ],
      });
      expect(server().action(queued.id)?.state).toBe('PENDING');
      expect(server().action(queued.id)?.takenBy).toBe('Slack.env.prod');
    });

    it('sends input as flyte does: any JSON, and null when the step gave none', async () => {
      const { pack } = await register(server().url);
      for (const input of ['text', 42, [1, 2], undefined]) {
        server().enqueueAction({ packName: 'Slack', command: 'Rota', input });
        expect((await take(pack)).action?.input)
          .withContext(String(input))
          .toEqual(input ?? null);
      }
    });

    it('answers 204 with an empty body when nothing waits', async () => {
      const { pack } = await register(server().url);
      const response = await post(link(pack.links, 'takeAction').href);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
    });

    it('answers 404 to an unknown pack id', async () => {
      const response = await post(`${server().url}/v1/packs/Nobody/actions/take`);
      expect(response.status).toBe(404);
    });

    it('hands out the oldest NEW action first', async () => {
      const { pack } = await register(server().url);
      for (const input of [1, 2, 3])
        server().enqueueAction({ packName: 'Slack', command: 'Rota', input });
      const inputs = [];
      for (let i = 0; i < 3; i++) inputs.push((await take(pack)).action?.input);
      expect(inputs).toEqual([1, 2, 3]);
    });

    it("only hands out actions whose labels are all among the pack's", async () => {
      const { pack: prod } = await register(server().url);
      const { pack: dev } = await register(server().url, { ...SLACK, labels: { env: 'dev' } });
      server().enqueueAction({
        packName: 'Slack',
        packLabels: { env: 'prod' },
        command: 'Rota',
        input: 'prod only',
      });
      expect((await take(dev)).status).toBe(204);
      expect((await take(prod)).action?.input).toBe('prod only');
      server().enqueueAction({ packName: 'Slack', command: 'Rota', input: 'any label' });
      expect((await take(dev)).action?.input).toBe('any label');
    });

    it('filters on actionName (query or form body) and ignores the commandName of its own links', async () => {
      const { pack } = await register(server().url);
      const takeUrl = link(pack.links, 'takeAction').href;
      server().enqueueAction({ packName: 'Slack', command: 'SendMessage', input: 'send' });
      server().enqueueAction({ packName: 'Slack', command: 'Rota', input: 'rota 1' });
      server().enqueueAction({ packName: 'Slack', command: 'Rota', input: 'rota 2' });
      const rotaLink = (pack.commands as { links: Link[] }[])[1].links[0].href;
      expect(rotaLink).toContain('commandName=Rota');
      const ignored = await (await post(rotaLink)).json();
      expect(ignored.input)
        .withContext('commandName is ignored: the oldest action comes')
        .toBe('send');
      expect((await take(pack, '?actionName=Rota')).action?.input).toBe('rota 1');
      const form = await fetch(takeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'actionName=Rota',
      });
      expect((await form.json()).input).toBe('rota 2');
    });

    it('moves NEW to PENDING atomically: concurrent pollers never get the same action', async () => {
      const { pack } = await register(server().url);
      for (let i = 0; i < 20; i++)
        server().enqueueAction({ packName: 'Slack', command: 'Rota', input: i });
      const results = await Promise.all(Array.from({ length: 45 }, () => take(pack)));
      const ids = results.filter((r) => r.status === 200).map((r) => r.action?.links[0].href);
      expect(ids.length).toBe(20);
      expect(new Set(ids).size).toBe(20);
      expect(results.filter((r) => r.status === 204).length).toBe(25);
    });
  });

  describe('result', () => {
    async function taken(command = 'Rota') {
      const { pack } = await register(server().url);
      const queued = server().enqueueAction({ packName: 'Slack', command });
      const { action } = await take(pack);
      return { pack, id: queued.id, resultUrl: link(action!.links, 'actionResult').href };
    }

    it('answers 202 and completes the action with SUCCESS and the event', async () => {
      const { id, resultUrl } = await taken();
      const event = {
        event: 'RotaRetrieved',
        payload: { onCall: 'Ann' },
        createdAt: '2024-05-01T10:00:00Z',
      };
      const response = await post(resultUrl, event);
      expect(response.status).toBe(202);
      expect(server().action(id)?.state).toBe('SUCCESS');
      expect(server().action(id)?.result).toEqual(event);
    });

    it('marks the action FATAL when the event is named FATAL', async () => {
      const { id, resultUrl } = await taken();
      expect((await post(resultUrl, { event: 'FATAL', payload: 'boom' })).status).toBe(202);
      expect(server().action(id)?.state).toBe('FATAL');
    });

    it('answers 500 when the action is no longer PENDING (a retried result that did land)', async () => {
      const { id, resultUrl } = await taken();
      expect((await post(resultUrl, { event: 'RotaRetrieved' })).status).toBe(202);
      expect((await post(resultUrl, { event: 'Other' })).status).toBe(500);
      expect(server().action(id)?.result?.event).toBe('RotaRetrieved');
    });

    it('answers 404 to an unknown pack or action', async () => {
      const { resultUrl } = await taken();
      expect(
        (await post(resultUrl.replace('Slack.env.prod', 'Nobody'), { event: 'E' })).status,
      ).toBe(404);
      expect(
        (await post(resultUrl.replace(/action-\d+/, 'action-999'), { event: 'E' })).status,
      ).toBe(404);
    });

    it('answers 400 to a body that is not JSON, leaving the action PENDING', async () => {
      const { id, resultUrl } = await taken();
      expect((await post(resultUrl, '{oops')).status).toBe(400);
      expect((await post(resultUrl, { event: 'E', createdAt: 'not a date' })).status).toBe(400);
      expect(server().action(id)?.state).toBe('PENDING');
    });
  });

  describe('events', () => {
    it('answers 202 and records the event; 404 unknown pack; 400 bad JSON', async () => {
      const { pack } = await register(server().url);
      const eventUrl = link(pack.links, 'event').href;
      expect((await post(eventUrl, { event: 'ReceivedMessage', payload: 'hi' })).status).toBe(202);
      expect(
        (await post(eventUrl.replace('Slack.env.prod', 'Nobody'), { event: 'E' })).status,
      ).toBe(404);
      expect((await post(eventUrl, 'nope')).status).toBe(400);
      expect(
        server()
          .events()
          .map((e) => [e.packId, e.event, e.payload]),
      ).toEqual([['Slack.env.prod', 'ReceivedMessage', 'hi']]);
    });
  });

  describe('health', () => {
    it('answers 200 with an empty body, and 500 once made unhealthy', async () => {
      const { links } = (await (await fetch(`${server().url}/v1`)).json()) as { links: Link[] };
      const health = link(links, 'info/health').href;
      const ok = await fetch(health);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('');
      server().setHealthy(false);
      expect((await fetch(health)).status).toBe(500);
    });
  });

  describe('hrefs behind a proxy', () => {
    it('builds hrefs and rels from X-Forwarded-Proto and X-Forwarded-Host', async () => {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'proxy.example:8443' };
      const { links } = (await (await fetch(`${server().url}/v1`, { headers })).json()) as {
        links: Link[];
      };
      expect(link(links, 'pack/listPacks')).toEqual({
        href: 'https://proxy.example:8443/v1/packs',
        rel: 'https://proxy.example:8443/swagger#!/pack/listPacks',
      });
    });

    it('prefers X-Flyte-Host over X-Forwarded-Host, also in Location', async () => {
      const response = await post(`${server().url}/v1/packs`, SLACK, {
        'x-flyte-host': 'flyte.example',
        'x-forwarded-host': 'proxy.example',
      });
      expect(response.headers.get('location')).toBe('http://flyte.example/v1/packs/Slack.env.prod');
      expect(link((await response.json()).links, 'takeAction').href).toBe(
        'http://flyte.example/v1/packs/Slack.env.prod/actions/take',
      );
    });
  });

  describe('HTTP details', () => {
    it('answers CORS preflights for any route, and sends CORS headers on answers', async () => {
      server().requireToken('secret');
      const preflight = await fetch(`${server().url}/v1/packs/P/actions/take`, {
        method: 'OPTIONS',
        headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      const allowed = preflight.headers.get('access-control-allow-headers') ?? '';
      for (const h of [
        'Authorization',
        'Content-Type',
        'Accept',
        'X-Forwarded-Host',
        'X-Forwarded-Proto',
        'X-Flyte-Host',
      ]) {
        expect(allowed).toContain(h);
      }
      expect(preflight.headers.get('access-control-expose-headers')).toContain('Location');
      const refused = await fetch(`${server().url}/v1`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('labels JSON as YAML when the request accepts application/x-yaml', async () => {
      const response = await fetch(`${server().url}/v1`, {
        headers: { accept: 'application/x-yaml' },
      });
      expect(response.headers.get('content-type')).toBe('application/x-yaml; charset=utf-8');
      expect(JSON.parse(await response.text()).links.length).toBe(9);
    });

    // Flyte's Go server has no idle timeout: clients close idle connections first. A fake that
    // closed them after Node's default 5 s would race a client reusing one (ECONNRESET).
    it('keeps an idle keep-alive connection open past 5 s, and serves the next request on it', async () => {
      const socket = connect(server().port, '127.0.0.1').setEncoding('latin1');
      let closed = false;
      socket.on('close', () => (closed = true));
      // One answer (the health body is short: one chunk), or '' when the server closed instead.
      const ask = (): Promise<string> =>
        new Promise((resolve) => {
          const onData = (chunk: string): void => {
            socket.off('close', onClose);
            resolve(chunk);
          };
          const onClose = (): void => {
            socket.off('data', onData);
            resolve('');
          };
          socket.once('data', onData).once('close', onClose);
          socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        });
      await new Promise((resolve) => socket.once('connect', resolve));
      const first = await ask();
      expect(first).toMatch(/^HTTP\/1\.1 200 /);
      expect(first).not.toMatch(/keep-alive: timeout=/i);
      await new Promise((resolve) => setTimeout(resolve, 5500));
      expect(closed).withContext('closed by the server while idle').toBeFalse();
      expect(await ask()).toMatch(/^HTTP\/1\.1 200 /);
      socket.destroy();
    }, 10_000);

    it('answers 404 to unknown paths and 405 (with Allow) to a wrong method', async () => {
      expect((await fetch(`${server().url}/v2`)).status).toBe(404);
      const wrong = await fetch(`${server().url}/v1/packs/P/actions/take`);
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST');
    });
  });
});
