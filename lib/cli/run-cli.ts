import { type CliIo, processIo } from './cli-io.js';
import { commandHelpText, type CommandHelp } from './command-help.js';
import { FAKE_SERVER_HELP, fakeServerCommand } from './fake-server-command.js';
import { UsageError } from './usage-error.js';

/** Exit code of a usage error: a bad flag, value or command. */
const USAGE_ERROR = 2;

/** The commands, by name. */
const COMMANDS: Readonly<
  Record<string, { help: CommandHelp; run: (args: readonly string[], io: CliIo) => Promise<void> }>
> = {
  'fake-server': { help: FAKE_SERVER_HELP, run: fakeServerCommand },
};

const PROGRAM_HELP: CommandHelp = {
  usage: 'flyte-client [options] [command]',
  description: 'Tools for developing flyte packs with flyte-client',
  flags: [],
  after: [
    [
      'Commands:',
      ...Object.entries(COMMANDS).map(
        ([name, { help }]) => `  ${name} [options]  ${help.description}`,
      ),
      '',
      'flyte-client <command> --help shows the flags of a command.',
    ].join('\n'),
  ],
};

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
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h') {
    io.write(commandHelpText(PROGRAM_HELP));
    return 0;
  }
  if (name === undefined) {
    io.writeError(commandHelpText(PROGRAM_HELP));
    return USAGE_ERROR;
  }
  try {
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      throw new UsageError(
        name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`,
      );
    }
    await command.run(rest, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.writeError(`error: ${e.message}\n(add --help for usage)\n`);
      return USAGE_ERROR;
    }
    io.writeError(`flyte-client: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
