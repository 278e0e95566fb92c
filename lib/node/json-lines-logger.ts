import type { Logger } from '../model/logger.js';
import type { LogLevel } from './config.js';
import { type LogEntry, redactEntry } from './redact-entry.js';
import { type Secrets, secretsNow } from './secrets.js';
import { stableJson } from './stable-json.js';

/** winston's (npm's) severities: an entry is written when its level's is at most the logger's. */
const SEVERITY: Readonly<Record<LogLevel, number>> = { error: 0, warn: 1, info: 2, debug: 5 };

/**
 * Options of {@link jsonLinesLogger}.
 *
 * @example
 * const options: JsonLinesLoggerOptions = { level: 'info', secrets: [token], stream: process.stdout };
 */
export interface JsonLinesLoggerOptions {
  /** The least severe level written. */
  readonly level: LogLevel;
  /** Values removed from every entry (message, meta values and keys). */
  readonly secrets: Secrets;
  /** Where lines go. */
  readonly stream: NodeJS.WritableStream;
}

/**
 * runPack's logger when its lines are for machines: the very line `createLogger`'s `json`
 * format writes (`timestamp`, `level`, `message` and the meta fields, keys sorted as
 * `stableJson` does, secrets removed), written by a few lines of code instead of winston, so that a pack in a container
 * does not load winston's eighty-odd modules at start.
 *
 * @param options - level, secrets and stream.
 * @returns the logger.
 * @example
 * const logger = jsonLinesLogger({ level: 'info', secrets: [token], stream: process.stdout });
 * logger.info('registered', { pack: 'rota' });
 */
export function jsonLinesLogger(options: JsonLinesLoggerOptions): Logger {
  const least = SEVERITY[options.level];
  const at =
    (level: LogLevel) =>
    (message: string, meta?: Record<string, unknown>): void => {
      if (SEVERITY[level] > least) return;
      const entry = redactEntry(entryOf(level, message, meta), secretsNow(options.secrets));
      options.stream.write(`${stableJson(entry)}\n`);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** The entry winston's `logger.log(level, message, meta)` makes, with its timestamp. */
function entryOf(level: LogLevel, message: string, meta?: Record<string, unknown>): LogEntry {
  const entry: LogEntry = { ...meta, level, message };
  // As winston does: meta's own message follows the message; its stack and cause are kept.
  if (meta?.message) entry.message = `${message} ${String(meta.message)}`;
  if (meta?.stack) entry.stack = meta.stack;
  if (meta?.cause) entry.cause = meta.cause;
  entry.timestamp = new Date().toISOString();
  return entry;
}
