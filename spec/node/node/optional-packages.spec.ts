// Issue 22: a pack loads winston, prom-client, the OpenTelemetry API and node:https only when
// it uses them: its own logger or runPack's default JSON lines, no /metrics served, no
// tracing, an http URL cost neither their import time nor their memory. Checked in a fresh process: this one has loaded both for other specs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FIXTURE = 'spec/node/node/fixtures/loaded-optional-packages.ts';
/** Starting a TypeScript child process is slow on a cold or busy machine. */
const CHILD_SPEC_TIMEOUT = 60_000;

/** The optional packages a fresh process has loaded once runPack, run as `how` says, resolved. */
async function loadedBy(
  how: 'own-logger' | 'default' | 'pretty' | 'metrics' | 'no-metrics' | 'tracing' | 'insecure-tls',
): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', FIXTURE, how], {
    timeout: CHILD_SPEC_TIMEOUT,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('loaded: '));
  return JSON.parse(line!.slice('loaded: '.length)) as string[];
}

describe('optional packages of runPack (fresh process)', () => {
  it(
    'loads no winston, prom-client, OpenTelemetry API or node:https for a pack with its own logger, no health server, no tracer registered and an http URL',
    async () => {
      expect(await loadedBy('own-logger')).toEqual([]);
    },
    CHILD_SPEC_TIMEOUT,
  );

  it(
    'loads no winston for its default logger writing JSON lines',
    async () => {
      expect(await loadedBy('default')).toEqual([]);
    },
    CHILD_SPEC_TIMEOUT,
  );

  it(
    'loads winston for its default logger writing pretty lines',
    async () => {
      expect(await loadedBy('pretty')).toEqual(['winston']);
    },
    CHILD_SPEC_TIMEOUT,
  );

  it(
    'loads prom-client when the health server serves /metrics',
    async () => {
      const loaded = await loadedBy('metrics');
      expect(loaded).toContain('prom-client'); // which brings its own dependencies
      expect(loaded).not.toContain('winston');
    },
    CHILD_SPEC_TIMEOUT,
  );

  it(
    'does not load prom-client when the health server serves no /metrics',
    async () => {
      expect(await loadedBy('no-metrics')).toEqual([]);
    },
    CHILD_SPEC_TIMEOUT,
  );

  it(
    'loads the OpenTelemetry API for a pack given a tracer, by the time it has registered',
    async () => {
      expect(await loadedBy('tracing')).toEqual(['@opentelemetry/api']);
    },
    CHILD_SPEC_TIMEOUT,
  );

  it(
    'loads node:https when insecureTlsAgent() is called',
    async () => {
      expect(await loadedBy('insecure-tls')).toEqual(['node:https']);
    },
    CHILD_SPEC_TIMEOUT,
  );
});
