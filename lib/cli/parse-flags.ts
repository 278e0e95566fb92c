import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/**
 * One flag of a command: its name, what it means, and, for a flag with a value, how to parse
 * the value and its default. A flag without `parse` is a switch (`--quiet`).
 *
 * @example
 * const port: FlagSpec<number> = { name: 'port', value: 'port', description: 'port to listen on', parse: Number, default: 8080 };
 */
export interface FlagSpec<T = unknown> {
  /** The flag's name without dashes, e.g. `latency-ms`. */
  readonly name: string;
  /** The name of its value in the help, e.g. `ms`; none for a switch. */
  readonly value?: string;
  /** What it does, in the help. */
  readonly description: string;
  /** Turns the raw value into the flag's value; throws a {@link UsageError} saying what is expected. */
  readonly parse?: (raw: string) => T;
  /** The value when the flag is not given; none means `undefined`. */
  readonly default?: T;
}

/**
 * How a flag is written in the help and in messages: `--port <port>`, or `--quiet`.
 *
 * @param flag - the flag.
 * @returns its usage.
 * @example
 * flagUsage({ name: 'port', value: 'port', description: '' }); // '--port <port>'
 */
export function flagUsage(flag: FlagSpec): string {
  return flag.value ? `--${flag.name} <${flag.value}>` : `--${flag.name}`;
}

/**
 * Parses a command's arguments against its flags with `node:util` `parseArgs`, then checks each
 * token: an unknown flag, a value missing or invalid, a value given to a switch or an argument
 * the command does not take is a {@link UsageError} naming it. `--help` / `-h` is always known.
 *
 * @param flags - the command's flags.
 * @param args - the arguments after the command's name.
 * @param command - the command's name, for messages.
 * @returns the values by flag name (`latency-ms` → `latencyMs`), defaults filled in, and whether help was asked for.
 * @throws UsageError on any mistake.
 * @example
 * parseFlags(FAKE_SERVER_FLAGS, ['--port', '0'], 'fake-server').values.port; // 0
 */
export function parseFlags(
  flags: readonly FlagSpec[],
  args: readonly string[],
  command: string,
): { values: Record<string, unknown>; help: boolean } {
  const byName = new Map(flags.map((f) => [f.name, f]));
  const options = Object.fromEntries(
    flags.map((f) => [f.name, { type: f.parse ? ('string' as const) : ('boolean' as const) }]),
  );
  const { tokens } = parseArgs({
    args: [...args],
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, unknown> = {};
  for (const f of flags) values[camel(f.name)] = f.parse ? f.default : (f.default ?? false);
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      throw new UsageError(
        `too many arguments for '${command}'. Expected 0 arguments but got '${token.value}'.`,
      );
    }
    if (token.kind !== 'option') continue;
    if (token.name === 'help') {
      help = true;
      continue;
    }
    const flag = byName.get(token.name);
    if (!flag) throw new UsageError(`unknown option '${token.rawName}'`);
    values[camel(flag.name)] = valueOf(flag, token.value);
  }
  return { values, help };
}

function valueOf(flag: FlagSpec, raw: string | undefined): unknown {
  if (!flag.parse) {
    if (raw !== undefined)
      throw new UsageError(`option '${flagUsage(flag)}' does not take a value`);
    return true;
  }
  if (raw === undefined) throw new UsageError(`option '${flagUsage(flag)}' argument missing`);
  try {
    return flag.parse(raw);
  } catch (e) {
    const expected = e instanceof Error ? ` ${e.message}` : '';
    throw new UsageError(`option '${flagUsage(flag)}' argument '${raw}' is invalid.${expected}`);
  }
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
