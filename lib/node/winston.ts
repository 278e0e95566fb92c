/**
 * `flyte-client/node/winston`: the winston logger of a pack process and the format that
 * keeps secrets out of it. An entry point of its own so that a pack logging through a logger
 * of its own (pino, console…) never loads winston; `runPack` loads it for its default logger.
 *
 * @module flyte-client/node/winston
 */
// Explicit named exports only.
export { createLogger, type CreateLoggerOptions } from './winston-logger.js';
export { redactFormat } from './redact-format.js';
