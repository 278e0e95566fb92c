import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import { HttpFlyteApi } from '../api/http-flyte-api.js';
import { DEFAULT_TIMEOUT } from '../api/http-flyte-api-options.js';
import { consoleLogger } from '../model/console-logger.js';
import { ConfigError } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import type { PackOptions } from './pack-options.js';
import type { BackoffConfig } from '../streams/backoff.js';
import {
  type BurstPolling,
  burstPollingProblems,
  DEFAULT_BURST_POLLING,
} from '../streams/burst-polling.js';
import { safeLogger } from './safe-logger.js';
import type { RecoveryConfig } from '../streams/recovery.js';
import { recoveryProblems } from './recovery-settings.js';
import { type DeliveryOptions, resolveDeliveryOptions } from './delivery-options.js';

/** The smallest poll interval, in ms; smaller ones are raised to it with a warning. */
export const MIN_POLL_INTERVAL = 500;

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
  readonly concurrency: number;
  /** At most this many takes in flight (never more than `concurrency`). */
  readonly maxTakesInFlight: number;
  /** Burst polling after activity, or `false` for a fixed interval. */
  readonly burstPolling: false | BurstPolling;
  readonly handlerTimeout: number;
  /** Per-request timeout in ms, 0 for none: one of them bounds a stop past its flush deadline. */
  readonly requestTimeout: number;
  readonly backoff: BackoffConfig;
  readonly deliveryAttempts: number;
  /** Queue bound, event budget and retry cap of the outbox. */
  readonly delivery: Required<DeliveryOptions>;
  readonly logger: Logger;
  readonly scheduler: SchedulerLike;
  /** Recovery of stranded actions; absent when off. */
  readonly recovery?: RecoveryConfig;
}

/**
 * Checks the options of a pack, fills in the defaults (poll every 5 s, 10 handlers at once,
 * at most min(concurrency, 8) takes in flight, burst polling from 100 ms by 1.2, 5 min per handler, 10 delivery attempts, warnings and errors to the console; a logger that
 * throws is guarded, see {@link safeLogger}) and builds an
 * {@link HttpFlyteApi} over `url` when no `api` is given. A poll interval under
 * {@link MIN_POLL_INTERVAL} is raised to it, with a warning.
 *
 * @param options - the options given.
 * @param defLabels - the definition's labels; `options.labels` are merged over them.
 * @returns the settings.
 * @throws {@link ConfigError} listing every invalid option.
 * @example
 * const settings = resolvePackSettings({ url: 'http://localhost:8080', concurrency: 4 }, def.labels);
 */
export function resolvePackSettings(
  options: PackOptions,
  defLabels: Readonly<Record<string, string>> = {},
): PackSettings {
  const problems: string[] = [];
  const logger = safeLogger(options.logger ?? consoleLogger());
  const number = (name: keyof PackOptions, fallback: number, min: number, integer = false) => {
    const value = options[name] ?? fallback;
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= min;
    if (!ok || (integer && !Number.isInteger(value))) {
      problems.push(
        `options.${name}: must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(value)}`,
      );
    }
    return value as number;
  };
  let pollInterval = number('pollInterval', 5000, 0);
  const concurrency = number('concurrency', 10, 1, true);
  const maxTakesInFlight = number(
    'maxTakesInFlight',
    Number.isInteger(concurrency) && concurrency >= 1 ? Math.min(concurrency, 8) : 8,
    1,
    true,
  );
  const handlerTimeout = number('handlerTimeout', 300_000, 0);
  const deliveryAttempts = number('deliveryAttempts', 10, 1, true);
  const delivery = resolveDeliveryOptions(options.delivery, options.deliveryAttempts);
  problems.push(...delivery.problems);
  problems.push(...burstPollingProblems(options.burstPolling, 'options.burstPolling'));
  problems.push(...recoveryProblems(options.recoverStranded));
  if (!options.api && typeof options.url !== 'string') {
    problems.push(
      'options.url: required (the base URL of the flyte server) unless options.api is given',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  if (pollInterval < MIN_POLL_INTERVAL) {
    logger.warn(`pollInterval ${pollInterval} ms is too short; using ${MIN_POLL_INTERVAL} ms`);
    pollInterval = MIN_POLL_INTERVAL;
  }
  const api =
    options.api ??
    new HttpFlyteApi({
      url: options.url as string,
      token: options.token,
      trustedOrigins: options.trustedOrigins,
      timeout: options.requestTimeout,
      logger,
    });
  return {
    api,
    labels: { ...defLabels, ...options.labels },
    pollInterval,
    concurrency,
    maxTakesInFlight: Math.min(maxTakesInFlight, concurrency),
    burstPolling: options.burstPolling ?? DEFAULT_BURST_POLLING,
    handlerTimeout,
    requestTimeout: options.requestTimeout ?? DEFAULT_TIMEOUT,
    backoff: options.backoff ?? {},
    deliveryAttempts,
    delivery: delivery.settings,
    logger,
    scheduler: options.scheduler ?? asyncScheduler,
    ...(options.recoverStranded && { recovery: { every: 300_000, ...options.recoverStranded } }),
  };
}
