// `npx flyte-client fake-server`: flags, help, errors and a clean stop, in a real process and
// in-process (runCli with captured output and an injected signal source).
import { EventEmitter } from 'node:events';
import { runCli as runCliInProcess } from '../../../lib/cli/run-cli.js';
import type { CliIo } from '../../../lib/cli/cli-io.js';
import { runCli, startCli } from './cli-process.js';

/** Output captured from an in-process run, with signals sent by the spec. */
function captureIo(): CliIo & { out$: string[]; err$: string[]; signals: EventEmitter } {
  const out$: string[] = [];
  const err$: string[] = [];
  return {
    out$,
    err$,
    write: (text) => void out$.push(text),
    writeError: (text) => void err$.push(text),
    signals: new EventEmitter(),
  };
}

/** Every setting of POST /_fake/faults (FaultConfig). */
const FAULT_SETTINGS = [
  'errorRate',
  'errorStatus',
  'errorBody',
  'retryAfter',
  'dropRate',
  'dropWhen',
  'latencyMs',
  'redirect',
  'body',
  'storeLatencyMs',
  'endpoints',
  'seed',
];

const urlOf = async (io: { out$: string[] }): Promise<string> => {
  for (;;) {
    const match = io.out$.join('').match(/listening on (http:\/\/\S+)/);
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('flyte-client CLI (process)', () => {
  it('--help lists the fake-server command and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: flyte-client');
    expect(stdout).toMatch(/fake-server \[options\]/);
  });

  it('fake-server --help lists every flag with its default', async () => {
    const { code, stdout } = await runCli(['fake-server', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--port', '--host', '--token', '--latency-ms', '--seed', '--quiet'])
      expect(stdout).toContain(flag);
    expect(stdout).toContain('(default: 8080)');
    for (const setting of FAULT_SETTINGS) expect(stdout).withContext(setting).toContain(setting);
    expect(stdout).toContain('DELETE /_fake/faults');
  });

  it('exits 2 on a bad flag value, naming the flag and the value', async () => {
    const { code, stderr, stdout } = await runCli(['fake-server', '--port', 'eighty']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("option '--port <port>' argument 'eighty' is invalid");
    expect(stderr).toContain('a whole number from 0 to 65535');
  });

  it('serves the API and the console, then closes cleanly on SIGINT and SIGTERM (exit 0)', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const cli = startCli(['fake-server', '--port', '0', '--quiet']);
      try {
        const [, url] = await cli.waitForOutput(/listening on (http:\/\/\S+)/);
        await cli.waitForOutput(/console: .*\/_fake\/ui/);
        expect((await fetch(`${url}/v1`)).status).toBe(200);
        const page = await fetch(`${url}/_fake/ui`);
        expect(page.headers.get('content-type')).toContain('text/html');
        cli.child.kill(signal);
        expect(await cli.exited).toBe(0);
        expect(cli.stdout()).toContain(`${signal}: closing the fake flyte server`);
        expect(cli.stderr()).toBe('');
      } finally {
        cli.child.kill('SIGKILL');
      }
    }
  }, 20_000);
});

describe('flyte-client CLI (in process)', () => {
  const bad = async (args: string[]) => {
    const io = captureIo();
    const code = await runCliInProcess(args, io);
    return { code, err: io.err$.join(''), out: io.out$.join('') };
  };

  it('refuses each bad value with exit 2 and a message naming the flag', async () => {
    const cases: [string[], string][] = [
      [['fake-server', '--port', '70000'], "'--port <port>' argument '70000' is invalid"],
      [['fake-server', '--port', '-1'], "'--port <port>' argument '-1' is invalid"],
      [['fake-server', '--latency-ms', 'soon'], "'--latency-ms <ms>' argument 'soon' is invalid"],
      [['fake-server', '--seed', '1.5'], "'--seed <n>' argument '1.5' is invalid"],
      [['fake-server', '--host', ''], "'--host <host>' argument '' is invalid"],
      [['fake-server', '--token', ''], "'--token <token>' argument '' is invalid"],
      [['fake-server', '--bogus'], "unknown option '--bogus'"],
      [['fake-server', '--port'], "option '--port <port>' argument missing"],
      [['fake-server', 'extra'], 'too many arguments'],
      [['serve'], "unknown command 'serve'"],
    ];
    for (const [args, message] of cases) {
      const { code, err, out } = await bad(args);
      expect(code).withContext(args.join(' ')).toBe(2);
      expect(err).withContext(args.join(' ')).toContain(message);
      expect(out).withContext(args.join(' ')).toBe('');
    }
  });

  it('without a command prints the usage on stderr and exits 2', async () => {
    const { code, err } = await bad([]);
    expect(code).toBe(2);
    expect(err).toContain('Usage: flyte-client');
  });

  it('applies --token, --latency-ms and --seed to the running server and never prints the token', async () => {
    const io = captureIo();
    const done = runCliInProcess(
      [
        'fake-server',
        '--port',
        '0',
        '--token',
        'sekrit-token',
        '--latency-ms',
        '25',
        '--seed',
        '9',
      ],
      io,
    );
    const url = await urlOf(io);
    expect((await fetch(`${url}/v1`)).status).toBe(401);
    const authorized = await fetch(`${url}/v1`, {
      headers: { authorization: 'Bearer sekrit-token' },
    });
    expect(authorized.status).toBe(200);
    expect(await (await fetch(`${url}/_fake/faults`)).json()).toEqual({ latencyMs: 25, seed: 9 });
    io.signals.emit('SIGTERM');
    expect(await done).toBe(0);
    const out = io.out$.join('');
    expect(out).toContain('bearer token');
    expect(out).not.toContain('sekrit-token');
    // one line per API request, unless --quiet
    expect(out).toMatch(/GET \/v1 -> 401/);
    expect(out).toMatch(/GET \/v1 -> 200/);
  });

  it('lists every fault setting at start, and logs the status an injected error answered', async () => {
    const io = captureIo();
    const done = runCliInProcess(['fake-server', '--port', '0'], io);
    const url = await urlOf(io);
    const banner = io.out$.join('');
    for (const setting of FAULT_SETTINGS) expect(banner).withContext(setting).toContain(setting);
    await fetch(`${url}/_fake/faults`, { method: 'POST', body: '{"errorRate":1}' });
    expect((await fetch(`${url}/v1`)).status).toBe(500);
    io.signals.emit('SIGTERM');
    expect(await done).toBe(0);
    const out = io.out$.join('');
    expect(out).toMatch(/GET \/v1 -> 500 \[error\]/);
    expect(out).not.toContain('-> -');
  });

  it('applies --store-latency-ms: two overlapping takes of one action race', async () => {
    const io = captureIo();
    const done = runCliInProcess(
      ['fake-server', '--port', '0', '--quiet', '--store-latency-ms', '5'],
      io,
    );
    const url = await urlOf(io);
    const registered = await fetch(`${url}/v1/packs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'P', commands: [{ name: 'C', events: ['E'] }] }),
    });
    const pack = (await registered.json()) as { links: Array<{ rel: string; href: string }> };
    const take = pack.links.find((l) => l.rel.endsWith('takeAction'))!.href;
    await fetch(`${url}/_fake/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ packName: 'P', command: 'C' }),
    });
    const statuses = await Promise.all(
      [1, 2].map(() => fetch(take, { method: 'POST' }).then((r) => r.status)),
    );
    expect(statuses.sort()).toEqual([200, 500]);
    const stats = (await (await fetch(`${url}/_fake/stats`)).json()) as {
      take: { races: number };
    };
    expect(stats.take.races).toBe(1);
    io.signals.emit('SIGTERM');
    expect(await done).toBe(0);
  });

  it('reports a port in use with exit 1 and the reason', async () => {
    const first = captureIo();
    const running = runCliInProcess(['fake-server', '--port', '0', '--quiet'], first);
    const port = new URL(await urlOf(first)).port;
    const { code, err } = await bad(['fake-server', '--port', port]);
    expect(code).toBe(1);
    expect(err).toContain('fake flyte server failed to start');
    expect(err).toContain('EADDRINUSE');
    first.signals.emit('SIGINT');
    expect(await running).toBe(0);
  });
});
