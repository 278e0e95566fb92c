// Runs a TypeScript entry point of the project as a real process (node --import tsx <file>):
// the flyte-client CLI as `npx flyte-client` would, or a sample; and reads its output.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** A running CLI process. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the first stdout match of `pattern` (rejects when the process ends first). */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal's name) once the process ended. */
  exited: Promise<number | string>;
}

/** Starts `flyte-client <args>` with `env` added to this process's environment. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  return startTsx('lib/cli/bin.ts', args, env);
}

/**
 * Starts `node --import tsx <file> <args>` in the project root, with `env` merged over this
 * process's environment (an `undefined` value removes a variable).
 */
export function startTsx(
  file: string,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  let ended = false;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    waiters.forEach((w) => w());
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.on('close', (code, signal) => {
      ended = true;
      waiters.forEach((w) => w());
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) {
            waiters.delete(check);
            resolve(match);
          } else if (ended) {
            waiters.delete(check);
            reject(new Error(`the CLI ended before printing ${pattern}: ${out}${err}`));
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

/** Runs `flyte-client <args>` to its end. */
export async function runCli(
  args: readonly string[],
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const cli = startCli(args);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}
