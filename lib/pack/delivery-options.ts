/**
 * How a pack delivers action results and spontaneous events (see `docs/guarantees.md`).
 * Results are posted until the server accepts them, refuses them for good, or `stop()`'s flush
 * deadline comes; events, which carry no id, have a budget of attempts.
 *
 * @example
 * new Pack(def, { url, delivery: { maxQueuedEvents: 500, eventAttempts: 5, maxRetryDelay: 10_000 } });
 */
export interface DeliveryOptions {
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
   * pack's `backoff.maxDelay` applies instead when it is smaller.
   * @default 30000
   */
  readonly maxRetryDelay?: number;
}

/**
 * The delivery options with every default filled in, and their problems.
 *
 * @param options - `PackOptions.delivery`.
 * @param legacyAttempts - the flat `PackOptions.deliveryAttempts`, used when `eventAttempts` is absent.
 * @returns the settings, and the problems found (each naming its option).
 * @example
 * resolveDeliveryOptions({ eventAttempts: 3 }).settings.maxQueuedEvents; // 1000
 */
export function resolveDeliveryOptions(
  options: DeliveryOptions = {},
  legacyAttempts?: number,
): { readonly settings: Required<DeliveryOptions>; readonly problems: readonly string[] } {
  const settings = {
    maxQueuedEvents: options.maxQueuedEvents ?? 1000,
    eventAttempts: options.eventAttempts ?? legacyAttempts ?? 10,
    maxRetryDelay: options.maxRetryDelay ?? 30_000,
  };
  const problems: string[] = [];
  const check = (name: keyof DeliveryOptions, min: number, integer: boolean) => {
    if (options[name] === undefined) return; // a default, or the flat option checked on its own
    const value = settings[name];
    const ok = Number.isFinite(value) && value >= min && (!integer || Number.isInteger(value));
    if (!ok) {
      const kind = integer ? 'an integer' : 'a number';
      problems.push(`options.delivery.${name}: must be ${kind} >= ${min}, got ${String(value)}`);
    }
  };
  check('maxQueuedEvents', 1, true);
  check('eventAttempts', 1, true);
  check('maxRetryDelay', 0, false);
  return { settings, problems };
}
