import { Command, CommanderError } from 'commander';
import { type CliIo, processIo } from './cli-io.js';
import { fakeServerCommand } from './fake-server-command.js';

/** Exit code of a usage error: a bad flag, value or command. */
const USAGE_ERROR = 2;

/**
 * Runs the `flyte-client` command line: parses `args`, runs the command, and says which exit
 * code the process should end with (0 done or help shown, 1 the command failed, 2 bad usage).
 *
 * @param args - the arguments after the program name (`process.argv.slice(2)`).
 * @param io - where to print and where signals come from. @default the process
 * @returns the exit code.
 * @example
 * runCli(['fake-server', '--port', '0']).then((code) => process.exit(code));
 */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = new Command('flyte-client')
    .description('Tools for developing flyte packs with flyte-client')
    .configureOutput({ writeOut: io.write, writeErr: io.writeError })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  // addCommand does not pass output, help-after-error and exit settings down: copy them.
  program.addCommand(fakeServerCommand(io).copyInheritedSettings(program));
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : USAGE_ERROR;
    io.writeError(`flyte-client: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
