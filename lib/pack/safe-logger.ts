import type { LogLevel } from '../model/console-logger.js';
import type { Logger } from '../model/logger.js';
import { asLogger } from '../model/pino-logger.js';

/**
 * Wraps a logger so that a throw from it (a broken transport, a format that cannot serialise
 * some meta) is dropped instead of escaping into the pack's pipelines: the runtime logs from
 * inside its streams, where a throwing logger would end the take loop and leave the pack
 * looking alive while it takes nothing more. A pino logger is adapted (`asLogger`), so that
 * its fields are kept.
 *
 * @param logger - the logger given in the options.
 * @returns a logger that passes every entry on to `logger` and never throws.
 * @example
 * const logger = safeLogger(options.logger ?? consoleLogger());
 * logger.warn('take failed'); // never throws, whatever options.logger does
 */
export function safeLogger(given: Logger): Logger {
  const logger = asLogger(given);
  const guard =
    (level: LogLevel) =>
    (message: string, meta?: Record<string, unknown>): void => {
      try {
        if (meta === undefined) logger[level](message);
        else logger[level](message, meta);
      } catch {
        // Nowhere left to report it: the logger is what failed.
      }
    };
  return { error: guard('error'), warn: guard('warn'), info: guard('info'), debug: guard('debug') };
}
