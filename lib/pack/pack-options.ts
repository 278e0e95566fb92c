import type { SchedulerLike } from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import type { Action } from '../model/wire-types.js';
import type { Logger } from '../model/logger.js';
import type { Event } from '../model/definitions.js';

/**
 * Settings of an exponential backoff with full jitter: attempt `n` (from 0) waits a random
 * time between 0 and `min(maxDelay, initialDelay * factor ** n)`.
 *
 * @example
 * const backoff: BackoffConfig = { initialDelay: 1000, maxDelay: 60_000, factor: 2 };
 */
export interface BackoffConfig {
  /** @default 1000 (ms) */
  readonly initialDelay?: number;
  /** @default 60000 (ms) */
  readonly maxDelay?: number;
  /** @default 2 */
  readonly factor?: number;
  /** Random source in [0, 1) for the jitter; inject a fixed one in tests. @default Math.random */
  readonly random?: () => number;
}

/** A bearer token, or a function asked for one (again after a 401). */
export type TokenProvider = string | (() => string | PromiseLike<string>);

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

/** The life cycle of a pack. */
export type PackStatus =
  'idle' | 'registering' | 'running' | 'backing-off' | 'stopping' | 'stopped';

/**
 * How an action ended.
 * - `success`: the handler produced the event;
 * - `fatal`: the handler failed (throw, reject, error, empty, timeout, unknown command, cancelled) and a FATAL event was produced.
 */
export type ActionOutcome = 'success' | 'fatal';

/**
 * A handled action and its result event (before delivery).
 *
 * @example
 * pack.results$.subscribe(({ action, event, outcome }) => console.log(action.command, event.eventDef.name, outcome));
 */
export interface ActionResult {
  readonly action: Action;
  readonly event: Event;
  readonly outcome: ActionOutcome;
}

/**
 * One poll of the take-action link, as observed by health checks.
 *
 * @example
 * pack.polls$.subscribe((p) => console.log(p.kind, p.time));
 */
export interface PollOutcome {
  /** `action`: one was taken; `empty`: 204; `error`: the take failed. */
  readonly kind: 'action' | 'empty' | 'error';
  /** `scheduler.now()` when the poll ended. */
  readonly time: number;
  /** The action taken, when `kind` is `action`. */
  readonly action?: Action;
  /** What went wrong, when `kind` is `error`. */
  readonly error?: unknown;
}
