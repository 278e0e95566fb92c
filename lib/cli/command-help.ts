import { flagUsage, type FlagSpec } from './parse-flags.js';

/**
 * What the help of a command says: its usage line, what it does, its flags (with defaults) and
 * any text after them.
 *
 * @example
 * const help: CommandHelp = { usage: 'flyte-client fake-server [options]', description: 'run a fake flyte server', flags: FAKE_SERVER_FLAGS };
 */
export interface CommandHelp {
  /** After `Usage: `. */
  readonly usage: string;
  /** One sentence. */
  readonly description: string;
  /** The command's flags; `-h, --help` is added. */
  readonly flags: readonly FlagSpec[];
  /** Sections after the flags (sub-commands, settings, examples), each a block of lines. */
  readonly after?: readonly string[];
}

/**
 * The help text of a command, each flag on one line with its default.
 *
 * @param help - what to say.
 * @returns the text, ending with a newline.
 * @example
 * io.write(commandHelpText({ usage: 'flyte-client fake-server [options]', description: '...', flags: FAKE_SERVER_FLAGS }));
 */
export function commandHelpText(help: CommandHelp): string {
  const rows: [string, string][] = [
    ...help.flags.map((f): [string, string] => [
      flagUsage(f),
      f.default !== undefined && f.parse
        ? `${f.description} (default: ${String(f.default)})`
        : f.description,
    ]),
    ['-h, --help', 'display help for command'],
  ];
  const width = Math.max(...rows.map(([usage]) => usage.length));
  return [
    `Usage: ${help.usage}`,
    '',
    help.description,
    '',
    'Options:',
    ...rows.map(([usage, what]) => `  ${usage.padEnd(width)}  ${what}`),
    ...(help.after ?? []).flatMap((block) => ['', block]),
    '',
  ].join('\n');
}
