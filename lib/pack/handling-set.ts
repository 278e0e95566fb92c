/**
 * The actions a pack is handling (taken or recovered, until their result is delivered or given
 * up), and those it settled recently with the time it did, so that a scan of the audit never
 * recovers the pack's own action: neither one in flight, nor one settled while the scan's page
 * was on its way (that page may still show it PENDING).
 *
 * @example
 * const handling = new HandlingSet(600_000);
 * handling.add('42');
 * handling.isHandling('42', scheduler.now()); // true
 * handling.settle('42', scheduler.now());
 */
export class HandlingSet {
  /** `undefined` while handling, else the time it was settled. */
  private readonly ids = new Map<string, number | undefined>();

  /** @param keep - how long a settled id is remembered, in ms (longer than a scan lasts). */
  constructor(private readonly keep: number) {}

  /** The number of actions being handled now. */
  get size(): number {
    return [...this.ids.values()].filter((v) => v === undefined).length;
  }

  /** Marks an action as being handled. */
  add(id: string): void {
    this.ids.set(id, undefined);
  }

  /** Marks an action as settled at `now`, and forgets those settled more than `keep` ago. */
  settle(id: string, now: number): void {
    if (!this.ids.has(id)) return;
    this.ids.set(id, now);
    for (const [other, at] of this.ids) {
      if (at !== undefined && at < now - this.keep) this.ids.delete(other);
    }
  }

  /**
   * Whether the action is being handled, or was settled at or after `since`.
   *
   * @param id - the action id.
   * @param since - when the scan asking started.
   * @returns true when the scan must leave the action alone.
   */
  isHandling(id: string, since: number): boolean {
    if (!this.ids.has(id)) return false;
    const at = this.ids.get(id);
    return at === undefined || at >= since;
  }
}
