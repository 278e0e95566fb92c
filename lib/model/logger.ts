/**
 * The small logger interface the core accepts: `(message, meta)`. A winston logger satisfies
 * it as it is (`logger.info(message, meta)`), as does `console`; a pino logger, which takes
 * `(fields, message)`, goes through `pinoLogger(pino)`.
 *
 * @example
 * const pack = new Pack(def, { url, logger: console });
 */
export interface Logger {
  /** Logs something that went wrong and needs someone to act; `meta` is structured context. */
  error(message: string, meta?: Record<string, unknown>): void;
  /** Logs something that went wrong and was handled (a retry, a failed action). */
  warn(message: string, meta?: Record<string, unknown>): void;
  /** Logs a step of the pack's life (registered, stopped). */
  info(message: string, meta?: Record<string, unknown>): void;
  /** Logs detail for debugging. */
  debug(message: string, meta?: Record<string, unknown>): void;
  /**
   * Never set. A pino logger has `bindings()` and takes `(fields, message)`: its methods
   * would accept `(message, meta)` and drop every field, so this keeps it from compiling
   * where a `Logger` goes. Wrap it with `pinoLogger(pino)`.
   */
  readonly bindings?: never;
}

/**
 * A logger that drops everything.
 *
 * @example
 * new Pack(def, { url, logger: silentLogger });
 */
export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

/**
 * A logger that adds `meta` to every entry it passes on to `logger` (an entry's own meta wins
 * on a clash). The pack gives each handler one carrying the action's `actionId` and `command`.
 *
 * @param logger - where the entries go.
 * @param meta - the fields every entry gets.
 * @returns the logger.
 * @example
 * const log = withMeta(logger, { actionId: action.id, command: action.command });
 * log.info('rota read'); // meta: { actionId: '42', command: 'Rota' }
 */
export function withMeta(logger: Logger, meta: Record<string, unknown>): Logger {
  const add = (own?: Record<string, unknown>) => ({ ...meta, ...own });
  return {
    error: (message, own) => logger.error(message, add(own)),
    warn: (message, own) => logger.warn(message, add(own)),
    info: (message, own) => logger.info(message, add(own)),
    debug: (message, own) => logger.debug(message, add(own)),
  };
}
