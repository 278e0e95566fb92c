import type { HttpFlyteApi } from '../api/http-flyte-api.js';
import type { PackDef } from '../model/definitions.js';
import type { Logger } from '../model/logger.js';
import type { Pack } from '../pack/pack.js';
import type { PackOptions, StopOptions } from '../pack/pack-options.js';
import { safeLogger } from '../pack/safe-logger.js';
import type { Env, PackRuntimeConfig } from './config.js';
import type { HealthCheck } from './health-check.js';
import type { PackMetricsOptions } from './pack-metrics.js';
import type { SignalSource } from './signals.js';
import { nodeFlyteApi } from './node-flyte-api.js';

/** Exit code after a configuration error (a bad `FLYTE_*` variable or pack option). */
export const EXIT_CONFIG_ERROR = 2;
/** Exit code when the pack cannot run (registration refused, health port taken, ...). */
export const EXIT_FAILURE = 1;

/**
 * Options of {@link runPack}; all optional.
 *
 * @example
 * await runPack(def, { healthChecks: [dbCheck], packOptions: { handlers: { concurrency: 4 } }, stopOptions: { grace: 20_000 } });
 */
export interface RunPackOptions {
  /** Where the `FLYTE_*` variables are read. @default process.env */
  readonly env?: Env;
  /** Values that replace their variables (a `healthPort` of 0 picks a free port). */
  readonly config?: Partial<PackRuntimeConfig>;
  /**
   * Further pack options (`handlers`, `transport.backoff`, `transport.trustedOrigins`, `api`, ...),
   * applied last. Every token a `token` provider issues is redacted like `FLYTE_JWT`.
   */
  readonly packOptions?: Partial<PackOptions>;
  /**
   * Your logger (a winston instance, `pinoLogger(pino())`, console, ...); secrets are removed
   * before it sees an entry. @default JSON lines on stdout at FLYTE_LOG_LEVEL, or readable
   * ones (`createLogger()`, winston) when FLYTE_LOG_FORMAT or a terminal asks for them
   */
  readonly logger?: Logger;
  /** Your health checks, served beside the built-in ones. @default [] */
  readonly healthChecks?: readonly HealthCheck[];
  /** Poll intervals without a successful poll before the watchdog check fails. @default 3 */
  readonly watchdogMultiple?: number;
  /**
   * Time without any take-loop activity (a take, a failed take, a registration attempt)
   * after which liveness (`/livez`) fails, in ms. @default 300000
   */
  readonly livenessStallLimit?: number;
  /** Whether an unhealthy flyte server makes the pack's health check fail. @default false */
  readonly flyteApiCheckCritical?: boolean;
  /**
   * The pack's Prometheus metrics, served at `/metrics` on the health port: where to register
   * them (e.g. prom-client's global `register`, to serve your own metrics beside them), or
   * `false` for none. @default {} (a registry of the pack's own)
   */
  readonly metrics?: PackMetricsOptions | false;
  /** Grace period and flush deadline of the graceful stop. @default Pack.stop's */
  readonly stopOptions?: StopOptions;
  /** The signals that stop the pack. @default SIGTERM, SIGINT, SIGHUP */
  readonly signals?: readonly NodeJS.Signals[];
  /** Where signals come from. @default process */
  readonly signalSource?: SignalSource;
  /** Ends the process. @default process.exit */
  readonly exit?: (code: number) => void;
}

/**
 * A pack run by {@link runPack}, typed from its definition `D` (as `new Pack(def)` is).
 *
 * @typeParam D - the pack definition; with `definePack`, `pack.sendEvent` takes only the
 *   events it declares, with their payload types.
 * @example
 * const running = await runPack(def);
 * console.log(running.healthUrl);
 * const code = await running.done;
 */
export interface RunningPack<D extends PackDef = PackDef> {
  /** The running pack. */
  readonly pack: Pack<D>;
  /** The configuration in effect (the token included: do not log it). */
  readonly config: PackRuntimeConfig;
  /** The logger in use (redacting). */
  readonly logger: Logger;
  /** URL of the health endpoint from this machine; absent when the health server is off. */
  readonly healthUrl?: string;
  /** URL of the metrics endpoint from this machine; absent when the health server or the metrics are off. */
  readonly metricsUrl?: string;
  /** Resolves with the exit code once the pack has stopped and `exit` has been called. */
  readonly done: Promise<number>;
  /**
   * Stops as on a shutdown signal: gracefully, then closes the health server and exits.
   *
   * @returns the exit code, as `done`.
   */
  shutdown(): Promise<number>;
}

/**
 * The pack options a runtime configuration stands for, with `extra` applied last. Unless
 * `extra` brings its own `api`, the pack talks over `node:http` ({@link nodeFlyteApi}); with
 * `insecureTls` its https requests skip certificate checks (http ones are unaffected), and a
 * warning is logged.
 *
 * @param config - the runtime configuration.
 * @param logger - the pack's logger.
 * @param extra - further options (they win). @default {}
 * @returns the options for `new Pack(def, options)`.
 * @example
 * const pack = new Pack(def, packOptionsFrom(readConfig(), logger, { handlers: { concurrency: 4 } }));
 */
export function packOptionsFrom(
  config: PackRuntimeConfig,
  logger: Logger,
  extra: Partial<PackOptions> = {},
): PackOptions {
  const { labels, pollInterval, maxTakesInFlight, burstPolling, recoverStranded } = config;
  // `extra` wins here too, group by group: a token provider in it must reach the API built
  // here as well.
  const { url, token } = { ...config, ...extra };
  const transport = { timeout: config.requestTimeout, ...extra.transport };
  let api: HttpFlyteApi | undefined;
  if (!extra.api) {
    const insecureTls = config.insecureTls;
    if (insecureTls) {
      logger.warn("FLYTE_INSECURE_TLS is on: the flyte server's certificate is NOT verified");
    }
    // Guarded like the pack's own logger: a logger that throws never fails a request.
    api = nodeFlyteApi({
      url,
      token,
      timeout: transport.timeout,
      trustedOrigins: transport.trustedOrigins,
      logger: safeLogger(logger),
      insecureTls,
    });
  }
  const polling = {
    interval: pollInterval,
    ...(maxTakesInFlight !== undefined && { maxTakesInFlight }),
    ...(burstPolling !== undefined && { burst: burstPolling }),
    ...extra.polling,
  };
  const recovery = extra.recovery ?? recoverStranded;
  return {
    url,
    token,
    labels,
    logger,
    api,
    ...extra,
    polling,
    transport,
    ...(recovery && { recovery }),
  };
}
