import { redact } from '../model/redact.js';
import { redactValue } from './redact-value.js';

/** winston's (triple-beam's) keys of the splat arguments and of the finished line. */
const SPLAT = Symbol.for('splat');
const MESSAGE = Symbol.for('message');

/**
 * A log entry (winston's `info`): its level, message and meta fields as its own keys.
 *
 * @example
 * const entry: LogEntry = { level: 'info', message: 'registered', actionId: '42' };
 */
export type LogEntry = Record<string | symbol, unknown>;

/**
 * Removes the secrets `kept` from a log entry: from every value but the level (the message
 * and every meta value however deeply nested, without touching the caller's objects), from
 * every key, from the splat arguments and from an already finished line. An Error given as
 * the entry itself becomes a plain entry with its message and stack. The one redaction of
 * both the winston format and runPack's JSON lines.
 *
 * @param original - the entry (changed in place unless it is an Error).
 * @param kept - the secrets now (none: the entry is returned as it is).
 * @returns the clean entry.
 * @example
 * redactEntry({ level: 'info', message: `token ${token}` }, [token]).message; // 'token [REDACTED]'
 */
export function redactEntry(original: LogEntry, kept: readonly string[]): LogEntry {
  if (kept.length === 0) return original;
  // `logger.error(err)` hands the Error itself over, with message and stack not enumerable.
  const info: LogEntry =
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
}
