// Issue 21, findings 1, 2 and 6: the probes of a pack run by runPack against the real loopback
// fake flyte server, with the paths the shipped Kubernetes manifest probes.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filter, finalize, firstValueFrom, type Observable } from 'rxjs';
import { parseAllDocuments } from 'yaml';
import type { Logger } from '../../../lib/model/logger.js';
import type { PackDef } from '../../../lib/model/definitions.js';
import { runPack } from '../../../lib/node/run-pack.js';
import type { RunningPack } from '../../../lib/node/run-pack-options.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';

/** The flyte outage of the done-when: 50 poll intervals of 500 ms. */
const OUTAGE_MS = 25_000;

type Probe = { httpGet: { path: string } };
/** The probe paths of the shipped Deployment. */
function manifestProbes(): { liveness: string; readiness: string } {
  const text = readFileSync(join(process.cwd(), 'deploy', 'kubernetes', 'rota-pack.yaml'), 'utf8');
  const deployment = parseAllDocuments(text)[0]!.toJS() as {
    spec: { template: { spec: { containers: Array<Record<string, Probe>> } } };
  };
  const [container] = deployment.spec.template.spec.containers;
  return {
    liveness: container!['livenessProbe']!.httpGet.path,
    readiness: container!['readinessProbe']!.httpGet.path,
  };
}

function recorder(): Logger & { entries: { level: string; message: string }[] } {
  const entries: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void entries.push({ level, message });
  return { entries, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

describe('probes (issue 21)', () => {
  let server: FakeFlyteServer;
  let running: RunningPack | undefined;
  let logger: ReturnType<typeof recorder>;
  let release: () => void = () => undefined;
  const def: PackDef = {
    name: 'probed-pack',
    commands: [
      {
        name: 'Ping',
        outputEvents: [{ name: 'Pong' }],
        handler: () => ({ eventDef: { name: 'Pong' }, payload: 1 }),
      },
      {
        name: 'Hold',
        outputEvents: [{ name: 'Held' }],
        // Runs until the spec releases it: keeps a graceful stop in progress.
        handler: () =>
          new Promise(
            (resolve) => (release = () => resolve({ eventDef: { name: 'Held' }, payload: null })),
          ),
      },
    ],
  };
  const run = (env: Record<string, string> = {}) =>
    runPack(def, {
      env: { FLYTE_API: server.url, FLYTE_POLL_INTERVAL_MS: '500', ...env },
      config: { healthPort: 0, healthHost: '127.0.0.1' },
      // A short backoff keeps the pack trying through the outage, as a real one would.
      packOptions: { transport: { backoff: { initialDelay: 50, maxDelay: 200 } } },
      logger,
      signalSource: new EventEmitter(),
      exit: () => undefined,
    });
  const probe = async (path: string) => {
    const base = running!.healthUrl!.replace(/\/health$/, '');
    const res = await fetch(`${base}${path}`);
    return { status: res.status, body: await res.text() };
  };

  beforeEach(async () => {
    server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    logger = recorder();
  });

  afterEach(async () => {
    release();
    await running?.shutdown();
    running = undefined;
    await server.close();
  });

  it('the manifest probes liveness and readiness on their own paths, not /health', () => {
    const { liveness, readiness } = manifestProbes();
    expect([liveness, readiness]).toEqual(['/livez', '/readyz']);
  });

  // The done-when, in real time: the outage lasts 25 s, so the spec takes about 30 s.
  it(
    'the liveness path of deploy/kubernetes answers 2xx through a 25 s flyte outage, and the pack serves again afterwards',
    async () => {
      const { liveness, readiness } = manifestProbes();
      running = await run();
      await running.pack.start();
      server.enqueueAction({ packName: def.name, command: 'Ping' });
      await server.waitForResults(1);

      // Every flyte endpoint drops its connection: the take loop fails and backs off throughout.
      server.setFaults({ dropRate: 1 });
      const during: { live: number; ready: number }[] = [];
      const outageEnd = Date.now() + OUTAGE_MS;
      while (Date.now() < outageEnd) {
        const [live, ready] = await Promise.all([probe(liveness), probe(readiness)]);
        during.push({ live: live.status, ready: ready.status });
        await new Promise((r) => setTimeout(r, 250)); // the kubelet's probe period, scaled
      }
      expect(during.length).toBeGreaterThan(40); // probes spread over the whole outage
      expect(during.filter((p) => p.live < 200 || p.live > 299)).toEqual([]);
      // Readiness says what the outage means: the pack cannot poll.
      expect(during.at(-1)!.ready).toBe(503);

      server.clearFaults();
      server.enqueueAction({ packName: def.name, command: 'Ping' });
      await server.waitForResults(2, { signal: AbortSignal.timeout(10_000) });
      await firstValueFrom(running.pack.status$.pipe(filter((s) => s === 'running')));
      expect((await probe(readiness)).status).toBe(200);
      expect((await probe(liveness)).status).toBe(200);
    },
    OUTAGE_MS + 35_000,
  );

  it("answers every probe before a hanging request to flyte's health link ends", async () => {
    running = await run({ FLYTE_API_TIMEOUT: '30' });
    await running.pack.start();
    const pack = running.pack;
    let healthRequestEnded = false;
    const flyteHealth = pack.flyteHealth.bind(pack);
    spyOn(pack, 'flyteHealth').and.callFake((): Observable<void> =>
      flyteHealth().pipe(finalize(() => (healthRequestEnded = true))),
    );
    server.setFaults({ dropRate: 1, dropWhen: 'hang', endpoints: ['health'] });

    // The FlyteApi check gives up on the hanging request after its 5 s timeout: every answer
    // below must come before that, the run of the check still going on in the background.
    const answers: Record<string, { status: number; body: string }> = {};
    for (const path of ['/health', '/livez', '/readyz', '/']) {
      answers[path] = await probe(path);
      expect(healthRequestEnded)
        .withContext(`${path} answered after the request ended`)
        .toBeFalse();
    }
    for (const [path, { status }] of Object.entries(answers))
      expect(status).withContext(path).toBe(200);
    for (const path of ['/health', '/'])
      expect(JSON.parse(answers[path]!.body).FlyteApi)
        .withContext(path)
        .toEqual({ healthy: false, status: 'no answer yet: the check is running' });
    // The flyte health request was made once (the second answer joined its run), and hangs.
    const healthRequests = server.requests().filter((r) => r.endpoint === 'health');
    expect(healthRequests.map((r) => r.fault)).toEqual(['hang']);
  }, 20_000);

  it('logs no "health check failed" warning for a graceful stop in progress', async () => {
    running = await run();
    await running.pack.start();
    server.enqueueAction({ packName: def.name, command: 'Hold' });
    await server.waitFor((s) => s.actions().some((a) => a.state === 'PENDING'));
    const stopped = running.shutdown();
    expect(running.pack.status).toBe('stopping');

    expect((await probe('/health')).status).toBe(500); // the pack is stopping: it polls no more
    expect((await probe('/readyz')).status).toBe(503);
    expect((await probe('/livez')).status).toBe(200); // a kill now would strand the action
    release();
    expect(await stopped).toBe(0);
    running = undefined;
    expect(logger.entries.filter((e) => e.message.includes('health check failed'))).toEqual([]);
  });
});
