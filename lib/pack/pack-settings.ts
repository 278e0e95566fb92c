import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import { HttpFlyteApi } from '../api/http-flyte-api.js';
import { consoleLogger } from '../model/console-logger.js';
import { ConfigError } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import type { PackOptions } from './pack-options.js';
import type { BackoffConfig } from '../streams/backoff.js';
import { type BurstPolling, burstPollingProblems } from '../streams/burst-polling.js';
import { PACK_DEFAULTS } from '../model/defaults.js';
import { safeLogger } from './safe-logger.js';
import type { RecoveryConfig } from '../streams/recovery.js';
import { recoveryProblems } from './recovery-settings.js';

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
  readonly backoff: BackoffConfig;
  readonly deliveryAttempts: number;
  /** Results and events posted at once (the outbox's own bound). */
  readonly deliveryConcurrency: number;
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
  const number = (
    where: string,
    given: unknown,
    fallback: number,
    min: number,
    integer = false,
  ) => {
    const value = given ?? fallback;
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= min;
    if (!ok || (integer && !Number.isInteger(value))) {
      problems.push(
        `options.${where}: must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(value)}`,
      );
    }
    return value as number;
  };
  const defaults = PACK_DEFAULTS;
  let pollInterval = number('polling.interval', polling.interval, defaults.polling.interval, 0);
  const concurrency = number(
    'handlers.concurrency',
    handlers.concurrency,
    defaults.handlers.concurrency,
    1,
    true,
  );
  const maxTakesInFlight = number(
    'polling.maxTakesInFlight',
    polling.maxTakesInFlight,
    defaults.polling.maxTakesInFlight,
    1,
    true,
  );
  const handlerTimeout = number('handlers.timeout', handlers.timeout, defaults.handlers.timeout, 0);
  const deliveryAttempts = number(
    'delivery.attempts',
    delivery.attempts,
    defaults.delivery.attempts,
    1,
    true,
  );
  const deliveryConcurrency = number(
    'delivery.concurrency',
    delivery.concurrency,
    defaults.delivery.concurrency,
    1,
    true,
  );
  problems.push(...burstPollingProblems(polling.burst, 'options.polling.burst'));
  problems.push(...recoveryProblems(options.recovery));
  if (!options.api && typeof options.url !== 'string') {
    problems.push(
      'options.url: required (the base URL of the flyte server) unless options.api is given',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  const { minInterval } = defaults.polling;
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
  return {
    api,
    labels: { ...defLabels, ...options.labels },
    pollInterval,
    concurrency,
    maxTakesInFlight: Math.min(maxTakesInFlight, concurrency),
    burstPolling: polling.burst ?? defaults.polling.burst,
    handlerTimeout,
    backoff: transport.backoff ?? {},
    deliveryAttempts,
    deliveryConcurrency,
    logger,
    scheduler: options.scheduler ?? asyncScheduler,
    ...(options.recovery && { recovery: { every: defaults.recovery.every, ...options.recovery } }),
  };
}
