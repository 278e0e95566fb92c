import { format, type Logform } from 'winston';
import { redactEntry } from './redact-entry.js';
import { type Secrets, secretsNow } from './secrets.js';

/**
 * A winston format that removes secrets from a log entry: from the message, from every meta
 * value however deeply nested (without touching the caller's objects), from the splat
 * arguments and from an already finished line; an Error logged as the entry itself becomes a
 * plain entry with its message and stack. Put it first in the logger's format so every
 * transport gets clean entries, even from careless callers.
 *
 * @param secrets - the values that must never be logged (e.g. the bearer token); a live
 *   `SecretSet` is read afresh for every entry.
 * @returns the format.
 * @example
 * const logger = winston.createLogger({
 *   format: winston.format.combine(redactFormat([token]), winston.format.json()),
 *   transports: [new winston.transports.Console()],
 * });
 */
export function redactFormat(secrets: Secrets): Logform.Format {
  return format((info) => redactEntry(info, secretsNow(secrets)) as Logform.TransformableInfo)();
}
