import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { of, throwError } from 'rxjs';
import type { FlyteApi } from '../../../lib/api/flyte-api.js';
import {
  ConfigError,
  HttpError,
  PackDefinitionError,
  isFlyteError,
} from '../../../lib/model/errors.js';
import type { Logger } from '../../../lib/model/logger.js';
import { runPack } from '../../../lib/node/run-pack.js';
import type { RunningPack, RunPackOptions } from '../../../lib/node/run-pack-options.js';
import type { PackDef } from '../../../lib/model/definitions.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { takeAndVanish } from '../../../lib/testing/take-and-vanish.js';

const TOKEN = 'in.process.token';
const def: PackDef = {
  name: 'in-process-pack',
  commands: [
    {
      name: 'Ping',
      outputEvents: [{ name: 'Pong' }],
      handler: () => ({ eventDef: { name: 'Pong' }, payload: 1 }),
    },
  ],
};

/** A logger that keeps every entry. */
function recorder(): Logger & { entries: { level: string; message: string; meta?: unknown }[] } {
  const entries: { level: string; message: string; meta?: unknown }[] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) =>
    void entries.push({ level, message, meta });
  return { entries, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

describe('runPack (in process)', () => {
  let server: FakeFlyteServer;
  let signals: EventEmitter;
  let exit: jasmine.Spy<(code: number) => void>;
  let logger: ReturnType<typeof recorder>;
  let running: RunningPack | undefined;

  const run = (extra: Partial<RunPackOptions> = {}) =>
    runPack(def, {
      env: { FLYTE_API: server.url, FLYTE_JWT: TOKEN },
      config: { healthPort: 0, healthHost: '127.0.0.1' },
      logger,
      signalSource: signals,
      exit,
      ...extra,
    });
  const logged = () => JSON.stringify(logger.entries);

  beforeEach(async () => {
    server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    server.requireToken(TOKEN);
    signals = new EventEmitter();
    exit = jasmine.createSpy('exit');
    logger = recorder();
  });

  afterEach(async () => {
    if (running && !exit.calls.any()) await running.shutdown();
    running = undefined;
    await server.close();
  });

  it('registers, serves health, and on SIGTERM stops, closes the server and exits 0', async () => {
    running = await run();
    await running.pack.start(); // resolves once registered
    expect(server.packs().length).toBe(1);
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    const res = await fetch(running.healthUrl!);
    expect(res.status).toBe(200);
    expect(Object.keys(await res.json())).toEqual([
      'DefaultCheck',
      'Authorization',
      'FlyteApi',
      'PollWatchdog',
    ]);

    signals.emit('SIGTERM');
    expect(await running.done).toBe(0);
    expect(exit.calls.allArgs()).toEqual([[0]]);
    expect(running.pack.status).toBe('stopped');
    await expectAsync(fetch(running.healthUrl!)).toBeRejected();
    ['SIGTERM', 'SIGINT', 'SIGHUP'].forEach((s) => expect(signals.listenerCount(s)).toBe(0));
    expect(logged()).toContain('stopping pack \\"in-process-pack\\": received SIGTERM');
    expect(logged()).not.toContain(TOKEN);
  });

  it('exits at once with 128 + the signal number on a second signal', async () => {
    running = await run();
    signals.emit('SIGINT');
    signals.emit('SIGHUP');
    expect(exit.calls.allArgs()).toEqual([[129]]);
    expect(await running.done).toBe(129);
    await running.shutdown(); // the stop goes on, but never exits twice
    expect(exit.calls.count()).toBe(1);
  });

  it('exits 0 when shut down through the handle or when the pack is stopped directly', async () => {
    running = await run();
    expect(await running.shutdown()).toBe(0);
    expect(exit.calls.allArgs()).toEqual([[0]]);

    const other = await run();
    await other.pack.start();
    await other.pack.stop();
    expect(await other.done).toBe(0);
    expect(exit.calls.allArgs()).toEqual([[0], [0]]);
  });

  it('hands the pack the configured labels, timeout, poll interval, takes in flight and burst polling, and your own options', async () => {
    running = await run({
      env: {
        FLYTE_API: server.url,
        FLYTE_JWT: TOKEN,
        FLYTE_LABELS: 'env=ci',
        FLYTE_POLL_INTERVAL_MS: '700',
        FLYTE_MAX_TAKES_IN_FLIGHT: '2',
        FLYTE_BURST_POLLING: 'off',
      },
      packOptions: { handlers: { concurrency: 3 } },
    });
    await server.waitFor((s) => s.packs().length === 1);
    expect(server.packs()[0].labels).toEqual({ env: 'ci' });
    expect([running.pack.pollInterval, running.pack.concurrency]).toEqual([700, 3]);
    expect(running.pack.maxTakesInFlight).toBe(2);
    expect(running.pack.burstPolling).toBe(false);
    expect(running.config.requestTimeout).toBe(10_000);
  });

  it('recovers a stranded action with FLYTE_RECOVER_STRANDED_AFTER set, and reads no audit without it', async () => {
    const env = { FLYTE_API: server.url, FLYTE_JWT: TOKEN, FLYTE_POLL_INTERVAL_MS: '500' };
    server.enqueueAction({ packName: def.name, command: 'Ping' });
    const stranded = await takeAndVanish(server.url, { name: def.name }, { token: TOKEN });
    running = await run({ env });
    server.enqueueAction({ packName: def.name, command: 'Ping' });
    await server.waitForResults(1);
    await running.shutdown();
    expect(server.requests().filter((r) => r.endpoint === 'audit')).toEqual([]);
    expect(server.action(stranded!.id)?.state).toBe('PENDING');

    running = await run({
      env: { ...env, FLYTE_RECOVER_STRANDED_AFTER: '1', FLYTE_RECOVER_STRANDED_EVERY: '1' },
    });
    await server.waitForResults(2);
    expect(server.action(stranded!.id)?.state).toBe('SUCCESS');
    expect(logged()).toContain(`recovering action ${stranded!.id} (command \\"Ping\\")`);
  });

  it('serves your health checks beside the built-in ones, and none when the port is off', async () => {
    running = await run({
      healthChecks: [{ name: 'Queue', check: () => ({ healthy: false, status: 'stuck' }) }],
    });
    const res = await fetch(running.healthUrl!);
    expect(res.status).toBe(500);
    expect((await res.json()).Queue).toEqual({ healthy: false, status: 'stuck' });
    await running.shutdown();

    running = await run({ config: { healthPort: null } });
    expect(running.healthUrl).toBeUndefined();
  });

  it('reports an unhealthy flyte server without failing, unless told the check is critical', async () => {
    server.setHealthy(false);
    running = await run();
    await running.pack.start();
    let res = await fetch(running.healthUrl!);
    expect(res.status).toBe(200);
    expect((await res.json()).FlyteApi.healthy).toBeFalse();
    await running.shutdown();

    running = await run({ flyteApiCheckCritical: true });
    await running.pack.start();
    res = await fetch(running.healthUrl!);
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.FlyteApi.status).toMatch(/^the flyte API is not healthy: /);
    expect(body.PollWatchdog.healthy).toBeTrue(); // the 500 is the flyte API's alone
  });

  it('answers health unhealthy, saying the token is refused, while the server refuses it; one error line, no warning per attempt (finding 11)', async () => {
    server.requireToken('another.token');
    running = await run();
    running.pack.start().catch(() => undefined);
    await server.waitFor((s) => s.requests().length >= 3, { signal: AbortSignal.timeout(4000) });
    const res = await fetch(running.healthUrl!);
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.Authorization).toEqual({
      healthy: false,
      status: 'the flyte server refuses the token (401), even a fresh one',
    });
    const levels = logger.entries
      .filter((e) => e.level !== 'debug' && /\b401\b/.test(e.message))
      .map((e) => [e.level, /refuses the token/.test(e.message)]);
    expect(levels).toEqual([['error', true]]);
    expect(logged()).not.toContain(TOKEN);
  });

  it('keeps the token from your logger', async () => {
    running = await run();
    running.logger.info(`leak ${TOKEN}`, { nested: { token: TOKEN } });
    expect(logger.entries.at(-1)).toEqual({
      level: 'info',
      message: 'leak [REDACTED]',
      meta: { nested: { token: '[REDACTED]' } },
    });
  });

  it('keeps every token a packOptions.token provider issues out of the logs and the health answer', async () => {
    const issued = ['provider.token.one', 'provider.token.two'];
    server.requireToken(issued[1]); // the first is refused: the provider is asked again
    const given = [...issued];
    running = await run({
      env: { FLYTE_API: server.url },
      packOptions: { token: () => given.shift() ?? issued[1] },
      healthChecks: [{ name: 'Leaky', check: () => ({ healthy: true, status: issued.join(' ') }) }],
    });
    await running.pack.start();
    expect(given).toEqual([]); // both tokens were issued
    running.logger.info(`leak ${issued[0]} and ${issued[1]}`, { nested: { token: issued[1] } });
    expect(logger.entries.at(-1)).toEqual({
      level: 'info',
      message: 'leak [REDACTED] and [REDACTED]',
      meta: { nested: { token: '[REDACTED]' } },
    });
    const body = await (await fetch(running.healthUrl!)).text();
    expect(JSON.parse(body).Leaky.status).toBe('[REDACTED] [REDACTED]');
    issued.forEach((token) => {
      expect(logged()).not.toContain(token);
      expect(body).not.toContain(token);
    });
  });

  it("sends the packOptions.token provider's token with FLYTE_INSECURE_TLS on", async () => {
    const provided = 'insecure.provider.token';
    server.requireToken(provided);
    running = await run({
      env: { FLYTE_API: server.url, FLYTE_JWT: TOKEN, FLYTE_INSECURE_TLS: 'true' },
      packOptions: { token: () => provided },
    });
    await running.pack.start(); // resolves once registered: refused with FLYTE_JWT's token
    expect(server.packs().length).toBe(1);
    running.logger.info(`leak ${provided}`);
    expect(logged()).not.toContain(provided);
  });

  it('works over http with FLYTE_INSECURE_TLS on, warning about it', async () => {
    running = await run({
      env: { FLYTE_API: server.url, FLYTE_JWT: TOKEN, FLYTE_INSECURE_TLS: 'true' },
    });
    await server.waitFor((s) => s.packs().length === 1);
    expect(
      logger.entries.some((e) => e.level === 'warn' && e.message.includes('NOT verified')),
    ).toBeTrue();
  });

  it('exits 2 on a configuration error, naming every bad variable, before contacting anyone', async () => {
    const error = await run({
      env: { FLYTE_JWT: TOKEN, FLYTE_HEALTH_PORT: 'x' },
      config: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(exit.calls.allArgs()).toEqual([[2]]);
    expect(logger.entries.length).toBe(1);
    expect(logger.entries[0].level).toBe('error');
    expect(logger.entries[0].message).toContain('FLYTE_API is not set');
    expect(logger.entries[0].message).toContain('FLYTE_HEALTH_PORT="x" is invalid');
    expect(server.requests().length).toBe(0);
  });

  it('exits 2 on an invalid pack definition', async () => {
    const bad = { name: '', commands: [] } as PackDef;
    const error = await runPack(bad, {
      env: { FLYTE_API: server.url },
      logger,
      exit,
      signalSource: signals,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackDefinitionError);
    expect(exit.calls.allArgs()).toEqual([[2]]);
    expect(logger.entries[0].message).toContain('cannot start: invalid pack definition');
  });

  it('exits 1 when the server refuses the registration', async () => {
    const refused = new HttpError({
      method: 'POST',
      url: `${server.url}/v1/packs`,
      status: 400,
      body: 'bad pack',
    });
    const api = {
      discover: () =>
        of({ url: `${server.url}/v1`, links: [], packsUrl: `${server.url}/v1/packs` }),
      register: () => throwError(() => refused),
    } as unknown as FlyteApi;
    running = await run({ packOptions: { api } });
    expect(await running.done).toBe(1);
    expect(exit.calls.allArgs()).toEqual([[1]]);
    expect(logged()).toContain('cannot run: invalid pack definition');
  });

  it('exits 1 when the health port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await run({ config: { healthPort: port, healthHost: '127.0.0.1' } }).catch(
        (e: unknown) => e,
      );
      expect(isFlyteError(error)).toBeTrue();
      expect(exit.calls.allArgs()).toEqual([[1]]);
      expect(logger.entries.at(-1)?.message).toContain(`cannot listen on 127.0.0.1:${port}`);
      expect(signals.listenerCount('SIGTERM')).toBe(0);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
