// Faults of the proxies in front of flyte: redirects and broken bodies, over real HTTP
// (node:http where fetch would hide the wire: compression, Content-Length).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { link, post, register, take, useServer } from './fake-server-helpers.js';

/** A raw POST: status, headers and the bytes as sent (not decompressed); how it ended. */
function rawPost(
  url: string,
  maxBytes = Infinity,
): Promise<{ res: IncomingMessage; bytes: Buffer; ended: 'end' | 'aborted' | 'cut' }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (ended: 'end' | 'aborted' | 'cut') =>
        resolve({ res, bytes: Buffer.concat(chunks), ended });
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= maxBytes) {
          req.destroy();
          done('cut');
        }
      });
      res.on('end', () => done('end'));
      res.on('aborted', () => done('aborted'));
      res.on('error', () => done('aborted'));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('FakeFlyteServer (redirect faults)', () => {
  const server = useServer();

  for (const status of [301, 302, 303, 307, 308] as const) {
    it(`answers ${status} with the Location and an empty body, changing nothing`, async () => {
      const { pack } = await register(server().url);
      const { id } = server().enqueueAction({ packName: 'Slack', command: 'Rota' });
      server().setFaults({ redirect: { status, location: '/elsewhere', endpoints: ['take'] } });
      const res = await fetch(link(pack.links, 'takeAction').href, {
        method: 'POST',
        redirect: 'manual',
      });
      expect([res.status, res.headers.get('location'), await res.text()]).toEqual([
        status,
        '/elsewhere',
        '',
      ]);
      expect(server().action(id)?.state).toBe('NEW');
      expect(server().requests().at(-1)).toEqual(
        jasmine.objectContaining({ status, fault: 'redirect', endpoint: 'take' }),
      );
    });
  }

  it('sends an absolute URL as it is', async () => {
    server().setFaults({
      redirect: { status: 302, location: 'https://flyte.example/v1', endpoints: ['discover'] },
    });
    const res = await fetch(`${server().url}/v1`, { redirect: 'manual' });
    expect(res.headers.get('location')).toBe('https://flyte.example/v1');
  });

  it("a 307 to the fake's own route is followed by a real POST there, which takes the action", async () => {
    const { pack } = await register(server().url);
    const { id } = server().enqueueAction({ packName: 'Slack', command: 'Rota', input: 'x' });
    const takePath = new URL(link(pack.links, 'takeAction').href).pathname;
    server().setFaults({ redirect: { status: 307, location: takePath, endpoints: ['take'] } });
    const answer = await take(pack, '?actionName=Rota');
    expect(answer.status).toBe(200);
    expect(answer.action?.input).toBe('x');
    expect(server().action(id)?.state).toBe('PENDING');
    expect(
      server()
        .requests()
        .map((r) => [r.method, r.status, r.fault]),
    ).toEqual([
      ['GET', 200, undefined],
      ['POST', 201, undefined],
      ['POST', 307, 'redirect'],
      ['POST', 200, undefined],
    ]);
  });

  it('a 308 of a result is followed with its body', async () => {
    const { pack } = await register(server().url);
    const { id } = server().enqueueAction({ packName: 'Slack', command: 'Rota' });
    const resultUrl = link((await take(pack)).action!.links, 'actionResult').href;
    server().setFaults({
      redirect: { status: 308, location: new URL(resultUrl).pathname, endpoints: ['result'] },
    });
    expect((await post(`${resultUrl}?via=proxy`, { event: 'RotaRetrieved' })).status).toBe(202);
    expect(server().action(id)?.result?.event).toBe('RotaRetrieved');
  });

  it('redirects the share `rate` of requests, replayably for one seed', async () => {
    const run = async () => {
      server().setFaults({
        seed: 11,
        redirect: { status: 302, location: '/moved', endpoints: ['discover'], rate: 0.5 },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++)
        statuses.push((await fetch(`${server().url}/v1`, { redirect: 'manual' })).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(302);
    expect(first).toContain(200);
  });

  it('refuses an invalid redirect', () => {
    expect(() =>
      server().setFaults({ redirect: { status: 200 as never, location: '/x' } }),
    ).toThrowError(/redirect.status/);
    expect(() => server().setFaults({ redirect: { status: 301, location: '' } })).toThrowError(
      /redirect.location/,
    );
  });
});

describe('FakeFlyteServer (body faults)', () => {
  const server = useServer();

  async function takeSetup() {
    const { pack } = await register(server().url);
    const { id } = server().enqueueAction({ packName: 'Slack', command: 'Rota', input: 'x' });
    return { id, takeUrl: link(pack.links, 'takeAction').href };
  }

  it('huge: the answer padded with spaces to `bytes`, with that Content-Length; the take happened', async () => {
    const { id, takeUrl } = await takeSetup();
    server().setFaults({ body: { mode: 'huge', bytes: 300_000, endpoints: ['take'] } });
    const res = await fetch(takeUrl, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('300000');
    const text = await res.text();
    expect(text.length).toBe(300_000);
    expect((JSON.parse(text) as { input: unknown }).input).toBe('x');
    expect(server().action(id)?.state).toBe('PENDING');
    expect(server().requests().at(-1)).toEqual(
      jasmine.objectContaining({ status: 200, fault: 'body-huge' }),
    );
  });

  it('endless: chunked spaces until the client goes away', async () => {
    const { id, takeUrl } = await takeSetup();
    server().setFaults({ body: { mode: 'endless', endpoints: ['take'] } });
    const { res, bytes, ended } = await rawPost(takeUrl, 2_000_000);
    expect(res.statusCode).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(ended).toBe('cut');
    expect(bytes.length).toBeGreaterThanOrEqual(2_000_000);
    expect(bytes.subarray(bytes.length - 10).toString()).toBe(' '.repeat(10));
    expect(server().action(id)?.state).toBe('PENDING');
    // the server stops writing: a request after it is answered normally
    server().clearFaults();
    expect((await fetch(`${server().url}/v1`)).status).toBe(200);
  });

  it('truncated: a Content-Length of `bytes`, half of it sent, then the connection closed', async () => {
    const { takeUrl } = await takeSetup();
    server().setFaults({ body: { mode: 'truncated', bytes: 1000, endpoints: ['take'] } });
    const { res, bytes, ended } = await rawPost(takeUrl);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe('1000');
    expect(bytes.length).toBe(500);
    expect(ended).toBe('aborted');
    await expectAsync(fetch(takeUrl, { method: 'POST' }).then((r) => r.text())).toBeRejected();
  });

  it('gzip-bomb: Content-Encoding gzip of a few KB that inflate to `bytes`', async () => {
    const { takeUrl } = await takeSetup();
    server().setFaults({ body: { mode: 'gzip-bomb', bytes: 5_000_000, endpoints: ['take'] } });
    const { res, bytes, ended } = await rawPost(takeUrl);
    expect(ended).toBe('end');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(bytes.length).toBeLessThan(50_000);
    const inflated = gunzipSync(bytes);
    expect(inflated.length).toBe(5_000_000);
    expect((JSON.parse(inflated.toString()) as { input: unknown }).input).toBe('x');
  });

  it('turns a 204 into a 200 so it can carry the body, and leaves other endpoints alone', async () => {
    const { pack } = await register(server().url);
    server().setFaults({ body: { mode: 'huge', bytes: 1000, endpoints: ['take'] } });
    const res = await post(link(pack.links, 'takeAction').href);
    expect([res.status, (await res.text()).trim()]).toEqual([200, '']);
    expect((await fetch(`${server().url}/v1`)).headers.get('content-length')).not.toBe('1000');
  });

  it('refuses an invalid body fault', () => {
    expect(() => server().setFaults({ body: { mode: 'big' as never } })).toThrowError(/body.mode/);
    expect(() => server().setFaults({ body: { mode: 'huge', bytes: 0 } })).toThrowError(
      /body.bytes/,
    );
  });
});

describe('FakeFlyteServer (faults over POST /_fake/faults)', () => {
  const server = useServer();

  it('accepts every new fault, and GET /_fake/stats reports them per endpoint', async () => {
    const faults = {
      errorRate: 0.5,
      errorStatus: 503,
      retryAfter: 3,
      latencyMs: 1,
      storeLatencyMs: 1,
      redirect: { status: 302, location: '/moved', endpoints: ['health'] },
      body: { mode: 'huge', bytes: 2000, endpoints: ['packs'] },
      endpoints: ['discover'],
      seed: 5,
    };
    expect((await post(`${server().url}/_fake/faults`, faults)).status).toBe(204);
    expect(server().storeLatencyMs()).toBe(1);
    const discovers = [];
    for (let i = 0; i < 6; i++) discovers.push((await fetch(`${server().url}/v1`)).status);
    expect((await fetch(`${server().url}/health`, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(`${server().url}/v1/packs`)).headers.get('content-length')).toBe('2000');
    const stats = (await (await fetch(`${server().url}/_fake/stats`)).json()) as Record<
      string,
      { count: number; statuses: Record<string, number>; races: number; faults: object }
    >;
    expect(stats.discover.count).toBe(6);
    expect(stats.discover.statuses[503] ?? 0).toBe(discovers.filter((s) => s === 503).length);
    expect(stats.discover.faults).toEqual(
      discovers.includes(503) ? { error: discovers.filter((s) => s === 503).length } : {},
    );
    expect(stats.health).toEqual({
      count: 1,
      statuses: { 302: 1 },
      races: 0,
      faults: { redirect: 1 },
    });
    expect(stats.packs.faults).toEqual({ 'body-huge': 1 });
  });

  it('answers 400 naming every problem of an invalid configuration', async () => {
    const res = await post(`${server().url}/_fake/faults`, {
      errorStatus: 302,
      retryAfter: 'soon',
      redirect: { status: 301 },
      body: { mode: 'endless', rate: 2 },
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    for (const field of ['errorStatus', 'retryAfter', 'redirect.location', 'body.rate'])
      expect(text).toContain(field);
  });
});
