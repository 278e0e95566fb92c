/**
 * Structural equality of plain data: primitives (`Object.is`, so `NaN` equals `NaN`), arrays,
 * plain objects (same own enumerable keys; a key holding `undefined` equals a missing key),
 * dates (same time) and errors (same class, name and message).
 *
 * @param actual - the value obtained.
 * @param expected - the value wanted.
 * @returns true when they are structurally equal.
 * @example
 * deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }); // true
 */
export function deepEqual(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  if (typeof actual !== 'object' || typeof expected !== 'object') return false;
  if (actual === null || expected === null) return false;
  if (Array.isArray(actual) !== Array.isArray(expected)) return false;
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) return false;
  if (actual instanceof Date) return actual.getTime() === (expected as Date).getTime();
  if (actual instanceof Error) {
    const e = expected as Error;
    return actual.name === e.name && actual.message === e.message;
  }
  const a = actual as Record<string, unknown>;
  const b = expected as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!deepEqual(a[key], b[key])) return false;
  }
  return true;
}

/**
 * The default assertion of the marble helpers: throws, showing both sides as JSON, when
 * `actual` and `expected` are not {@link deepEqual}. Pass your test framework's own
 * (`(a, e) => expect(a).toEqual(e)`) to {@link testPackWith} to get its diffs and matchers.
 *
 * @param actual - the value obtained.
 * @param expected - the value wanted.
 * @throws Error when they differ.
 * @example
 * assertDeepEqual([{ frame: 0 }], [{ frame: 0 }]); // passes
 */
export function assertDeepEqual(actual: unknown, expected: unknown): void {
  if (deepEqual(actual, expected)) return;
  throw new Error(`expected\n  ${show(expected)}\nbut got\n  ${show(actual)}`);
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Error ? `${v.name}: ${v.message}` : v === undefined ? '<undefined>' : v,
    );
  } catch {
    return String(value);
  }
}
