import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startTsx } from '../cli/cli-process.js';

/**
 * How long a run of the example may take before it is killed. The work: starting tsx
 * (compiling the sample and the SDK, seconds on a loaded machine), then real time in the
 * sample itself (polls 500 ms apart, a recovery that waits 5 s for an action to be stranded
 * and scans every 2 s, a graceful stop).
 */
const CHILD_LIMIT_MS = 60_000;
/** Each spec waits for its child's own end (or its kill at the limit), never less. */
const SPEC_TIMEOUT_MS = CHILD_LIMIT_MS + 5_000;

/** Runs `make run-example`'s command and collects its output and exit code. */
function runExample(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = join(__dirname, '../../..');
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.FLYTE_API;
  delete childEnv.FLYTE_RECOVER_STRANDED_AFTER;
  delete childEnv.FLYTE_RECOVER_STRANDED_EVERY;
  Object.assign(childEnv, env);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'samples/run-example.ts'],
      { cwd: root, env: childEnv, timeout: CHILD_LIMIT_MS },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
}

describe('samples/run-example.ts (make run-example without FLYTE_API)', () => {
  it(
    'runs the rota pack against an in-process fake server, prints each action and answer, exits 0',
    async () => {
      const { code, stdout, stderr } = await runExample({ FLYTE_POLL_INTERVAL_MS: '500' });
      expect(stdout).not.toContain('vanished');
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout.match(/^-> took action action-\d+: Rota "\w+"$/gm)?.length).toBe(3);
      expect(stdout.match(/^<- action action-\d+ answered RotaRetrieved: "\w+"$/gm)?.length).toBe(
        3,
      );
      expect(stdout.match(/ SUCCESS: RotaRetrieved /g)?.length).toBe(3);
      expect(stdout).toContain('pack stopped gracefully');
      expect(stdout).toMatch(/^console: http:\/\/127\.0\.0\.1:\d+\/_fake\/ui /m);
      // Its metrics, as read from its own /metrics (on 8090, or a free port when that is taken).
      expect(stdout).toMatch(
        /^health: (http:\/\/127\.0\.0\.1:\d+)\/health {2}metrics: \1\/metrics$/m,
      );
      expect(stdout).toMatch(
        /^ {3}flyte_pack_actions_taken_total\{pack="page-of-duty-pack",command="Rota",recovered="false"\} 3$/m,
      );
      expect(stdout).toMatch(
        /^ {3}flyte_pack_results_total\{pack="page-of-duty-pack",command="Rota",outcome="success"\} 3$/m,
      );
    },
    SPEC_TIMEOUT_MS,
  );

  it(
    'with FLYTE_EXAMPLE_KEEP=1 keeps the server and the pack running for the console until SIGTERM, then exits 0',
    async () => {
      const demo = startTsx('samples/run-example.ts', [], {
        FLYTE_EXAMPLE_KEEP: '1',
        FLYTE_POLL_INTERVAL_MS: '500',
        FLYTE_API: undefined,
      });
      try {
        const [, url] = await demo.waitForOutput(/^console: (http:\/\/\S+)\/_fake\/ui$/m);
        await demo.waitForOutput(/the fake server and the pack keep running/);
        expect((await fetch(`${url}/_fake/ui`)).status).toBe(200);
        // the pack still takes actions: one more, as the console's form would create it
        const created = await fetch(`${url}/_fake/actions`, {
          method: 'POST',
          body: JSON.stringify({ packName: 'page-of-duty-pack', command: 'Rota', input: 'ops' }),
        });
        const { id } = (await created.json()) as { id: string };
        expect((await fetch(`${url}/_fake/wait?results=4&timeoutMs=10000`)).status).toBe(200);
        const action = (await (await fetch(`${url}/_fake/actions/${id}`)).json()) as {
          state: string;
        };
        expect(action.state).toBe('SUCCESS');
        // `curl <health port>/metrics` while it runs: the fourth action is counted.
        const [, metricsUrl] = await demo.waitForOutput(/ metrics: (http:\/\/\S+\/metrics)$/m);
        const metrics = await fetch(metricsUrl!);
        expect(metrics.headers.get('content-type')).toBe(
          'text/plain; version=0.0.4; charset=utf-8',
        );
        expect(await metrics.text()).toMatch(
          /^flyte_pack_actions_taken_total\{pack="page-of-duty-pack",command="Rota",recovered="false"\} 4$/m,
        );
        demo.child.kill('SIGTERM');
        expect(await demo.exited).toBe(0);
        expect(demo.stdout()).toContain('SIGTERM: stopping the pack and the fake server');
        expect(demo.stdout()).toContain('pack stopped gracefully');
        expect(demo.stderr()).toBe('');
      } finally {
        demo.child.kill('SIGKILL');
      }
    },
    SPEC_TIMEOUT_MS,
  );

  it(
    'with FLYTE_RECOVER_STRANDED_AFTER=5 and _EVERY=2, completes an action another client took and abandoned, logging it as recovered',
    async () => {
      const { code, stdout, stderr } = await runExample({
        FLYTE_POLL_INTERVAL_MS: '500',
        FLYTE_RECOVER_STRANDED_AFTER: '5',
        FLYTE_RECOVER_STRANDED_EVERY: '2',
      });
      expect(code).toBe(0);
      const [, id] =
        /^ {3}another client took action (action-\d+) and vanished/m.exec(stdout) ?? [];
      expect(id).toBeDefined();
      const logged = new RegExp(
        `recovering action ${id} \\(command "Rota"\\), stranded PENDING for (\\d+) s`,
      );
      expect(Number(logged.exec(stderr)?.[1])).toBeGreaterThanOrEqual(5);
      expect(stdout).toMatch(
        new RegExp(`^-> recovered action ${id}: Rota "ops", stranded PENDING for`, 'm'),
      );
      expect(stdout).toMatch(
        new RegExp(`^<- action ${id} answered RotaRetrieved: "\\w+" \\(recovered\\)$`, 'm'),
      );
      expect(stdout).toMatch(new RegExp(`^ {3}${id} Rota\\("ops"\\) SUCCESS: RotaRetrieved`, 'm'));
      expect(stdout.match(/ SUCCESS: RotaRetrieved /g)?.length).toBe(4);
      expect(stdout).toContain('pack stopped gracefully');
    },
    SPEC_TIMEOUT_MS,
  );

  for (const variable of ['FLYTE_RECOVER_STRANDED_AFTER', 'FLYTE_POLL_INTERVAL_MS']) {
    it(
      `refuses a malformed ${variable}, naming it, with exit code 2`,
      async () => {
        const { code, stderr } = await runExample({ [variable]: 'soon' });
        expect(code).toBe(2);
        expect(stderr).toContain(`${variable}="soon" is invalid`);
      },
      SPEC_TIMEOUT_MS,
    );
  }
});
