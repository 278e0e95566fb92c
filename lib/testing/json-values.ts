import { ModelError } from './flyte-model-types.js';

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * True when `value` is an RFC 3339 date-time the way Go's `time.Time` parses it.
 *
 * @example
 * isRfc3339('2024-05-01T10:00:00Z'); // true
 */
export function isRfc3339(value: unknown): value is string {
  return typeof value === 'string' && RFC_3339.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * A deep copy of a JSON value (`undefined` stays `undefined`); refuses what JSON cannot carry.
 *
 * @example
 * cloneJson({ a: [1] }); // { a: [1] }, a new object
 */
export function cloneJson<T>(value: T, what = 'value'): T {
  if (value === undefined) return value;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new ModelError(400, `${what} is not JSON: ${(e as Error).message}`);
  }
  if (text === undefined) throw new ModelError(400, `${what} is not JSON`);
  return JSON.parse(text) as T;
}
