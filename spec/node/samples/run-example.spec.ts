import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** Runs `make run-example`'s command and collects its output and exit code. */
function runExample(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = join(__dirname, '../../..');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.FLYTE_API;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'samples/run-example.ts'],
      { cwd: root, env: childEnv, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
}

describe('samples/run-example.ts (make run-example without FLYTE_API)', () => {
  it('runs the rota pack against an in-process fake server, prints each action and answer, exits 0', async () => {
    const { code, stdout, stderr } = await runExample({ FLYTE_POLL_INTERVAL_MS: '500' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.match(/^-> took action action-\d+: Rota "\w+"$/gm)?.length).toBe(3);
    expect(stdout.match(/^<- action action-\d+ answered RotaRetrieved: "\w+"$/gm)?.length).toBe(3);
    expect(stdout.match(/ SUCCESS: RotaRetrieved /g)?.length).toBe(3);
    expect(stdout).toContain('pack stopped gracefully');
  });

  it('refuses a malformed FLYTE_POLL_INTERVAL_MS, naming it, with exit code 2', async () => {
    const { code, stderr } = await runExample({ FLYTE_POLL_INTERVAL_MS: 'soon' });
    expect(code).toBe(2);
    expect(stderr).toContain('FLYTE_POLL_INTERVAL_MS="soon" is invalid');
  });
});
