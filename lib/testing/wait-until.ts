/**
 * Resolves as soon as `condition()` holds: checked at once, then after each notification from
 * `subscribe`. No polling, no timers. Rejects when the condition throws or `signal` aborts.
 *
 * @param subscribe - registers a change listener and returns its unsubscribe function.
 * @param condition - the condition to wait for.
 * @param signal - cancels the wait (the promise rejects with the signal's reason).
 * @returns a promise that settles once, after which the listener is removed.
 * @example
 * await waitUntil((l) => model.onChange(l), () => model.actions().length > 0);
 */
export function waitUntil(
  subscribe: (listener: () => void) => () => void,
  condition: () => boolean,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const settle = (error?: { reason: unknown }) => {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error.reason);
      else resolve();
    };
    const check = () => {
      try {
        if (condition()) settle();
      } catch (reason) {
        settle({ reason });
      }
    };
    const onAbort = () => settle({ reason: signal?.reason });
    const unsubscribe = subscribe(check);
    signal?.addEventListener('abort', onAbort);
    check();
  });
}
