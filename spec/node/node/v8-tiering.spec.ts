import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { applyInterruptBudget, interruptBudgetFlag } from '../../../lib/node/v8-tiering.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/tiering-fixture.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Starting a TypeScript child process is slow on a cold or busy machine. */
const CHILD_SPEC_TIMEOUT = 30_000;

/**
 * Runs the tiering fixture (runPack, then a function called until V8 optimises it) with
 * `nodeFlags` and `env`; resolves with the calls it took.
 */
function callsToOptimise(nodeFlags: string[], env: Record<string, string>): Promise<number> {
  const child = spawn(
    process.execPath,
    // Compiling on the main thread makes the count exact: no background compile to wait for.
    [
      '--allow-natives-syntax',
      '--no-concurrent-recompilation',
      ...nodeFlags,
      '--import',
      'tsx',
      FIXTURE,
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        FLYTE_API: 'http://127.0.0.1:9',
        FLYTE_LOG_LEVEL: 'error',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const line = /^TIERING (.*)$/m.exec(err)?.[1];
      if (code !== 0 || line === undefined) {
        reject(new Error(`the tiering fixture exited with ${code}:\n${err}`));
      } else resolve((JSON.parse(line) as { calls: number }).calls);
    }),
  );
}

describe('interruptBudgetFlag', () => {
  const cases: Array<[string, number, string[], string | undefined]> = [
    ['the budget, on a plain command line', 8192, [], '--interrupt-budget=8192'],
    [
      'the budget, beside other flags',
      16384,
      ['--no-warnings', '--max-old-space-size=256'],
      '--interrupt-budget=16384',
    ],
    [
      'the budget, beside a flag whose name only starts alike',
      8192,
      ['--interrupt-budget-for-feedback-allocation=100'],
      '--interrupt-budget=8192',
    ],
    ["none for 0: V8's own budget", 0, [], undefined],
    ["none when node's command line sets it (=)", 8192, ['--interrupt-budget=100000'], undefined],
    [
      "none when node's command line sets it (underscore)",
      8192,
      ['--interrupt_budget=100000'],
      undefined,
    ],
    [
      "none when node's command line sets it (separate value)",
      8192,
      ['--interrupt-budget', '100000'],
      undefined,
    ],
  ];
  for (const [what, budget, execArgv, expected] of cases) {
    it(`gives ${what}`, () => {
      expect(interruptBudgetFlag(budget, execArgv)).toBe(expected);
    });
  }
});

describe('applyInterruptBudget', () => {
  it('sets the flag once and says which', () => {
    const set = jasmine.createSpy('setFlagsFromString');
    expect(applyInterruptBudget(8192, { execArgv: [], setFlags: set })).toBe(
      '--interrupt-budget=8192',
    );
    expect(set.calls.allArgs()).toEqual([['--interrupt-budget=8192']]);
  });

  it('sets nothing when the policy gives no flag', () => {
    const set = jasmine.createSpy('setFlagsFromString');
    expect(
      applyInterruptBudget(8192, { execArgv: ['--interrupt-budget=5000'], setFlags: set }),
    ).toBeUndefined();
    expect(applyInterruptBudget(0, { execArgv: [], setFlags: set })).toBeUndefined();
    expect(set).not.toHaveBeenCalled();
  });
});

describe("runPack's V8 tiering (child processes)", () => {
  it(
    'optimises code run once per action in under a quarter of the calls V8 takes on its own; the command line wins',
    async () => {
      const own = await callsToOptimise([], { FLYTE_V8_INTERRUPT_BUDGET: '0' });
      const byDefault = await callsToOptimise([], {});
      // A budget above V8's own: it takes more calls than V8 alone, if it is the one in force.
      const commandLine = await callsToOptimise(['--interrupt-budget=262144'], {});
      expect(byDefault).toBeLessThan(own / 4);
      expect(commandLine).toBeGreaterThan(own);
    },
    CHILD_SPEC_TIMEOUT * 3,
  );
});
