import { createServer } from 'node:net';
import { firstValueFrom, isObservable, NEVER, of, throwError } from 'rxjs';
import { isFlyteError } from '../../../lib/model/errors.js';
import type { HealthCheck } from '../../../lib/node/health-check.js';
import { type HealthServer, startHealthServer } from '../../../lib/node/health-server.js';
import { defaultHealthCheck, flyteApiHealthCheck } from '../../../lib/node/pack-health-checks.js';

const healthy = (name: string, status: unknown = 'fine'): HealthCheck => ({
  name,
  check: () => ({ healthy: true, status }),
});

describe('startHealthServer', () => {
  let server: HealthServer | undefined;
  const start = async (checks: HealthCheck[], extra = {}) => {
    server = await startHealthServer({ checks, host: '127.0.0.1', port: 0, ...extra });
    return server;
  };
  const get = async (path = '/health', init?: RequestInit) => {
    const res = await fetch(`${server!.url}${path}`, init);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 200 with every check by name when all are healthy, on / and /health', async () => {
    await start([defaultHealthCheck(), healthy('Async', { queue: 3 })]);
    expect(server!.url).toBe(`http://127.0.0.1:${server!.port}`);
    for (const path of ['/', '/health', '/health?verbose=1']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/json; charset=utf-8');
      expect(JSON.parse(res.body)).toEqual({
        DefaultCheck: { healthy: true, status: 'Pack is running.' },
        Async: { healthy: true, status: { queue: 3 } },
      });
    }
  });

  it('answers 500 when a check is unhealthy, still reporting all of them', async () => {
    await start([
      healthy('A'),
      { name: 'B', check: async () => ({ healthy: false, status: 'queue full' }) },
    ]);
    const res = await get();
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      A: { healthy: true, status: 'fine' },
      B: { healthy: false, status: 'queue full' },
    });
  });

  it('times a hung check out instead of hanging the endpoint', async () => {
    await start(
      [
        healthy('A'),
        { name: 'HungPromise', check: () => new Promise(() => undefined), timeout: 20 },
        { name: 'HungStream', check: () => NEVER },
      ],
      { checkTimeout: 30 },
    );
    const res = await get();
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      A: { healthy: true, status: 'fine' },
      HungPromise: { healthy: false, status: 'timed out after 20 ms' },
      HungStream: { healthy: false, status: 'timed out after 30 ms' },
    });
  });

  it('reports a throwing, rejecting or erroring check as unhealthy with its message', async () => {
    await start([
      {
        name: 'Throws',
        check: () => {
          throw new Error('db down');
        },
      },
      { name: 'Rejects', check: () => Promise.reject(new Error('no route')) },
      { name: 'Errors', check: () => throwError(() => new Error('stream broke')) },
      { name: 'Garbage', check: () => ({ ok: 1 }) as never },
      { name: 'Stream', check: () => of({ healthy: true, status: undefined }) },
    ]);
    const res = await get();
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      Throws: { healthy: false, status: 'the check failed: db down' },
      Rejects: { healthy: false, status: 'the check failed: no route' },
      Errors: { healthy: false, status: 'the check failed: stream broke' },
      Garbage: {
        healthy: false,
        status: 'the check failed: the check returned no { healthy, status }',
      },
      Stream: { healthy: true, status: null },
    });
  });

  it('shows a failing non-critical check without failing the answer', async () => {
    await start([
      healthy('A'),
      { name: 'Info', critical: false, check: () => ({ healthy: false, status: 'down' }) },
    ]);
    const res = await get();
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).Info).toEqual({ healthy: false, status: 'down' });
  });

  it('shows a bigint or cyclic status without failing the other checks', async () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    await start([healthy('Count', 10n), healthy('Cyclic', cyclic), healthy('A')]);
    const res = await get();
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as Record<string, { healthy: boolean; status: unknown }>;
    expect(body.Count).toEqual({ healthy: true, status: '10' });
    expect(body.Cyclic!.healthy).toBeTrue();
    expect(body.Cyclic!.status).toMatch(/^the status cannot be shown as JSON: /);
    expect(body.A).toEqual({ healthy: true, status: 'fine' });
  });

  it('keeps secrets out of the answer', async () => {
    const secret = 'tok.en.value';
    await start([{ name: 'Leaky', check: () => ({ healthy: true, status: `using ${secret}` }) }], {
      secrets: [secret],
    });
    const res = await get();
    expect(res.body).not.toContain(secret);
    expect(JSON.parse(res.body).Leaky.status).toBe('using [REDACTED]');
  });

  it('answers 404 elsewhere (/metrics too, without metrics) and 405 to other methods', async () => {
    await start([healthy('A')]);
    expect((await get('/metrics')).status).toBe(404);
    const post = await fetch(`${server!.url}/health`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  describe('GET /metrics', () => {
    const source = (text: string) => ({
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      metrics: jasmine.createSpy('metrics').and.resolveTo(text),
    });

    it('answers the metrics in their content type, with no body to HEAD', async () => {
      const metrics = source('# TYPE up gauge\nup 1\n');
      await start([healthy('A')], { metrics });
      const res = await get('/metrics?name=up');
      expect(res).toEqual({
        status: 200,
        type: 'text/plain; version=0.0.4; charset=utf-8',
        body: '# TYPE up gauge\nup 1\n',
      });
      const head = await fetch(`${server!.url}/metrics`, { method: 'HEAD' });
      expect([head.status, await head.text()]).toEqual([200, '']);
      const post = await fetch(`${server!.url}/metrics`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(metrics.metrics).toHaveBeenCalledTimes(2); // not for the POST
      expect((await get('/health')).status).toBe(200);
    });

    it('keeps secrets out of the metrics', async () => {
      const secret = 'tok.en.value';
      await start([], { metrics: source(`leak{token="${secret}"} 1\n`), secrets: [secret] });
      const res = await get('/metrics');
      expect(res.body).toBe('leak{token="[REDACTED]"} 1\n');
    });

    it('answers 500 when the metrics cannot be read', async () => {
      const metrics = {
        contentType: 'text/plain',
        metrics: () => Promise.reject(new Error('collector broke')),
      };
      await start([], { metrics });
      const res = await get('/metrics');
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ error: 'health endpoint failed' });
    });
  });

  it('answers 200 with an empty object when there are no checks', async () => {
    await start([]);
    const res = await get();
    expect([res.status, JSON.parse(res.body)]).toEqual([200, {}]);
  });

  it('refuses checks whose names repeat', async () => {
    await expectAsync(
      startHealthServer({ checks: [healthy('A'), healthy('A')], port: 0 }),
    ).toBeRejectedWith(jasmine.objectContaining({ message: 'health check names repeat: A' }));
  });

  it('says which address it could not listen on', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startHealthServer({ checks: [], host: '127.0.0.1', port }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isFlyteError(error)).toBeTrue();
      expect((error as Error).message).toContain(
        `health server cannot listen on 127.0.0.1:${port}`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('stops answering once closed, even with a kept-alive connection', async () => {
    const s = await start([healthy('A')]);
    expect((await get()).status).toBe(200);
    await s.close();
    server = undefined;
    await expectAsync(fetch(`${s.url}/health`)).toBeRejected();
  });
});

describe('health probes do not fan out (finding 10)', () => {
  let server: HealthServer | undefined;
  afterEach(() => server?.close());

  // A check of a second: the 300 probes arrive within a few runs even on a loaded machine.
  it('lets concurrent probes share one run of the checks', async () => {
    let runs = 0;
    const slow: HealthCheck = {
      name: 'Slow',
      check: () => (
        runs++,
        new Promise((r) => setTimeout(() => r({ healthy: true, status: 'ok' }), 1000))
      ),
    };
    server = await startHealthServer({
      checks: [slow],
      host: '127.0.0.1',
      port: 0,
      answerWithin: 5000,
    });
    const answers = await Promise.all(
      Array.from({ length: 300 }, () => fetch(`${server!.url}/health`).then((r) => r.status)),
    );
    expect(answers.every((s) => s === 200)).toBeTrue();
    expect(runs).toBeLessThan(10);
  });

  it('reuses the flyte API answer for the cache time, then asks again', async () => {
    let asked = 0;
    let clock = 0;
    const pack = { flyteHealth: () => (asked++, of(undefined)) };
    const check = flyteApiHealthCheck(pack, { cacheMs: 5000, now: () => clock });
    const once = () => {
      const answer = check.check();
      return isObservable(answer) ? firstValueFrom(answer) : answer;
    };
    await once();
    clock = 4999;
    expect(await once()).toEqual({ healthy: true, status: 'the flyte API is up' });
    expect(asked).toBe(1);
    clock = 5000;
    await once();
    expect(asked).toBe(2);
  });
});

describe('startHealthServer probes (issue 21, findings 1 and 2)', () => {
  let server: HealthServer | undefined;
  afterEach(() => server?.close());
  const get = async (path: string) => {
    const res = await fetch(`${server!.url}${path}`);
    return { status: res.status, body: await res.json() };
  };

  it('answers /livez and /readyz with the checks of that probe, 503 when one fails; /health with all, 500', async () => {
    const check = (name: string, healthy: boolean, probes?: HealthCheck['probes']) => ({
      name,
      ...(probes && { probes }),
      check: () => ({ healthy, status: name }),
    });
    server = await startHealthServer({
      checks: [
        defaultHealthCheck(),
        check('Loop', true, ['liveness']),
        check('Polling', false), // readiness, as a check that does not say
        check('Flyte', false, []),
      ],
      host: '127.0.0.1',
      port: 0,
    });
    const live = await get('/livez');
    expect(live.status).toBe(200);
    expect(Object.keys(live.body)).toEqual(['DefaultCheck', 'Loop']);
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(Object.keys(ready.body)).toEqual(['DefaultCheck', 'Polling']);
    const all = await get('/health');
    expect(all.status).toBe(500);
    expect(Object.keys(all.body)).toEqual(['DefaultCheck', 'Loop', 'Polling', 'Flyte']);
  });

  it('serves the last answer of a check still running after answerWithin, and the fresh one once it ends', async () => {
    const runs: Array<(h: { healthy: boolean; status: string }) => void> = [];
    const slow: HealthCheck = {
      name: 'Slow',
      timeout: 1000,
      check: () => new Promise((resolve) => runs.push(resolve)),
    };
    server = await startHealthServer({
      checks: [slow],
      host: '127.0.0.1',
      port: 0,
      answerWithin: 20,
    });
    expect(await get('/readyz')).toEqual({
      status: 503,
      body: { Slow: { healthy: false, status: 'no answer yet: the check is running' } },
    });
    expect(runs.length).toBe(1); // the run goes on in the background
    runs[0]!({ healthy: true, status: 'first' });
    // The next answer starts a second run, which hangs: the first run's outcome is served.
    expect(await get('/readyz')).toEqual({
      status: 200,
      body: { Slow: { healthy: true, status: 'first' } },
    });
    expect(runs.length).toBe(2);
    runs[1]!({ healthy: false, status: 'second' });
    expect(await get('/health')).toEqual({
      status: 500,
      body: { Slow: { healthy: false, status: 'second' } },
    });
  });
});
