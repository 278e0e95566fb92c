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
