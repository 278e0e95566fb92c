import type { LogFormat } from './config.js';

/**
 * Whether a pack's log lines are for people (`pretty`) rather than machines (JSON): asked
 * for, or `auto` (or nothing) on a terminal.
 *
 * @param format - the log format asked for.
 * @param stream - where the lines go.
 * @returns `true` for pretty lines.
 * @example
 * writesPretty('auto', process.stdout); // true in a terminal, false in a container
 */
export function writesPretty(
  format: LogFormat | undefined,
  stream: NodeJS.WritableStream,
): boolean {
  return (
    format === 'pretty' || (format !== 'json' && (stream as { isTTY?: boolean }).isTTY === true)
  );
}
