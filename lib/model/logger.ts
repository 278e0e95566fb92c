/**
 * The small logger interface the core accepts. A winston logger satisfies it as it is
 * (`logger.info(message, meta)`), as does `console`.
 *
 * @example
 * const pack = new Pack(def, { url, logger: console });
 */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
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
