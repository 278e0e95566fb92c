import type { Logger } from './logger.js';

/**
 * A logger that takes the structured fields first and the message second, as pino does:
 * `logger.warn({ actionId }, 'action failed')`.
 *
 * @example
 * import { pino } from 'pino';
 * const objectFirst: ObjectFirstLogger = pino();
 */
export interface ObjectFirstLogger {
  /** Logs at `error`. */
  error(fields: object, message?: string): void;
  /** Logs at `warn`. */
  warn(fields: object, message?: string): void;
  /** Logs at `info`. */
  info(fields: object, message?: string): void;
  /** Logs at `debug`. */
  debug(fields: object, message?: string): void;
}

/**
 * Adapts a pino logger (or any {@link ObjectFirstLogger}) to the {@link Logger} the SDK
 * writes to, so every field (`actionId`, `command`, the payload with its `reason`) reaches
 * the line as a field. An `Error` among the fields is written as `{ type, message, stack }`,
 * which pino's JSON would otherwise turn into `{}`. Passing a pino logger itself where a
 * `Logger` goes does not compile; at run time the SDK adapts one all the same, for
 * JavaScript callers.
 *
 * @param logger - the pino logger, e.g. `pino()` or a child of it.
 * @returns a `Logger` writing to it.
 * @example
 * import { pino } from 'pino';
 * await runPack(def, { logger: pinoLogger(pino()) });
 */
export function pinoLogger(logger: ObjectFirstLogger): Logger {
  const write =
    (level: keyof ObjectFirstLogger) =>
    (message: string, meta?: Record<string, unknown>): void =>
      logger[level](meta === undefined ? {} : showErrors(meta), message);
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}

/**
 * The logger as the SDK calls it: a pino logger (told by its `bindings()` and `child()`) is
 * adapted with {@link pinoLogger}; any other is used as it is. Every place where a logger
 * enters the SDK passes it through here.
 *
 * @param logger - the logger a caller gave.
 * @returns a logger that takes `(message, meta)`.
 * @example
 * const logger = asLogger(options.logger ?? consoleLogger());
 */
export function asLogger(logger: Logger): Logger {
  const candidate = logger as unknown as Record<string, unknown>;
  const pinoStyle =
    typeof candidate['bindings'] === 'function' && typeof candidate['child'] === 'function';
  return pinoStyle ? pinoLogger(logger as unknown as ObjectFirstLogger) : logger;
}

/** The fields, each top-level `Error` made JSON-ready. */
function showErrors(meta: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    shown[key] =
      value instanceof Error
        ? { type: value.name, message: value.message, stack: value.stack }
        : value;
  }
  return shown;
}
