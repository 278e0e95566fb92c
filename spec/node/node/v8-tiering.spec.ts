import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  applyEarlyOptimisation,
  EARLY_OPTIMISATION,
  earlyOptimisationFlag,
} from '../../../lib/node/v8-tiering.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/tiering-fixture.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Starting a TypeScript child process is slow on a cold or busy machine. */
const CHILD_SPEC_TIMEOUT = 30_000;

/**
 * Runs the tiering fixture (runPack, then a function called until V8 optimises it) with
 * `nodeFlags` and `env`; resolves with the calls it took, rejects when V8 refused a flag.
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
        // A flag this V8 does not know is not an error to node: V8 only writes it to stderr.
      } else if (err.includes('unrecognized flag')) reject(new Error(`V8 refused a flag: ${err}`));
      else resolve((JSON.parse(line) as { calls: number }).calls);
    }),
  );
}

describe('earlyOptimisationFlag', () => {
  const NODE_20 = '11.3.244.8-node.19';
  const NODE_21 = '11.8.172.17-node.20';
  const NODE_22 = '12.4.254.21-node.33';
  const cases: Array<[string, string, string[], string | undefined]> = [
    ['Node 20: the interrupt budget', NODE_20, [], '--interrupt-budget=8192'],
    [
      'Node 20, beside other flags',
      NODE_20,
      ['--no-warnings', '--max-old-space-size=256'],
      '--interrupt-budget=8192',
    ],
    [
      'Node 20, beside a flag whose name only starts alike',
      NODE_20,
      ['--interrupt-budget-for-feedback-allocation=100'],
      '--interrupt-budget=8192',
    ],
    // V8 12.4 has no --interrupt-budget: set, it would print "Error: unrecognized flag".
    ['Node 22: the TurboFan call count', NODE_22, [], '--invocation-count-for-turbofan=375'],
    ['Node 21: the TurboFan call count', NODE_21, [], '--invocation-count-for-turbofan=375'],
    [
      'Node 22, when the command line sets the budget of Node 20 only',
      NODE_22,
      ['--interrupt-budget=100000'],
      '--invocation-count-for-turbofan=375',
    ],
    ["none on Node 23 (Maglev's early tier)", '12.9.202.28-node.14', [], undefined],
    ['none on Node 24', '13.6.233.17-node.53', [], undefined],
    ['none on Node 25', '14.1.146.11-node.25', [], undefined],
    ['none on a V8 not listed (Node 18)', '10.2.154.26-node.26', [], undefined],
    ['none on a version it cannot read', 'custom', [], undefined],
    [
      "none when node's command line sets it (=)",
      NODE_20,
      ['--interrupt-budget=100000'],
      undefined,
    ],
    [
      "none when node's command line sets it (underscores)",
      NODE_20,
      ['--interrupt_budget=100000'],
      undefined,
    ],
    [
      "none when node's command line sets it (separate value)",
      NODE_20,
      ['--interrupt-budget', '100000'],
      undefined,
    ],
    [
      "none when node's command line sets the count (Node 22)",
      NODE_22,
      ['--invocation_count_for_turbofan=50'],
      undefined,
    ],
  ];
  for (const [what, v8Version, execArgv, expected] of cases) {
    it(`gives ${what}`, () => {
      expect(earlyOptimisationFlag(v8Version, execArgv)).toBe(expected);
    });
  }
});

describe('applyEarlyOptimisation', () => {
  const NODE_20 = { v8Version: '11.3.244.8-node.19', execArgv: [] };

  it('sets the flag once and says which', () => {
    const set = jasmine.createSpy('setFlagsFromString');
    expect(applyEarlyOptimisation(true, { ...NODE_20, setFlags: set })).toBe(
      '--interrupt-budget=8192',
    );
    expect(set.calls.allArgs()).toEqual([['--interrupt-budget=8192']]);
  });

  it('sets nothing when turned off, or when the policy gives no flag', () => {
    const set = jasmine.createSpy('setFlagsFromString');
    expect(applyEarlyOptimisation(false, { ...NODE_20, setFlags: set })).toBeUndefined();
    const maglev = { v8Version: '13.6.233.17-node.53', execArgv: [], setFlags: set };
    expect(applyEarlyOptimisation(true, maglev)).toBeUndefined();
    expect(set).not.toHaveBeenCalled();
  });
});

describe("runPack's early optimisation (child processes)", () => {
  it(
    'optimises code run once per action in under a quarter of the calls V8 takes on its own; the command line wins',
    async () => {
      const flag = earlyOptimisationFlag(process.versions.v8, []);
      if (flag === undefined) {
        pending(`V8 ${process.versions.v8} optimises early on its own: runPack sets nothing`);
        return;
      }
      const row = EARLY_OPTIMISATION.find((r) => flag.startsWith(`${r.flag}=`))!;
      const own = await callsToOptimise([], { FLYTE_V8_OPTIMISE_EARLY: 'false' });
      const byDefault = await callsToOptimise([], {});
      // Four times V8's own: more calls than V8 alone takes, if it is the one in force.
      const commandLine = await callsToOptimise([`${row.flag}=${row.own * 4}`], {});
      expect(byDefault).toBeLessThan(own / 4);
      expect(commandLine).toBeGreaterThan(own);
    },
    CHILD_SPEC_TIMEOUT * 3,
  );
});
