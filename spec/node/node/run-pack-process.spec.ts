import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/run-pack-fixture.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'eyJhbGciOiJub25lIn0.run-pack-secret.sig';
/** Starting a TypeScript child process is slow on a cold or busy machine. */
const CHILD_SPEC_TIMEOUT = 30_000;

/** A pack process running the fixture, with everything it writes kept. */
class PackProcess {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString();
      this.waiters.forEach((w) => w());
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** The messages of the JSON log lines written so far, one per line. */
  messages(): string {
    return this.lines()
      .map((l) => String(l.message))
      .join('\n');
  }

  /** Resolves when a log message contains `text`; rejects if the process exits first. */
  waitForOutput(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.messages().includes(text)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
      void this.exited.then(() =>
        this.messages().includes(text)
          ? resolve()
          : reject(new Error(`exited before writing "${text}":\n${this.output}`)),
      );
    });
  }

  /** The JSON log lines written so far. */
  lines(): Record<string, unknown>[] {
    return this.output
      .split('\n')
      .filter((l) => l.startsWith('{') && l.endsWith('}'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('runPack in a child process', () => {
  let server: FakeFlyteServer;
  let child: PackProcess | undefined;
  let env: Record<string, string>;

  beforeEach(async () => {
    server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    server.requireToken(TOKEN);
    env = {
      FLYTE_API: server.url,
      FLYTE_JWT: TOKEN,
      FLYTE_LABELS: ' env=test , team=ops',
      FLYTE_HEALTH_HOST: '127.0.0.1',
      FLYTE_HEALTH_PORT: String(await freePort()),
      FLYTE_POLL_INTERVAL_MS: '500',
      FLYTE_LOG_LEVEL: 'debug',
    };
  });

  afterEach(async () => {
    child?.kill();
    child = undefined;
    await server.close();
  });

  it(
    'registers with the labels, serves health, completes actions and stops cleanly on SIGTERM',
    async () => {
      child = new PackProcess(env);
      await server.waitFor((s) => s.packs().length === 1);
      const [pack] = server.packs();
      expect(pack.id).toBe('run-pack-fixture.env.test.team.ops');
      expect(pack.labels).toEqual({ env: 'test', team: 'ops' });

      const echo = server.enqueueAction({
        packName: pack.name,
        packLabels: { env: 'test' },
        command: 'Echo',
        input: { n: 1 },
      });
      await server.waitFor((s) => s.action(echo.id)?.state === 'SUCCESS');
      expect(server.action(echo.id)?.result).toEqual(
        jasmine.objectContaining({ event: 'Echoed', payload: { n: 1 } }),
      );

      await child.waitForOutput('health server listening');
      const res = await fetch(`http://127.0.0.1:${env.FLYTE_HEALTH_PORT}/health`);
      const body = await res.json();
      expect(res.status).toBe(200);
      expect(Object.keys(body).sort()).toEqual([
        'Authorization',
        'DefaultCheck',
        'FlyteApi',
        'PollWatchdog',
        'TakeLoop',
      ]);
      expect(body.PollWatchdog).toEqual({ healthy: true, status: 'polling' });
      expect(body.FlyteApi.healthy).toBeTrue();

      const slow = server.enqueueAction({ packName: pack.name, command: 'Slow', input: 'zzz' });
      await child.waitForOutput('slow handler started');
      child.signal('SIGTERM');
      expect(await child.exited).toEqual({ code: 0, signal: null });
      expect(server.action(slow.id)?.state).toBe('SUCCESS');
      expect(server.action(slow.id)?.result).toEqual(
        jasmine.objectContaining({
          event: 'SlowDone',
          payload: { input: 'zzz', after: 'SIGTERM' },
        }),
      );
      expect(server.actions().every((a) => a.state === 'SUCCESS')).toBeTrue();

      const lines = child.lines();
      expect(lines.find((l) => l.message === 'slow handler started')).toEqual(
        jasmine.objectContaining({ level: 'info', actionId: slow.id, command: 'Slow' }),
      );
      expect(lines.find((l) => String(l.message).startsWith(`action ${echo.id} `))).toEqual(
        jasmine.objectContaining({ actionId: echo.id, command: 'Echo', outcome: 'success' }),
      );
      expect(
        lines.some((l) => l.message === 'echoing with token [REDACTED]' && l.jwt === '[REDACTED]'),
      ).toBeTrue();
      expect(child.output).not.toContain(TOKEN);
    },
    CHILD_SPEC_TIMEOUT,
  );

  it(
    'exits at once with a non-zero code on a second signal',
    async () => {
      child = new PackProcess(env);
      await server.waitFor((s) => s.packs().length === 1);
      const slow = server.enqueueAction({ packName: 'run-pack-fixture', command: 'Slow' });
      await child.waitForOutput('slow handler started');
      child.signal('SIGINT'); // the slow handler waits for SIGTERM, so the stop cannot finish
      await child.waitForOutput('stopping pack "run-pack-fixture": received SIGINT');
      child.signal('SIGINT');
      expect(await child.exited).toEqual({ code: 130, signal: null });
      expect(child.messages()).toContain('received SIGINT again; exiting at once');
      expect(server.action(slow.id)?.state).toBe('PENDING');
      expect(child.output).not.toContain(TOKEN);
    },
    CHILD_SPEC_TIMEOUT,
  );

  it(
    'exits non-zero on a bad FLYTE_LABELS, naming it, without calling the server',
    async () => {
      child = new PackProcess({ ...env, FLYTE_LABELS: 'env=prod,oops', FLYTE_API_TIMEOUT: 'ten' });
      const { code } = await child.exited;
      expect(code).toBe(2);
      expect(child.messages()).toContain('FLYTE_LABELS="env=prod,oops" is invalid');
      expect(child.messages()).toContain('FLYTE_API_TIMEOUT="ten" is invalid');
      expect(child.output).not.toContain(TOKEN);
      expect(server.requests().length).toBe(0);
    },
    CHILD_SPEC_TIMEOUT,
  );
});
