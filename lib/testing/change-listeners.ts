import { waitUntil } from './wait-until.js';

/**
 * The change listeners of a piece of testing-kit state (the model, the fake server): register,
 * notify, and wait for a condition. A listener that throws is reported later (on a microtask)
 * and never breaks the state that notified it. Internal to the testing kit.
 *
 * @example
 * const listeners = new ChangeListeners();
 * const off = listeners.add(() => console.log('changed'));
 * listeners.notify(); // logs 'changed'
 * off();
 */
export class ChangeListeners {
  private readonly listeners = new Set<() => void>();

  /**
   * Calls `listener` after every change.
   *
   * @param listener - called with no arguments.
   * @returns the unsubscribe function.
   */
  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Calls every listener registered now, in registration order. */
  notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /**
   * Resolves as soon as `condition()` holds, now or after a change (see {@link waitUntil}).
   *
   * @param condition - the condition to wait for.
   * @param signal - cancels the wait.
   * @returns a promise that rejects when `condition` throws or `signal` aborts.
   */
  waitFor(condition: () => boolean, signal?: AbortSignal): Promise<void> {
    return waitUntil((l) => this.add(l), condition, signal);
  }
}
