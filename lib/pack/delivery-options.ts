/**
 * How a {@link Pack} delivers results and spontaneous events.
 *
 * @example
 * new Pack(def, { url, delivery: { attempts: 20 } });
 */
export interface DeliveryOptions {
  /** Attempts to deliver one event before it is reported on `errors$`. @default 10 */
  readonly attempts?: number;
  /**
   * Results and events posted at once: the outbox's own bound, independent of
   * `handlers.concurrency`. @default 10
   */
  readonly concurrency?: number;
}
