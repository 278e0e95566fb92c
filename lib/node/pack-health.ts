import { map, merge } from 'rxjs';
import type { Logger } from '../model/logger.js';
import type { Pack } from '../pack/pack.js';
import { handlersRunning$ } from './handlers-running.js';
import type { HealthCheck } from './health-check.js';
import { type HealthServer, startHealthServer } from './health-server.js';
import { defaultHealthCheck, flyteApiHealthCheck } from './pack-health-checks.js';
import type { PackMetrics, PackMetricsOptions } from './pack-metrics.js';
import { pollWatchdog } from './poll-watchdog.js';
import type { Secrets } from './secrets.js';
import { streamHealthCheck } from './stream-health-check.js';
import { takeLoopLiveness } from './take-loop-liveness.js';

/**
 * Options of {@link startPackHealth}.
 *
 * @example
 * startPackHealth(pack, { host: '0.0.0.0', port: 8090, checks: [], commands: ['Rota'], secrets: [token], logger });
 */
export interface PackHealthOptions {
  /** The interface the health server listens on. */
  readonly host: string;
  /** `null` serves nothing (the watchdog still runs). */
  readonly port: number | null;
  /** The user's checks. */
  readonly checks: readonly HealthCheck[];
  /** The commands the pack declares: the values the metrics' `command` label may take. */
  readonly commands: readonly string[];
  /** @default 3 */
  readonly watchdogMultiple?: number;
  /** Time without any take-loop activity after which liveness fails, in ms. @default 300000 */
  readonly livenessStallLimit?: number;
  /** @default false */
  readonly flyteApiCheckCritical?: boolean;
  /** The secrets to keep out of the answers and the logs. */
  readonly secrets: Secrets;
  /** Where the server logs its start, stop and failures. */
  readonly logger: Logger;
  /**
   * The pack's metrics, served at `GET /metrics` ({@link "flyte-client/node/metrics".packMetrics}); `false` serves none.
   * @default {} (a registry of the pack's own)
   */
  readonly metrics?: PackMetricsOptions | false;
}

/**
 * A pack's health: its checks and, unless disabled, the server that serves them.
 *
 * @example
 * const health = await startPackHealth(pack, options);
 * await health.close();
 */
export interface PackHealth {
  /** Every check: the built-in ones and the user's. */
  readonly checks: readonly HealthCheck[];
  /** The health server, unless `port` is `null`. */
  readonly server?: HealthServer;
  /** The metrics the server serves at `/metrics`, unless there is no server or `metrics` is `false`. */
  readonly metrics?: PackMetrics;
  /** Stops the watchdog, the metrics and the server. */
  close(): Promise<void>;
}

/**
 * Starts the pack's health checks — `DefaultCheck`, `Authorization`, the user's, `FlyteApi`,
 * `PollWatchdog` and `TakeLoop` — and the server that serves them, with the pack's metrics
 * at `/metrics`. Liveness (`/livez`) is `DefaultCheck` and `TakeLoop`: it fails only when the
 * take loop has died, never because flyte is down. Readiness (`/readyz`) is `DefaultCheck`,
 * `Authorization`, `PollWatchdog` and the user's checks: registered and polling. A
 * graceful stop in progress fails readiness without a warning in the log.
 * Call it before `pack.start()` so the watchdog and the metrics see every action.
 *
 * @param pack - the pack.
 * @param options - address, user checks and tuning.
 * @returns the checks and the server, once it listens.
 * @throws {FlyteError} when the server cannot listen (the watchdog is stopped again).
 * @example
 * const health = await startPackHealth(pack, { host: '127.0.0.1', port: 0, checks: [], commands: ['Rota'], secrets: [], logger });
 * console.log(health.server?.url);
 */
export async function startPackHealth(pack: Pack, options: PackHealthOptions): Promise<PackHealth> {
  const watchdog = streamHealthCheck(
    'PollWatchdog',
    pollWatchdog(
      { polls$: pack.polls$, status$: pack.status$, inFlight$: handlersRunning$(pack) },
      {
        pollInterval: pack.pollInterval,
        multiple: options.watchdogMultiple,
        concurrency: pack.concurrency,
      },
    ),
  );
  const takeLoop = streamHealthCheck(
    'TakeLoop',
    takeLoopLiveness(
      {
        status$: pack.status$,
        activity$: merge(pack.polls$, pack.errors$, pack.actions$, pack.results$, pack.delivered$),
        inFlight$: pack.inFlight$,
      },
      { stallLimit: options.livenessStallLimit, concurrency: pack.concurrency },
    ),
    true,
    ['liveness'],
  );
  const authorization = streamHealthCheck(
    'Authorization',
    pack.status$.pipe(
      map((status) =>
        status === 'unauthorized'
          ? { healthy: false, status: 'the flyte server refuses the token (401), even a fresh one' }
          : { healthy: true, status: 'the token is accepted' },
      ),
    ),
  );
  const checks = [
    defaultHealthCheck(),
    authorization,
    ...options.checks,
    flyteApiHealthCheck(pack, { critical: options.flyteApiCheckCritical ?? false }),
    watchdog,
    takeLoop,
  ];
  const streamChecks = [watchdog, authorization, takeLoop]; // subscribed: to end on close
  let server: HealthServer | undefined;
  let metrics: PackMetrics | undefined;
  if (options.port !== null) {
    // Loaded here, not imported: a pack serving no /metrics never loads prom-client.
    metrics =
      options.metrics === false
        ? undefined
        : (await import('./pack-metrics.js')).packMetrics(pack, {
            commands: options.commands,
            ...options.metrics,
          });
    try {
      server = await startHealthServer({
        checks,
        host: options.host,
        port: options.port,
        secrets: options.secrets,
        logger: options.logger,
        metrics: metrics?.registry,
        // A stopping pack polls no more: readiness says so, the log need not.
        quiet: () => pack.status === 'stopping' || pack.status === 'stopped',
      });
    } catch (error) {
      streamChecks.forEach((check) => check.unsubscribe());
      metrics?.unsubscribe();
      throw error;
    }
    const healthUrl = `${server.url}/health`;
    const metricsUrl = metrics && `${server.url}/metrics`;
    options.logger.info(`health server listening on ${options.host}:${server.port}`, {
      healthUrl,
      ...(metricsUrl && { metricsUrl }),
    });
  }
  return {
    checks,
    server,
    metrics,
    close: async () => {
      streamChecks.forEach((check) => check.unsubscribe());
      metrics?.unsubscribe();
      await server?.close();
    },
  };
}
