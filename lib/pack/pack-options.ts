import type { Tracer, TracerProvider } from '@opentelemetry/api';
import type { SchedulerLike } from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import type { Logger } from '../model/logger.js';
import type { TokenProvider } from '../api/token.js';
import type { BackoffConfig } from '../streams/backoff.js';
import type { BurstPolling } from '../streams/burst-polling.js';
import type { DeliveryOptions } from './delivery-options.js';

/**
 * Options of a {@link Pack}.
 *
 * @example
 * new Pack(def, { url: 'http://localhost:8080', token: () => getIdToken(), concurrency: 4 });
 */
export interface PackOptions {
  /** Base URL of the flyte server (may carry a path prefix). Required unless `api` is given. */
  readonly url?: string;
  /** The transport; defaults to an `HttpFlyteApi` over `url`. */
  readonly api?: FlyteApi;
  /** Bearer token or token provider (HTTP transport only). */
  readonly token?: TokenProvider;
  /** Origins besides the base URL's that may receive the token (HTTP transport only). */
  readonly trustedOrigins?: readonly string[];
  /** Per-request timeout in ms, 0 for none (HTTP transport only). @default 10000 */
  readonly requestTimeout?: number;
  /** Labels, merged over the definition's labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Wait after an empty take, in ms; values under 500 are raised to 500 with a warning. @default 5000 */
  readonly pollInterval?: number;
  /** Handlers that may run at once; the pack takes an action only while a slot is free. @default 10 */
  readonly concurrency?: number;
  /**
   * The most takes in flight at once while a backlog exists, each reserving a handler slot
   * first; the number adapts (one more after a run of actions: 10 in a row at one take, 20 at
   * two; half after a take race; one after an empty take), and after a take race they are sent
   * at least 2 ms apart for the next 20 actions. 1 keeps one take in flight. In a pack with
   * several commands, each take beyond the first asks for one command with a backlog (flyte's
   * `actionName`), so they do not race each other.
   * @default min(concurrency, 8)
   */
  readonly maxTakesInFlight?: number;
  /**
   * Burst polling: after an action, a delivered result or an accepted `sendEvent`, the next
   * take comes `first` ms after an empty one, then each wait is `factor` times longer, up to
   * `pollInterval` — so a flow's next step is picked up fast while a quiet pack still makes
   * about one take per interval. `false` waits `pollInterval` after every empty take.
   * @default { first: 100, factor: 1.2 }
   */
  readonly burstPolling?: false | BurstPolling;
  /** Time a handler may take, in ms, before its action completes with FATAL. @default 300000 */
  readonly handlerTimeout?: number;
  /** Backoff of registration, polling and delivery retries. */
  readonly backoff?: BackoffConfig;
  /**
   * Attempts to deliver one spontaneous event before it is reported on `errors$`; the same as
   * `delivery.eventAttempts`, which wins when both are given. @default 10
   */
  readonly deliveryAttempts?: number;
  /** How results and events are delivered: queue bound, event budget, retry cap. */
  readonly delivery?: DeliveryOptions;
  /** @default a logger that writes warnings and errors to the console */
  readonly logger?: Logger;
  /** The scheduler of every timed operation. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
  /**
   * Recover this pack's actions stranded `PENDING` (their take answer lost), found through the
   * server's audit; off when absent. See {@link RecoverStrandedOptions} and `docs/recovery.md`.
   */
  readonly recoverStranded?: RecoverStrandedOptions;
  /**
   * OpenTelemetry spans: one per action (take to delivered, its handler inside) and one per
   * spontaneous event; `false` for none. See `docs/tracing.md`.
   * @default the global provider's tracer `flyte-client` (a no-op until the application registers a provider)
   */
  readonly tracing?: TracerProvider | Tracer | false;
}

/**
 * When to recover stranded actions. Choose `after` longer than the longest a live replica can
 * still be working on an action (handler timeout + delivery budget + grace): a replica that is
 * merely slow would otherwise see its action run twice.
 *
 * @example
 * new Pack(def, { url, handlerTimeout: 60_000, recoverStranded: { after: 600_000, every: 300_000 } });
 */
export interface RecoverStrandedOptions {
  /** Time an action must have been PENDING to count as stranded, in ms (> 0). */
  readonly after: number;
  /** Time between two scans of the audit, in ms. @default 300000 */
  readonly every?: number;
  /** How far back a scan looks, in ms: flows whose latest state is older are not read. @default 86400000 */
  readonly horizon?: number;
}

/**
 * Options of {@link Pack.stop}.
 *
 * @example
 * await pack.stop({ grace: 10_000, flushDeadline: 5_000 });
 */
export interface StopOptions {
  /** Time running handlers get to finish before they are cancelled and completed with FATAL. @default 30000 */
  readonly grace?: number;
  /** Time the outbox gets to deliver what it holds once handlers are done. @default 10000 */
  readonly flushDeadline?: number;
}

/**
 * The life cycle of a pack.
 *
 * @example
 * pack.status$.pipe(filter((s) => s === 'running'), take(1)).subscribe(() => console.log('up'));
 */
export type PackStatus =
  'idle' | 'registering' | 'running' | 'backing-off' | 'unauthorized' | 'stopping' | 'stopped';
