import { redact } from '../model/redact.js';

/** Nesting below which values are replaced by a marker rather than walked. */
const MAX_DEPTH = 12;

/**
 * A deep copy of `value` in which every string (keys included) has the secrets replaced.
 * Errors become plain objects (`name`, `message`, `stack`, `cause` and their own fields), so
 * they survive JSON logging; objects with `toJSON` (Date, URL, Buffer) are replaced by what
 * it returns; cycles become `'[Circular]'`. The input is never modified.
 *
 * @param value - anything a caller might log.
 * @param secrets - the values that must never appear.
 * @returns the redacted copy.
 * @example
 * redactValue({ headers: { authorization: `Bearer ${token}` } }, [token]);
 * // { headers: { authorization: 'Bearer [REDACTED]' } }
 */
export function redactValue(value: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (!secrets.some(Boolean)) return value;
  return walk(value, secrets, new WeakSet(), 0);
}

function walk(
  value: unknown,
  secrets: readonly (string | undefined)[],
  seen: WeakSet<object>,
  depth: number,
): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Too deep]';
  seen.add(value);
  try {
    const next = (v: unknown) => walk(v, secrets, seen, depth + 1);
    if (Array.isArray(value)) return value.map(next);
    if (value instanceof Error) return copyFields(errorFields(value), next, secrets);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return next(toJSON.call(value));
    if (value instanceof Map) return copyFields(Object.fromEntries(value), next, secrets);
    if (value instanceof Set) return [...value].map(next);
    return copyFields(value, next, secrets);
  } finally {
    seen.delete(value);
  }
}

function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.stack !== undefined) fields.stack = error.stack;
  if (error.cause !== undefined) fields.cause = error.cause;
  return Object.assign(fields, error);
}

function copyFields(
  source: object,
  next: (v: unknown) => unknown,
  secrets: readonly (string | undefined)[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(source)) out[redact(key, secrets)] = next(field);
  return out;
}
