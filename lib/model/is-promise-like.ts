/**
 * Whether `value` is a promise or any other thenable (what `await` and RxJS's `from` accept
 * as one).
 *
 * @param value - anything a handler returned.
 * @returns true when it has a `then` method.
 * @example
 * isPromiseLike(Promise.resolve(1)); // true
 * isPromiseLike({ eventDef: done, payload: 1 }); // false
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
