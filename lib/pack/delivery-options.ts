/**
 * How a pack delivers action results and spontaneous events (see `docs/guarantees.md`).
 * Results are posted until the server accepts them, refuses them for good, or `stop()`'s flush
 * deadline comes; events, which carry no id, have a budget of attempts. Every default is in
 * `PACK_DEFAULTS.delivery`.
 *
 * @example
 * new Pack(def, { url, delivery: { maxQueuedEvents: 500, eventAttempts: 5, maxRetryDelay: 10_000 } });
 */
export interface DeliveryOptions {
  /**
   * Results and events posted at once: the outbox's own bound, independent of
   * `handlers.concurrency`.
   * @default 10
   */
  readonly concurrency?: number;
  /**
   * Spontaneous events queued or being posted at once; beyond it `sendEvent` rejects at once
   * with an `OutboxFullError`. Results are not counted: the handler slots bound them.
   * @default 1000
   */
  readonly maxQueuedEvents?: number;
  /**
   * Posts of one spontaneous event before it is given up (waits the server asked for with
   * `Retry-After` spend none). Results have no such budget.
   * @default 10
   */
  readonly eventAttempts?: number;
  /**
   * The longest wait between two posts of one item, in ms (a `Retry-After` included); the
   * pack's `transport.backoff.maxDelay` applies instead when it is smaller.
   * @default 30000
   */
  readonly maxRetryDelay?: number;
}
