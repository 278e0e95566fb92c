import { format, type Logform } from 'winston';
import { redact } from '../model/redact.js';
import { redactValue } from './redact-value.js';
import { type Secrets, secretsNow } from './secrets.js';

/** winston's (triple-beam's) keys of the splat arguments and of the finished line. */
const SPLAT = Symbol.for('splat');
const MESSAGE = Symbol.for('message');

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
  return format((original) => {
    const kept = secretsNow(secrets);
    if (kept.length === 0) return original;
    // `logger.error(err)` hands the Error itself over, with message and stack not enumerable.
    const info =
      original instanceof Error
        ? Object.assign({ message: original.message, stack: original.stack }, original)
        : original;
    for (const key of Object.keys(info)) {
      if (key === 'level') continue;
      const value = redactValue(info[key], kept);
      const cleanKey = redact(key, kept);
      if (cleanKey !== key) delete info[key];
      info[cleanKey] = value;
    }
    for (const key of [SPLAT, MESSAGE]) {
      if (info[key] !== undefined) info[key] = redactValue(info[key], kept);
    }
    return info;
  })();
}
