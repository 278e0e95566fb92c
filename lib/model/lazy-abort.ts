/**
 * An abort made cheap: its `AbortSignal` is made only when first read (an `AbortController`
 * costs several microseconds in Node, and most handlers and exchanges never read theirs), and
 * whoever needs only to hear the abort registers a plain listener ({@link LazyAbort.onAbort}).
 * Aborting before the first read is kept, so a signal read afterwards is already aborted, with
 * the reason.
 *
 * @example
 * const abort = new LazyAbort();
 * abort.onAbort(() => req.destroy()); // heard without an AbortSignal being made
 * abort.abort(new Error('timed out')); // abort.signal.aborted === true, whenever it is read
 */
export class LazyAbort {
  private controller: AbortController | undefined;
  private reason: unknown;
  private listeners: Array<() => void> | undefined;
  private done = false;

  /** The signal, made at the first read (already aborted when {@link LazyAbort.abort} came first). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.done) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Whether {@link LazyAbort.abort} has been called. */
  get aborted(): boolean {
    return this.done;
  }

  /**
   * Runs `listener` once at the abort (at once when already aborted), before the signal's
   * own listeners.
   *
   * @param listener - told of the abort.
   * @returns removes the listener.
   * @example
   * const stop = abort.onAbort(() => req.destroy());
   * req.on('close', stop);
   */
  onAbort(listener: () => void): () => void {
    if (this.done) {
      listener();
      return () => undefined;
    }
    (this.listeners ??= []).push(listener);
    return () => {
      const at = this.listeners?.indexOf(listener) ?? -1;
      if (at >= 0) this.listeners!.splice(at, 1);
    };
  }

  /**
   * Aborts, the signal read or not yet; a second call does nothing.
   *
   * @param reason - the signal's `reason`.
   */
  abort(reason: unknown): void {
    if (this.done) return;
    this.done = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    listeners?.forEach((listener) => listener());
    this.controller?.abort(reason);
  }
}
