import type { Logger } from './logger.js';

/**
 * The levels of a {@link Logger}, most severe first.
 *
 * @example
 * const level: LogLevel = 'info';
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/**
 * A logger that writes to the console (Node or browser) the messages at `level` and above,
 * with their metadata. It is the pack's default, at `warn`. The SDK never passes a token to
 * its logger.
 *
 * @param level - the least severe level written. @default 'warn'
 * @param sink - where to write. @default console
 * @returns the logger.
 * @example
 * new Pack(def, { url, logger: consoleLogger('info') });
 */
export function consoleLogger(
  level: LogLevel = 'warn',
  sink: Pick<Console, LogLevel> = console,
): Logger {
  const enabled = (l: LogLevel): boolean => LEVELS.indexOf(l) <= LEVELS.indexOf(level);
  const write =
    (l: LogLevel) =>
    (message: string, meta?: Record<string, unknown>): void => {
      if (!enabled(l)) return;
      if (meta === undefined) sink[l](`[flyte-client] ${message}`);
      else sink[l](`[flyte-client] ${message}`, meta);
    };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}
