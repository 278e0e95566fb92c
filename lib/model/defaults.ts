/**
 * Every default of a pack and of the operators it is built from, stated once: `Pack`, its
 * settings and `poll$`, `dispatch` and the recovery scan read them from here, so that a pack
 * and an operator composed by hand behave alike when nothing is said.
 *
 * @example
 * const { concurrency, handlerTimeout } = PACK_DEFAULTS.handlers; // 10, 300000
 */
export const PACK_DEFAULTS = {
  /** How a pack takes actions (`PackOptions.polling`). */
  polling: {
    /** The wait after an empty take, in ms. @default 5000 */
    interval: 5000,
    /** The shortest poll interval, in ms: shorter ones are raised to it. @default 500 */
    minInterval: 500,
    /** The most takes in flight at once (never more than the handler slots). @default 8 */
    maxTakesInFlight: 8,
    /** Burst polling after activity. @default { first: 100, factor: 1.2 } */
    burst: {
      /** The wait after the first empty take following activity, in ms. @default 100 */
      first: 100,
      /** How much longer each next wait is. @default 1.2 */
      factor: 1.2,
    },
  },
  /** How a pack runs handlers (`PackOptions.handlers`). */
  handlers: {
    /** Handlers that may run at once: the pack's slots. @default 10 */
    concurrency: 10,
    /** The time a handler may take, in ms, before its action completes with FATAL. @default 300000 */
    timeout: 300_000,
  },
  /** How a pack delivers results and events (`PackOptions.delivery`). */
  delivery: {
    /** Results and events posted at once: the outbox's own bound, not the handlers'. @default 10 */
    concurrency: 10,
    /** Spontaneous events queued or being posted at once. @default 1000 */
    maxQueuedEvents: 1000,
    /** Posts of one spontaneous event before it is given up (results have no budget). @default 10 */
    eventAttempts: 10,
    /** The longest wait between two posts of one item, in ms. @default 30000 */
    maxRetryDelay: 30_000,
  },
  /** The recovery of stranded actions (`PackOptions.recovery`). */
  recovery: {
    /** The time between two scans of the audit, in ms. @default 300000 */
    every: 300_000,
  },
} as const;
