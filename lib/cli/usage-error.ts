/**
 * A mistake on the command line: an unknown command or flag, a missing or invalid value. The
 * CLI prints its message with a hint to `--help` and exits 2.
 *
 * @example
 * throw new UsageError("unknown option '--bogus'");
 */
export class UsageError extends Error {
  /** @param message - what is wrong, naming the flag or command and the value. */
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
