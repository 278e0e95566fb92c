// Stand-alone fake flyte server: `make fake-server` (or `node --import tsx lib/testing/fake-flyte-server-cli.ts`).
// Environment: PORT (default 8080), HOST (default 127.0.0.1), SEED (fault PRNG seed, default 1),
// QUIET=1 to stop printing each API request. See docs/fake-server.md.
import { FakeFlyteServer } from './fake-flyte-server.js';
import { errorMessage } from '../model/errors.js';

/** The CLI's settings from the environment, or the problems found. */
function cliSettings(
  env: Readonly<Record<string, string | undefined>>,
): { host: string; port: number; seed: number; quiet: boolean } | { problems: string[] } {
  const problems: string[] = [];
  const port = Number(env.PORT ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535, got "${env.PORT}"`);
  }
  const seed = Number(env.SEED ?? '1');
  if (!Number.isInteger(seed)) problems.push(`SEED must be an integer, got "${env.SEED}"`);
  if (problems.length) return { problems };
  return { host: env.HOST || '127.0.0.1', port, seed, quiet: env.QUIET === '1' };
}

function printRequests(server: FakeFlyteServer): void {
  const printed = new Set<number>();
  server.onChange(() => {
    for (const r of server.requests()) {
      if (printed.has(r.seq) || (r.status === null && !r.fault)) continue;
      printed.add(r.seq);
      const query = new URLSearchParams(r.query).toString();
      const fault = r.fault ? ` [${r.fault}]` : '';
      console.log(
        `${r.at} ${r.method} ${r.path}${query ? `?${query}` : ''} -> ${r.status ?? '-'}${fault}`,
      );
    }
  });
}

async function main(): Promise<void> {
  const settings = cliSettings(process.env);
  if ('problems' in settings) {
    console.error(`fake flyte server: ${settings.problems.join('; ')}`);
    process.exit(2);
  }
  const server = new FakeFlyteServer(settings);
  await server.start();
  const url = server.url;
  console.log(`fake flyte server listening on ${url}  (API: ${url}/v1)`);
  console.log('control endpoints (no auth, never faulted):');
  for (const line of [
    'POST   /_fake/actions      {"packName","packLabels"?,"command","input"?} -> 201 action',
    'GET    /_fake/actions      GET /_fake/actions/:id   GET /_fake/events',
    'GET    /_fake/packs        GET /_fake/requests      DELETE /_fake/packs/:id',
    'POST   /_fake/faults       {"errorRate"?,"dropRate"?,"dropWhen"?,"latencyMs"?,"endpoints"?,"seed"?}  ({} clears)',
    'POST   /_fake/auth         {"token": "..." | null}',
    'POST   /_fake/health       {"healthy": false}',
    'POST   /_fake/reset',
    'GET    /_fake/wait?results=N&taken=N&events=N&timeoutMs=T   (200, or 408 on timeout)',
  ]) {
    console.log(`  ${line.replace(/\/_fake/g, `${url}/_fake`)}`);
  }
  if (!settings.quiet) printRequests(server);
  const stop = (signal: string) => {
    console.log(`${signal}: closing the fake flyte server`);
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(`fake flyte server failed to start: ${errorMessage(e)}`);
    process.exit(1);
  });
}
