import type { SchedulerLike } from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import type { Logger } from '../model/logger.js';
import type { TokenProvider } from '../api/token.js';
import type { BackoffConfig } from '../streams/backoff.js';

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
  /** Time a handler may take, in ms, before its action completes with FATAL. @default 300000 */
  readonly handlerTimeout?: number;
  /** Backoff of registration, polling and delivery retries. */
  readonly backoff?: BackoffConfig;
  /** Attempts to deliver one event before it is reported on `errors$`. @default 10 */
  readonly deliveryAttempts?: number;
  /** @default a logger that writes warnings and errors to the console */
  readonly logger?: Logger;
  /** The scheduler of every timed operation. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
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
