/**
 * An abort signal made when first read: an `AbortController` costs several microseconds in
 * Node, and most handlers never read theirs. Aborting before the first read is kept, so a
 * signal read afterwards is already aborted, with the reason.
 *
 * @example
 * const abort = new LazyAbort();
 * const context = { get signal() { return abort.signal; } };
 * abort.abort(new Error('timed out')); // context.signal.aborted === true, whenever it is read
 */
export class LazyAbort {
  private controller: AbortController | undefined;
  private reason: unknown;
  private aborted = false;

  /** The signal, made at the first read (already aborted when {@link LazyAbort.abort} came first). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /**
   * Aborts the signal, read or not yet; a second call does nothing.
   *
   * @param reason - the signal's `reason`.
   */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}
