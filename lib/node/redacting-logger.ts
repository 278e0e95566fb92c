import type { LogLevel } from '../model/console-logger.js';
import type { Logger } from '../model/logger.js';
import { redact } from '../model/redact.js';
import { redactValue } from './redact-value.js';
import { type Secrets, secretsNow } from './secrets.js';

/**
 * Wraps any {@link Logger} (a winston instance of your own, `pinoLogger(pino())`, `console`, ...) so that the
 * secrets are removed from the message and from every meta value before it sees them.
 * `runPack` applies it to a logger you pass in; loggers from `createLogger` redact already.
 *
 * @param logger - the logger to protect.
 * @param secrets - the values that must never be logged; a live `SecretSet` is read afresh
 *   for every entry.
 * @returns a logger that forwards redacted entries.
 * @example
 * const logger = redactingLogger(console, [process.env.FLYTE_JWT]);
 * logger.info(`calling with ${process.env.FLYTE_JWT}`); // prints "calling with [REDACTED]"
 */
export function redactingLogger(logger: Logger, secrets: Secrets): Logger {
  // A fixed list without secrets needs no wrapper; a live set may grow later.
  if (Array.isArray(secrets) && secretsNow(secrets).length === 0) return logger;
  const forward =
    (level: LogLevel) =>
    (message: string, meta?: Record<string, unknown>): void => {
      const kept = secretsNow(secrets);
      const clean = redact(String(message), kept);
      if (meta === undefined) logger[level](clean);
      else logger[level](clean, redactValue(meta, kept) as Record<string, unknown>);
    };
  return {
    error: forward('error'),
    warn: forward('warn'),
    info: forward('info'),
    debug: forward('debug'),
  };
}
