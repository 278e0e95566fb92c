import type { SignalSource } from '../node/signals.js';

/**
 * Where the CLI writes and which signals stop it: the process, or captures in a spec.
 *
 * @example
 * const io: CliIo = { write: (t) => process.stdout.write(t), writeError: (t) => process.stderr.write(t), signals: process };
 */
export interface CliIo {
  /** Writes text (lines end with `\n`) to standard output. */
  write(text: string): void;
  /** Writes text to standard error. */
  writeError(text: string): void;
  /** Where SIGINT and SIGTERM come from. */
  readonly signals: SignalSource;
}

/**
 * The CLI's I/O on the running process.
 *
 * @returns stdout, stderr and `process` as the signal source.
 * @example
 * await runCli(process.argv.slice(2), processIo());
 */
export function processIo(): CliIo {
  return {
    write: (text) => void process.stdout.write(text),
    writeError: (text) => void process.stderr.write(text),
    signals: process,
  };
}
