import type { DeliveryReport, OutboxItem } from '../model/outbox-item.js';

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Keeps the promise of each event handed to `sendEvent` until the outbox reports its
 * delivery: resolved when the server accepted it, rejected with the {@link DeliveryError}
 * when it was given up.
 *
 * @example
 * const tracker = new DeliveryTracker();
 * const sent = tracker.track(item);
 * reports$.subscribe((report) => tracker.settle(report));
 */
export class DeliveryTracker {
  private readonly pending = new Map<OutboxItem, Pending>();

  /**
   * Starts tracking an item.
   *
   * @param item - the item about to enter the outbox.
   * @returns a promise settled by the item's report.
   * @example
   * const sent = tracker.track(item); outbox.next(item); await sent;
   */
  track(item: OutboxItem): Promise<void> {
    return new Promise<void>((resolve, reject) => this.pending.set(item, { resolve, reject }));
  }

  /**
   * Settles the promise of a reported item (nothing happens for an untracked one).
   *
   * @param report - the outbox's report.
   * @example
   * reports$.subscribe((report) => tracker.settle(report));
   */
  settle(report: DeliveryReport): void {
    const pending = this.pending.get(report.item);
    if (!pending) return;
    this.pending.delete(report.item);
    if (report.error) pending.reject(report.error);
    else pending.resolve();
  }
}
