// Issue 22: a pack loads winston, prom-client, the OpenTelemetry API and node:https only when
// it uses them: its own logger or runPack's default JSON lines, no /metrics served, no
// tracing, an http URL cost neither their import time nor their memory. Checked in a fresh process: this one has loaded both for other specs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FIXTURE = 'spec/node/node/fixtures/loaded-optional-packages.ts';
/** Starting a TypeScript child process is slow on a cold or busy machine. */
const CHILD_SPEC_TIMEOUT = 60_000;

/** How the fixture runs runPack (see fixtures/loaded-optional-packages.ts). */
type How =
  'own-logger' | 'default' | 'pretty' | 'metrics' | 'no-metrics' | 'tracing' | 'insecure-tls';

/** The optional packages a fresh process has loaded once runPack, run as `how` says, resolved. */
async function loadedBy(how: How): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', FIXTURE, how], {
    timeout: CHILD_SPEC_TIMEOUT,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('loaded: '));
  return JSON.parse(line!.slice('loaded: '.length)) as string[];
}

/** How runPack ran, and exactly what it loaded by then. */
const CASES: ReadonlyArray<{ how: How; should: string; loaded: string[] }> = [
  {
    how: 'own-logger',
    should:
      'loads no winston, prom-client, OpenTelemetry API or node:https for a pack with its own logger, no health server, no tracer registered and an http URL',
    loaded: [],
  },
  {
    how: 'default',
    should: 'loads no winston for its default logger writing JSON lines',
    loaded: [],
  },
  {
    how: 'pretty',
    should: 'loads winston for its default logger writing pretty lines',
    loaded: ['winston'],
  },
  {
    how: 'no-metrics',
    should: 'does not load prom-client when the health server serves no /metrics',
    loaded: [],
  },
  {
    how: 'tracing',
    should: 'loads the OpenTelemetry API for a pack given a tracer, by the time it has registered',
    loaded: ['@opentelemetry/api'],
  },
  {
    how: 'insecure-tls',
    should: 'loads node:https when insecureTlsAgent() is called',
    loaded: ['node:https'],
  },
];

describe('optional packages of runPack (fresh process)', () => {
  for (const { how, should, loaded } of CASES) {
    it(should, async () => expect(await loadedBy(how)).toEqual(loaded), CHILD_SPEC_TIMEOUT);
  }

  it(
    'loads prom-client when the health server serves /metrics',
    async () => {
      const loaded = await loadedBy('metrics');
      expect(loaded).toContain('prom-client'); // which brings its own dependencies
      expect(loaded).not.toContain('winston');
    },
    CHILD_SPEC_TIMEOUT,
  );
});
