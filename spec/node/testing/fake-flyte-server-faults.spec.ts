// Auth, fault injection and the server's life cycle, in plain fetch against a real server.
import { link, post, register, take, useServer } from './fake-server-helpers.js';

describe('FakeFlyteServer (auth, faults, life cycle)', () => {
  let delays: { ms: number; release: () => void }[];
  const server = useServer({
    delay: (ms) => new Promise<void>((release) => delays.push({ ms, release })),
  });

  beforeEach(() => {
    delays = [];
  });

  async function registeredWithAction() {
    const { pack } = await register(server().url);
    const queued = server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    return { pack, id: queued.id, takeUrl: link(pack.links, 'takeAction').href };
  }

  describe('auth', () => {
    it('answers 401 with WWW-Authenticate to a missing or wrong token, and serves the right one', async () => {
      server().requireToken('s3cret-token');
      const v1 = `${server().url}/v1`;
      const missing = await fetch(v1);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="token"');
      const wrong = await fetch(v1, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toBe(
        'Bearer realm="token", error="invalid_token"',
      );
      expect((await fetch(v1, { headers: { authorization: 'Bearer s3cret-token' } })).status).toBe(
        200,
      );
      server().requireToken(null);
      expect((await fetch(v1)).status).toBe(200);
    });

    it('never needs a token for preflights nor /_fake/*, and logs outcomes without token values', async () => {
      server().requireToken('s3cret-token');
      expect((await fetch(`${server().url}/v1`, { method: 'OPTIONS' })).status).toBe(204);
      expect((await fetch(`${server().url}/_fake/actions`)).status).toBe(200);
      await fetch(`${server().url}/v1`);
      await fetch(`${server().url}/v1`, { headers: { authorization: 'Bearer wrong' } });
      await fetch(`${server().url}/v1`, { headers: { authorization: 'Bearer s3cret-token' } });
      const log = server().requests();
      expect(log.map((r) => [r.hasAuthorization, r.authorization, r.status])).toEqual([
        [false, 'absent', 401],
        [true, 'unmatched', 401],
        [true, 'matched', 200],
      ]);
      expect(JSON.stringify(log)).not.toContain('s3cret-token');
      expect(JSON.stringify(log)).not.toContain('wrong');
    });
  });

  describe('faults', () => {
    it('errorRate answers 500 without touching state', async () => {
      const { id, takeUrl } = await registeredWithAction();
      server().setFaults({ errorRate: 1 });
      expect((await post(takeUrl)).status).toBe(500);
      expect(server().action(id)?.state).toBe('NEW');
      expect(server().requests().at(-1)?.fault).toBe('error');
    });

    it('dropRate with dropWhen "before" drops the connection without touching state', async () => {
      const { id, takeUrl } = await registeredWithAction();
      server().setFaults({ dropRate: 1 });
      await expectAsync(post(takeUrl)).toBeRejected();
      expect(server().action(id)?.state).toBe('NEW');
      expect(server().requests().at(-1)).toEqual(
        jasmine.objectContaining({ fault: 'drop-before', status: null }),
      );
    });

    it('dropWhen "after" applies the take, then loses the response: the action is stuck PENDING', async () => {
      const { id, takeUrl } = await registeredWithAction();
      server().setFaults({ dropRate: 1, dropWhen: 'after' });
      await expectAsync(post(takeUrl)).toBeRejected();
      expect(server().action(id)?.state).toBe('PENDING');
      expect(server().requests().at(-1)).toEqual(
        jasmine.objectContaining({ fault: 'drop-after', status: 200 }),
      );
    });

    it('names, in GET /_fake/stats, the actions whose take answer was lost after it acted, and only those', async () => {
      const { pack } = await register(server().url);
      const takeUrl = link(pack.links, 'takeAction').href;
      const ids = [0, 1, 2].map(
        () => server().enqueueAction({ packName: 'Slack', command: 'Rota' }).id,
      );
      server().setFaults({ dropRate: 1, dropWhen: 'before' });
      await expectAsync(post(takeUrl)).toBeRejected(); // nothing handed out
      server().setFaults({ dropRate: 1, dropWhen: 'after' });
      await expectAsync(post(takeUrl)).toBeRejected(); // ids[0] handed out, answer lost
      server().setFaults({});
      expect((await post(takeUrl)).status).toBe(200); // ids[1] handed out and answered
      server().setFaults({ body: { mode: 'truncated' }, endpoints: ['take'] });
      await expectAsync(post(takeUrl).then((r) => r.text())).toBeRejected(); // ids[2], cut off
      server().setFaults({ dropRate: 1, dropWhen: 'after' });
      await expectAsync(post(takeUrl)).toBeRejected(); // a 204 lost: nothing handed out

      const stats = (await (await fetch(`${server().url}/_fake/stats`)).json()) as Record<
        string,
        { lostTakes?: string[] }
      >;
      expect(stats['take']?.lostTakes).toEqual([ids[0], ids[2]]);
      expect(server().stats().take?.lostTakes).toEqual([ids[0], ids[2]]);
      expect(stats['register']?.lostTakes).toBeUndefined();
      expect(ids.map((id) => server().action(id)?.state)).toEqual([
        'PENDING',
        'PENDING',
        'PENDING',
      ]);
    });

    it('dropWhen "hang" applies the take and never answers until the client gives up', async () => {
      const { id, takeUrl } = await registeredWithAction();
      server().setFaults({ dropRate: 1, dropWhen: 'hang' });
      const controller = new AbortController();
      const pending = fetch(takeUrl, { method: 'POST', signal: controller.signal }).then(
        () => 'answered',
        (e: Error) => e.name,
      );
      await server().waitFor((s) => s.requests().some((r) => r.fault === 'hang'));
      expect(server().action(id)?.state).toBe('PENDING');
      controller.abort();
      expect(await pending).toBe('AbortError');
    });

    it('latencyMs delays the request before it touches state', async () => {
      const { id, takeUrl } = await registeredWithAction();
      server().setFaults({ latencyMs: 250, endpoints: ['take'] });
      const pending = post(takeUrl);
      await server().waitFor((s) => s.requests().some((r) => r.latencyMs === 250));
      expect(delays.map((d) => d.ms)).toEqual([250]);
      expect((await fetch(`${server().url}/v1`)).status)
        .withContext('other endpoints are not delayed')
        .toBe(200);
      expect(server().action(id)?.state).toBe('NEW');
      delays[0].release();
      expect((await pending).status).toBe(200);
      expect(server().action(id)?.state).toBe('PENDING');
    });

    it('faults only the listed endpoints', async () => {
      const { pack, takeUrl } = await registeredWithAction();
      server().setFaults({ errorRate: 1, endpoints: ['take'] });
      expect((await fetch(`${server().url}/v1`)).status).toBe(200);
      expect((await post(link(pack.links, 'event').href, { event: 'E' })).status).toBe(202);
      expect((await post(takeUrl)).status).toBe(500);
    });

    it('replays the same faults for the same seed', async () => {
      const { pack } = await register(server().url);
      const run = async () => {
        server().setFaults({ errorRate: 0.5, seed: 42, endpoints: ['take'] });
        const statuses: number[] = [];
        for (let i = 0; i < 16; i++) statuses.push((await take(pack)).status);
        return statuses;
      };
      const first = await run();
      expect(await run()).toEqual(first);
      expect(first).toContain(500);
      expect(first).toContain(204);
    });

    it('clearFaults and reset remove faults; setFaults refuses an invalid configuration', async () => {
      server().setFaults({ errorRate: 1 });
      server().clearFaults();
      expect((await fetch(`${server().url}/v1`)).status).toBe(200);
      server().setFaults({ errorRate: 1 });
      server().reset();
      expect((await fetch(`${server().url}/v1`)).status).toBe(200);
      expect(() => server().setFaults({ errorRate: 2 })).toThrowError(/errorRate/);
    });
  });

  describe('life cycle', () => {
    it('restart keeps state and port', async () => {
      const { pack } = await register(server().url);
      const url = server().url;
      server().enqueueAction({ packName: 'Slack', command: 'Rota', input: 'kept' });
      await server().restart();
      expect(server().url).toBe(url);
      expect((await take(pack)).action?.input).toBe('kept');
    });

    it('refuses connections while closed and serves again after start', async () => {
      const url = server().url;
      await server().close();
      await expectAsync(fetch(`${url}/v1`)).toBeRejected();
      await server().start();
      expect((await fetch(`${url}/v1`)).status).toBe(200);
    });

    it('close ends keep-alive and hung connections so the process can exit', async () => {
      const { takeUrl } = await registeredWithAction();
      expect((await fetch(`${server().url}/v1`)).status).toBe(200); // leaves a keep-alive socket
      server().setFaults({ dropRate: 1, dropWhen: 'hang' });
      const hung = post(takeUrl).then(
        () => 'answered',
        () => 'connection closed',
      );
      await server().waitFor((s) => s.requests().some((r) => r.fault === 'hang'));
      await server().close();
      expect(await hung).toBe('connection closed');
    });
  });
});
