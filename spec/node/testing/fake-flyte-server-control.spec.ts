// The HTTP control surface (/_fake/*) and the programmatic waits, in plain fetch.
import type { ActionRecord } from '../../../lib/testing/flyte-model-types.js';
import { link, post, register, take, useServer } from './fake-server-helpers.js';

describe('FakeFlyteServer (control)', () => {
  const server = useServer();
  const control = (path: string) => `${server().url}/_fake/${path}`;

  it('POST /_fake/actions enqueues (201) and refuses an incomplete action (400)', async () => {
    const response = await post(control('actions'), {
      packName: 'Slack',
      packLabels: { env: 'prod' },
      command: 'Rota',
      input: 7,
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as ActionRecord;
    expect(created).toEqual(
      jasmine.objectContaining({
        packName: 'Slack',
        packLabels: { env: 'prod' },
        command: 'Rota',
        input: 7,
        state: 'NEW',
      }),
    );
    expect(server().action(created.id)).toEqual(created);
    expect((await post(control('actions'), { packName: 'Slack' })).status).toBe(400);
    expect((await post(control('actions'), 'not json')).status).toBe(400);
  });

  it('GET /_fake/actions and /_fake/actions/:id show state history and result; 404 when unknown', async () => {
    const { pack } = await register(server().url);
    const { id } = server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    const { action } = await take(pack);
    await post(link(action!.links, 'actionResult').href, {
      event: 'RotaRetrieved',
      payload: 'Ann',
    });
    const list = (await (await fetch(control('actions'))).json()) as ActionRecord[];
    expect(list.map((a) => a.id)).toEqual([id]);
    const one = (await (await fetch(control(`actions/${id}`))).json()) as ActionRecord;
    expect(one.history.map((h) => h.state)).toEqual(['NEW', 'PENDING', 'SUCCESS']);
    expect(one.result).toEqual(
      jasmine.objectContaining({ event: 'RotaRetrieved', payload: 'Ann' }),
    );
    expect((await fetch(control('actions/action-999'))).status).toBe(404);
  });

  it('GET /_fake/events, /_fake/packs and /_fake/requests', async () => {
    const { pack } = await register(server().url);
    await post(link(pack.links, 'event').href, { event: 'ReceivedMessage', payload: 1 });
    const events = await (await fetch(control('events'))).json();
    expect(events.map((e: { event: string }) => e.event)).toEqual(['ReceivedMessage']);
    const packs = await (await fetch(control('packs'))).json();
    expect(packs.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      ['Slack.env.prod', 'live'],
    ]);
    const requests = await (await fetch(control('requests'))).json();
    expect(
      requests.map((r: { endpoint: string; status: number }) => [r.endpoint, r.status]),
    ).toEqual([
      ['discover', 200],
      ['register', 201],
      ['event', 202],
    ]);
  });

  it('DELETE /_fake/packs/:id forgets the pack (its take gets 404), 404 when unknown', async () => {
    const { pack } = await register(server().url);
    expect((await fetch(control('packs/Slack.env.prod'), { method: 'DELETE' })).status).toBe(204);
    expect((await take(pack)).status).toBe(404);
    expect((await fetch(control('packs/Slack.env.prod'), { method: 'DELETE' })).status).toBe(404);
  });

  it('POST /_fake/faults sets faults, DELETE clears them, invalid ones get 400; control routes are never faulted', async () => {
    expect((await post(control('faults'), { errorRate: 1 })).status).toBe(204);
    expect((await fetch(`${server().url}/v1`)).status).toBe(500);
    expect((await fetch(control('actions'))).status).toBe(200);
    expect((await fetch(control('faults'), { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${server().url}/v1`)).status).toBe(200);
    expect((await post(control('faults'), { dropWhen: 'sometimes' })).status).toBe(400);
  });

  it('POST /_fake/faults merges into the faults in effect; null removes one setting; PUT replaces them all', async () => {
    const faults = async () => (await fetch(control('faults'))).json();
    server().setFaults({ latencyMs: 200 }); // as `--latency-ms 200` does at start
    expect((await post(control('faults'), { errorRate: 0.2 })).status).toBe(204);
    expect(await faults()).toEqual({ seed: 1, latencyMs: 200, errorRate: 0.2 });
    await post(control('faults'), {});
    expect(await faults()).toEqual({ seed: 1, latencyMs: 200, errorRate: 0.2 });
    await post(control('faults'), { latencyMs: null, dropRate: 0.5 });
    expect(await faults()).toEqual({ seed: 1, errorRate: 0.2, dropRate: 0.5 });
    // what is merged is checked as a whole: a bad value changes nothing
    expect((await post(control('faults'), { errorRate: 2, latencyMs: 5 })).status).toBe(400);
    expect(await faults()).toEqual({ seed: 1, errorRate: 0.2, dropRate: 0.5 });
    const put = await fetch(control('faults'), {
      method: 'PUT',
      body: JSON.stringify({ endpoints: ['take'], errorRate: 1 }),
    });
    expect(put.status).toBe(204);
    expect(await faults()).toEqual({ seed: 1, endpoints: ['take'], errorRate: 1 });
    expect((await fetch(control('faults'), { method: 'DELETE' })).status).toBe(204);
    expect(await faults()).toEqual({ seed: 1 });
  });

  it('GET /_fake/faults shows the faults in effect with the seed; GET /_fake/health the health', async () => {
    expect(await (await fetch(control('faults'))).json()).toEqual({ seed: 1 });
    await post(control('faults'), { errorRate: 0.25, latencyMs: 40, endpoints: ['take'] });
    expect(await (await fetch(control('faults'))).json()).toEqual({
      seed: 1,
      errorRate: 0.25,
      latencyMs: 40,
      endpoints: ['take'],
    });
    await post(control('faults'), { dropRate: 0.5, seed: 42 });
    expect(await (await fetch(control('faults'))).json()).toEqual({
      seed: 42,
      errorRate: 0.25,
      latencyMs: 40,
      endpoints: ['take'],
      dropRate: 0.5,
    });
    expect(await (await fetch(control('health'))).json()).toEqual({ healthy: true });
    await post(control('health'), { healthy: false });
    expect(await (await fetch(control('health'))).json()).toEqual({ healthy: false });
  });

  it('serves the web console at /_fake/ui (and /_fake redirects there), without auth, faults or logging', async () => {
    await post(control('auth'), { token: 'tok' });
    await post(control('faults'), { errorRate: 1 });
    const page = await fetch(control('ui'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<script src="/_fake/ui/console.js" defer></script>');
    expect(html).toContain('<link rel="stylesheet" href="/_fake/ui/console.css">');
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN: it works offline
    const script = await fetch(control('ui/console.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await script.text();
    expect(() => new Function(source)).not.toThrow(); // it parses as JavaScript
    const style = await fetch(control('ui/console.css'));
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(control('ui/nothing.js'))).status).toBe(404);
    const root = await fetch(`${server().url}/_fake`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/_fake/ui');
    expect(server().requests()).toEqual([]);
  });

  it('POST /_fake/auth requires a token, null turns it off', async () => {
    expect((await post(control('auth'), { token: 'tok' })).status).toBe(204);
    expect((await fetch(`${server().url}/v1`)).status).toBe(401);
    expect((await post(control('auth'), { token: null })).status).toBe(204);
    expect((await fetch(`${server().url}/v1`)).status).toBe(200);
    expect((await post(control('auth'), { token: 3 })).status).toBe(400);
  });

  it('POST /_fake/health switches GET /health between 500 and 200', async () => {
    expect((await post(control('health'), { healthy: false })).status).toBe(204);
    expect((await fetch(`${server().url}/health`)).status).toBe(500);
    await post(control('health'), { healthy: true });
    expect((await fetch(`${server().url}/health`)).status).toBe(200);
  });

  it('POST /_fake/reset forgets state, faults, auth and the request log', async () => {
    await register(server().url);
    server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    server().setFaults({ errorRate: 1, endpoints: ['take'] });
    server().requireToken('tok');
    expect((await post(control('reset'))).status).toBe(204);
    expect([
      server().packs().length,
      server().actions().length,
      server().requests().length,
    ]).toEqual([0, 0, 0]);
    expect((await register(server().url)).response.status).toBe(201);
  });

  it('GET /_fake/wait answers once N actions have results, and 408 on timeout', async () => {
    const { pack } = await register(server().url);
    server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    const waiting = fetch(control('wait?results=1&timeoutMs=10000'));
    const { action } = await take(pack);
    await post(link(action!.links, 'actionResult').href, { event: 'RotaRetrieved' });
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ results: 1, taken: 1, events: 0 });
    const timedOut = await fetch(control('wait?results=2&timeoutMs=1'));
    expect(timedOut.status).toBe(408);
    expect((await fetch(control('wait?results=x'))).status).toBe(400);
  });

  it('waitForResults(n) and waitFor(predicate) resolve on the change that satisfies them', async () => {
    const { pack } = await register(server().url);
    server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    let done = false;
    const results = server()
      .waitForResults(1)
      .then(() => (done = true));
    const taken = server().waitFor((s) =>
      s.requests().some((r) => r.endpoint === 'take' && r.status === 200),
    );
    const { action } = await take(pack);
    await taken;
    expect(done).toBeFalse();
    await post(link(action!.links, 'actionResult').href, { event: 'RotaRetrieved' });
    await results;
    expect(done).toBeTrue();
  });

  it('answers 404 to unknown control routes', async () => {
    expect((await fetch(control('nothing'))).status).toBe(404);
    expect((await post(control('actions/x'))).status).toBe(404);
  });
});
