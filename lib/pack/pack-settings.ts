import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import { HttpFlyteApi } from '../api/http-flyte-api.js';
import { DEFAULT_TIMEOUT } from '../api/http-flyte-api-options.js';
import { consoleLogger } from '../model/console-logger.js';
import { ConfigError } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import type { PackOptions } from './pack-options.js';
import type { BackoffConfig } from '../streams/backoff.js';
import { type BurstPolling, burstPollingProblems } from '../streams/burst-polling.js';
import { PACK_DEFAULTS } from '../model/defaults.js';
import { safeLogger } from './safe-logger.js';
import type { RecoveryConfig } from '../streams/recovery.js';
import { recoveryAfterWarning, recoveryProblems } from './recovery-settings.js';
import type { DeliveryOptions } from './delivery-options.js';

/**
 * The options of a {@link Pack} with every default filled in.
 *
 * @example
 * const { pollInterval, concurrency } = resolvePackSettings({ url: 'http://localhost:8080' });
 */
export interface PackSettings {
  readonly api: FlyteApi;
  readonly labels: Readonly<Record<string, string>>;
  readonly pollInterval: number;
  /** Handlers that may run at once: the pack's slots. */
  readonly concurrency: number;
  /** At most this many takes in flight (never more than `concurrency`). */
  readonly maxTakesInFlight: number;
  /** Burst polling after activity, or `false` for a fixed interval. */
  readonly burstPolling: false | BurstPolling;
  readonly handlerTimeout: number;
  /** Per-request timeout in ms, 0 for none: one of them bounds a stop past its flush deadline. */
  readonly requestTimeout: number;
  readonly backoff: BackoffConfig;
  /** The outbox's bound, the events' budget, the queue bound and the retry cap. */
  readonly delivery: Required<DeliveryOptions>;
  readonly logger: Logger;
  readonly scheduler: SchedulerLike;
  /** Recovery of stranded actions; absent when off. */
  readonly recovery?: RecoveryConfig;
}

/**
 * Checks the options of a pack, fills in the defaults ({@link PACK_DEFAULTS}; a logger that
 * throws is guarded, see {@link safeLogger}) and builds an {@link HttpFlyteApi} over `url`
 * when no `api` is given. A poll interval under the minimum (500 ms) is raised to it, with a
 * warning; `maxTakesInFlight` never exceeds `handlers.concurrency`.
 *
 * @param options - the options given.
 * @param defLabels - the definition's labels; `options.labels` are merged over them.
 * @returns the settings.
 * @throws {@link ConfigError} listing every invalid option.
 * @example
 * const settings = resolvePackSettings({ url: 'http://localhost:8080', handlers: { concurrency: 4 } }, def.labels);
 */
export function resolvePackSettings(
  options: PackOptions,
  defLabels: Readonly<Record<string, string>> = {},
): PackSettings {
  const problems: string[] = [];
  const logger = safeLogger(options.logger ?? consoleLogger());
  const { polling = {}, handlers = {}, delivery = {}, transport = {} } = options;
  /** The value given or its default, checked: a number >= `min` (a count: a whole one >= 1). */
  const checked = (where: string, given: unknown, fallback: number, min: 0 | 'count') => {
    const value = given ?? fallback;
    const count = min === 'count';
    const least = count ? 1 : 0;
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= least;
    if (!ok || (count && !Number.isInteger(value))) {
      const kind = count ? 'an integer' : 'a number';
      problems.push(`options.${where}: must be ${kind} >= ${least}, got ${String(value)}`);
    }
    return value as number;
  };
  const { polling: p, handlers: h, delivery: d } = PACK_DEFAULTS;
  let pollInterval = checked('polling.interval', polling.interval, p.interval, 0);
  const concurrency = checked('handlers.concurrency', handlers.concurrency, h.concurrency, 'count');
  const maxTakesInFlight = checked(
    'polling.maxTakesInFlight',
    polling.maxTakesInFlight,
    p.maxTakesInFlight,
    'count',
  );
  const handlerTimeout = checked('handlers.timeout', handlers.timeout, h.timeout, 0);
  const deliverySettings: Required<DeliveryOptions> = {
    concurrency: checked('delivery.concurrency', delivery.concurrency, d.concurrency, 'count'),
    maxQueuedEvents: checked(
      'delivery.maxQueuedEvents',
      delivery.maxQueuedEvents,
      d.maxQueuedEvents,
      'count',
    ),
    eventAttempts: checked(
      'delivery.eventAttempts',
      delivery.eventAttempts,
      d.eventAttempts,
      'count',
    ),
    maxRetryDelay: checked('delivery.maxRetryDelay', delivery.maxRetryDelay, d.maxRetryDelay, 0),
  };
  problems.push(...burstPollingProblems(polling.burst, 'options.polling.burst'));
  problems.push(...recoveryProblems(options.recovery));
  if (!options.api && typeof options.url !== 'string') {
    problems.push(
      'options.url: required (the base URL of the flyte server) unless options.api is given',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  const { minInterval } = p;
  if (pollInterval < minInterval) {
    logger.warn(`polling.interval ${pollInterval} ms is too short; using ${minInterval} ms`);
    pollInterval = minInterval;
  }
  const api =
    options.api ??
    new HttpFlyteApi({
      url: options.url as string,
      token: options.token,
      trustedOrigins: transport.trustedOrigins,
      timeout: transport.timeout,
      logger,
    });
  const backoff = transport.backoff ?? {};
  const recovery = options.recovery && {
    every: PACK_DEFAULTS.recovery.every,
    ...options.recovery,
  };
  const tooShort = recoveryAfterWarning({
    recovery,
    handlerTimeout,
    delivery: deliverySettings,
    backoff,
  });
  if (tooShort) logger.warn(tooShort);
  return {
    api,
    labels: { ...defLabels, ...options.labels },
    pollInterval,
    concurrency,
    maxTakesInFlight: Math.min(maxTakesInFlight, concurrency),
    burstPolling: polling.burst ?? p.burst,
    handlerTimeout,
    requestTimeout: transport.timeout ?? DEFAULT_TIMEOUT,
    backoff,
    delivery: deliverySettings,
    logger,
    scheduler: options.scheduler ?? asyncScheduler,
    ...(recovery && { recovery }),
  };
}
