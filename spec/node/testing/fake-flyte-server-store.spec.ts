// Store time, take races and bare 500s, in plain fetch against a real server.
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { link, post, register, take, useServer } from './fake-server-helpers.js';

describe('FakeFlyteServer (store time and take races)', () => {
  let delays: { ms: number; release: () => void }[];
  let onDelay: () => void;
  const server = useServer({
    storeLatencyMs: 2,
    delay: (ms) =>
      new Promise<void>((release) => {
        delays.push({ ms, release });
        onDelay();
      }),
  });

  beforeEach(() => {
    delays = [];
    onDelay = () => undefined;
  });

  /** Resolves once `n` store operations are being held. */
  const held = (n: number) =>
    new Promise<void>((resolve) => {
      onDelay = () => delays.length >= n && resolve();
      onDelay();
    });
  const releaseAll = () => delays.splice(0).forEach((d) => d.release());

  it('two overlapping takes of one NEW action: one 200, one empty 500, the action PENDING once, one race', async () => {
    const { pack } = await register(server().url);
    const { id } = server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    const takes = [take(pack), take(pack)];
    await held(2); // both read the same candidate and wait on the store
    expect(delays.map((d) => d.ms)).toEqual([2, 2]);
    expect(server().action(id)?.state).toBe('NEW');
    releaseAll();
    const answers = await Promise.all(takes);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 500]);
    expect(answers.find((a) => a.status === 500)?.action).toBeUndefined();
    expect(
      server()
        .action(id)
        ?.history.map((h) => h.state),
    ).toEqual(['NEW', 'PENDING']);
    const lost = server()
      .requests()
      .find((r) => r.status === 500);
    expect(lost).toEqual(jasmine.objectContaining({ endpoint: 'take', race: true }));
    const stats = (await (await fetch(`${server().url}/_fake/stats`)).json()) as Record<
      string,
      { count: number; statuses: Record<string, number>; races: number }
    >;
    expect(stats.take).toEqual(
      jasmine.objectContaining({ count: 2, statuses: { 200: 1, 500: 1 }, races: 1 }),
    );
  });

  it('answers the loser of a race with an empty body over the wire', async () => {
    const { pack } = await register(server().url);
    server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    const takeUrl = link(pack.links, 'takeAction').href;
    const responses = [post(takeUrl), post(takeUrl)];
    await held(2);
    releaseAll();
    const lost = (await Promise.all(responses)).find((r) => r.status === 500)!;
    expect(lost.headers.get('content-length')).toBe('0');
    expect(await lost.text()).toBe('');
  });

  it('a take with nothing waiting answers 204 without waiting on the store', async () => {
    const { pack } = await register(server().url);
    expect((await take(pack)).status).toBe(204);
    expect(delays).toEqual([]);
  });

  it('a result reads, waits, updates only while PENDING, then waits for the flow before its 202', async () => {
    const { pack } = await register(server().url);
    const { id } = server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    const pending = take(pack);
    await held(1);
    releaseAll();
    const resultUrl = link((await pending).action!.links, 'actionResult').href;
    const first = post(resultUrl, { event: 'RotaRetrieved' });
    const second = post(resultUrl, { event: 'Other' });
    await held(2); // both read a PENDING action
    releaseAll();
    await held(1); // the winner does the flow's work; the loser answered already
    expect(server().action(id)?.state).toBe('SUCCESS');
    const loser = await second;
    expect(loser.status).toBe(500);
    expect(await loser.text()).toBe('');
    releaseAll();
    expect((await first).status).toBe(202);
    expect(server().action(id)?.result?.event).toBe('RotaRetrieved');
  });

  it('setFaults({ storeLatencyMs: 0 }) makes every operation atomic again, until cleared', async () => {
    const { pack } = await register(server().url);
    delays = [];
    server().setFaults({ storeLatencyMs: 0 });
    server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    expect((await take(pack)).status).toBe(200);
    expect(delays).toEqual([]);
    server().clearFaults();
    server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    const again = take(pack);
    await held(1);
    releaseAll();
    expect((await again).status).toBe(200);
  });
});

describe('FakeFlyteServer (store time on real timers)', () => {
  const server = useServer({ storeLatencyMs: 2 });

  it('never hands one action out twice, and counts every empty 500 as a race', async () => {
    const { pack } = await register(server().url);
    for (let i = 0; i < 5; i++) server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    const answers = await Promise.all(Array.from({ length: 12 }, () => take(pack)));
    const taken = answers.filter((a) => a.status === 200).map((a) => a.action?.links[0].href);
    expect(taken.length).toBeGreaterThan(0);
    expect(new Set(taken).size).toBe(taken.length);
    expect(
      server()
        .actions()
        .filter((a) => a.state === 'PENDING').length,
    ).toBe(taken.length);
    expect(answers.every((a) => [200, 204, 500].includes(a.status))).toBe(true);
    const races = server()
      .requests()
      .filter((r) => r.race).length;
    expect(races).toBe(answers.filter((a) => a.status === 500).length);
    expect(server().stats().take?.races).toBe(races);
  });

  it('storeLatencyMs 0 (the default) keeps a take atomic', async () => {
    const atomic = new FakeFlyteServer();
    await atomic.start();
    try {
      const { pack } = await register(atomic.url);
      atomic.enqueueAction({ packName: 'Slack', command: 'Rota' });
      const statuses = (await Promise.all([take(pack), take(pack)])).map((a) => a.status).sort();
      expect(statuses).toEqual([200, 204]);
    } finally {
      await atomic.close();
    }
  });
});

describe('FakeFlyteServer (bare 500s)', () => {
  const server = useServer();

  it('answers an injected error with an empty body by default', async () => {
    server().setFaults({ errorRate: 1, endpoints: ['discover'] });
    const res = await fetch(`${server().url}/v1`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-length')).toBe('0');
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('errorBody sets the body; errorStatus the status; retryAfter a Retry-After header', async () => {
    server().setFaults({ errorRate: 1, errorStatus: 429, retryAfter: 7, errorBody: 'slow down' });
    const res = await fetch(`${server().url}/v1`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('slow down');
    expect(server().requests().at(-1)).toEqual(
      jasmine.objectContaining({ status: 429, fault: 'error' }),
    );
  });

  for (const status of [502, 503, 504]) {
    it(`errorStatus ${status} answers ${status}, bare, and changes nothing`, async () => {
      const { pack } = await register(server().url);
      const { id } = server().enqueueAction({ packName: 'Slack', command: 'Rota' });
      server().setFaults({ errorRate: 1, errorStatus: status, retryAfter: 1 });
      const res = await post(link(pack.links, 'takeAction').href);
      expect([res.status, res.headers.get('retry-after'), await res.text()]).toEqual([
        status,
        '1',
        '',
      ]);
      expect(server().action(id)?.state).toBe('NEW');
    });
  }

  it('answers a result for an action that is no longer PENDING with an empty 500, as flyte does', async () => {
    const { pack } = await register(server().url);
    server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    const resultUrl = link((await take(pack)).action!.links, 'actionResult').href;
    expect((await post(resultUrl, { event: 'RotaRetrieved' })).status).toBe(202);
    const again = await post(resultUrl, { event: 'RotaRetrieved' });
    expect(again.status).toBe(500);
    expect(await again.text()).toBe('');
    expect(server().requests().at(-1)?.detail).toMatch(/not PENDING/);
  });

  it('refuses invalid error settings', () => {
    expect(() => server().setFaults({ errorStatus: 200 })).toThrowError(/errorStatus/);
    expect(() => server().setFaults({ retryAfter: -1 })).toThrowError(/retryAfter/);
    expect(() => server().setFaults({ errorBody: 3 as never })).toThrowError(/errorBody/);
    expect(() => server().setFaults({ storeLatencyMs: -1 })).toThrowError(/storeLatencyMs/);
  });
});
