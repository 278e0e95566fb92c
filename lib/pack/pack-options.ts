import type { Tracer, TracerProvider } from '@opentelemetry/api';
import type { SchedulerLike } from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import type { Logger } from '../model/logger.js';
import type { TokenProvider } from '../api/token.js';
import type { BackoffConfig } from '../streams/backoff.js';
import type { BurstPolling } from '../streams/burst-polling.js';
import type { DeliveryOptions } from './delivery-options.js';

/**
 * Options of a {@link Pack}: where the server is and who the pack is at the top, how it runs
 * in groups (`polling`, `handlers`, `delivery`, `recovery`, `transport`). Every default is
 * stated once, in `PACK_DEFAULTS` (`lib/model/defaults.ts`).
 *
 * @example
 * new Pack(def, { url: 'http://localhost:8080', token: () => getIdToken(), handlers: { concurrency: 4 } });
 */
export interface PackOptions {
  /** Base URL of the flyte server (may carry a path prefix). Required unless `api` is given. */
  readonly url?: string;
  /** The transport; defaults to an `HttpFlyteApi` over `url` (see `transport`). */
  readonly api?: FlyteApi;
  /** Bearer token or token provider (HTTP transport only). */
  readonly token?: TokenProvider;
  /** Labels, merged over the definition's labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default a logger that writes warnings and errors to the console */
  readonly logger?: Logger;
  /** The scheduler of every timed operation. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
  /**
   * OpenTelemetry spans: one per action (take to delivered, its handler inside) and one per
   * spontaneous event; `false` for none. See `docs/tracing.md`.
   * @default the global provider's tracer `flyte-client` (a no-op until the application registers a provider)
   */
  readonly tracing?: TracerProvider | Tracer | false;
  /** How the pack takes actions. */
  readonly polling?: PollingOptions;
  /** How the pack runs handlers. */
  readonly handlers?: HandlerOptions;
  /** How the pack delivers results and events. */
  readonly delivery?: DeliveryOptions;
  /**
   * Recover this pack's actions stranded `PENDING` (their take answer lost), found through the
   * server's audit; off when absent. See {@link RecoveryOptions} and `docs/recovery.md`.
   */
  readonly recovery?: RecoveryOptions;
  /** How the pack talks to the server: timeouts, trusted origins, retries. */
  readonly transport?: TransportOptions;
}

/**
 * How a {@link Pack} takes actions.
 *
 * @example
 * new Pack(def, { url, polling: { interval: 2000, maxTakesInFlight: 1, burst: false } });
 */
export interface PollingOptions {
  /** Wait after an empty take, in ms; values under 500 are raised to 500 with a warning. @default 5000 */
  readonly interval?: number;
  /**
   * The most takes in flight at once while a backlog exists, each reserving a handler slot
   * first (never more than `handlers.concurrency`); the number adapts (one more after a run
   * of actions: 10 in a row at one take, 20 at two; half after a take race, two kept after a
   * lone one; one after an empty take), and after a take race none is sent within 2 ms of
   * another one in flight until 1000 actions came without a race. 1
   * keeps one take in flight. In a pack with several commands, each take beyond the first
   * asks for one command with a backlog (flyte's `actionName`), so they do not race each other.
   * @default 8
   */
  readonly maxTakesInFlight?: number;
  /**
   * Burst polling: after an action, a delivered result or an accepted `sendEvent`, the next
   * take comes `first` ms after an empty one, then each wait is `factor` times longer, up to
   * `interval` — so a flow's next step is picked up fast while a quiet pack still makes
   * about one take per interval. `false` waits `interval` after every empty take.
   * @default { first: 100, factor: 1.2 }
   */
  readonly burst?: false | BurstPolling;
}

/**
 * How a {@link Pack} runs handlers.
 *
 * @example
 * new Pack(def, { url, handlers: { concurrency: 4, timeout: 60_000 } });
 */
export interface HandlerOptions {
  /** Handlers that may run at once; the pack takes an action only while a slot is free. @default 10 */
  readonly concurrency?: number;
  /** Time a handler may take, in ms, before its action completes with FATAL. @default 300000 */
  readonly timeout?: number;
}

/**
 * How a {@link Pack} talks to the flyte server.
 *
 * @example
 * new Pack(def, { url, transport: { timeout: 5000, backoff: { maxDelay: 10_000 } } });
 */
export interface TransportOptions {
  /** Per-request timeout in ms, 0 for none (HTTP transport only). @default 10000 */
  readonly timeout?: number;
  /** Origins besides the base URL's that may receive the token (HTTP transport only). */
  readonly trustedOrigins?: readonly string[];
  /** Backoff of registration, polling and delivery retries. */
  readonly backoff?: BackoffConfig;
}

/**
 * When to recover stranded actions. Choose `after` longer than the longest a live replica can
 * still be working on an action (handler timeout + delivery budget + grace): a replica that is
 * merely slow would otherwise see its action run twice.
 *
 * @example
 * new Pack(def, { url, handlers: { timeout: 60_000 }, recovery: { after: 600_000, every: 300_000 } });
 */
export interface RecoveryOptions {
  /** Time an action must have been PENDING to count as stranded, in ms (> 0). */
  readonly after: number;
  /** Time between two scans of the audit, in ms. @default 300000 */
  readonly every?: number;
  /** How far back a scan looks, in ms: flows whose latest state is older are not read. @default 86400000 */
  readonly horizon?: number;
  /**
   * Random source in [0, 1) of the scans' jitter (each replica's phase, each period ±10 %);
   * inject a fixed one in tests. @default Math.random
   */
  readonly random?: () => number;
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
