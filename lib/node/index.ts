/**
 * `flyte-client/node`: the Node runtime of a pack — environment configuration, winston
 * logging, health-check and metrics server, signal handling and `runPack`. winston and
 * prom-client load only when a pack uses them: `createLogger` and `redactFormat` come from
 * `flyte-client/node/winston`, `packMetrics` from `flyte-client/node/metrics`.
 *
 * @module flyte-client/node
 */
// Explicit named exports only.

// Running a pack as a process
export { runPack } from './run-pack.js';
export {
  EXIT_CONFIG_ERROR,
  EXIT_FAILURE,
  packOptionsFrom,
  type RunningPack,
  type RunPackOptions,
} from './run-pack-options.js';
export {
  SHUTDOWN_SIGNALS,
  exitCodeOf,
  onShutdownSignals,
  type ShutdownReactions,
  type SignalSource,
} from './signals.js';

// Configuration from the environment
export {
  DEFAULT_HEALTH_HOST,
  DEFAULT_HEALTH_PORT,
  LOG_FORMATS,
  LOG_LEVELS,
  readConfig,
  type Env,
  type LogFormat,
  type LogLevel,
  type PackRuntimeConfig,
} from './config.js';

// Logging
// createLogger and redactFormat: flyte-client/node/winston (runPack loads it for its default).
export type { CreateLoggerOptions } from './winston-logger.js';
export { redactingLogger } from './redacting-logger.js';
export { redactValue } from './redact-value.js';
export {
  REMEMBERED_SECRETS,
  rememberTokens,
  SecretSet,
  secretsNow,
  type Secrets,
} from './secrets.js';

// Health
export {
  DEFAULT_CHECK_TIMEOUT,
  runHealthCheck,
  runHealthChecks,
  type Health,
  type HealthCheck,
  type HealthReport,
  type Probe,
} from './health-check.js';
export { DEFAULT_ANSWER_WITHIN } from './last-answers.js';
export {
  startHealthServer,
  type HealthServer,
  type HealthServerOptions,
  type MetricsSource,
} from './health-server.js';
export {
  defaultHealthCheck,
  flyteApiHealthCheck,
  type FlyteApiHealthCheckOptions,
} from './pack-health-checks.js';
export {
  pollWatchdog,
  type PollWatchdogOptions,
  type PollWatchdogSources,
} from './poll-watchdog.js';
export { streamHealthCheck, type LiveHealthCheck } from './stream-health-check.js';
export {
  DEFAULT_STALL_LIMIT,
  takeLoopLiveness,
  type TakeLoopLivenessOptions,
  type TakeLoopSources,
} from './take-loop-liveness.js';
export { startPackHealth, type PackHealth, type PackHealthOptions } from './pack-health.js';
export { handlersRunning$ } from './handlers-running.js';

// Metrics: packMetrics is in flyte-client/node/metrics (runPack loads it to serve /metrics).
export type { PackMetrics, PackMetricsOptions } from './pack-metrics.js';

// The flyte API over node:http
export { nodeFlyteApi, type NodeFlyteApiOptions } from './node-flyte-api.js';
export { nodeHttpExchange, type NodeHttpExchangeOptions } from './node-http-transport.js';

// TLS
export { insecureTlsAgent } from './tls.js';

// V8's tiering: how soon code run once per action is optimised
export {
  applyEarlyOptimisation,
  EARLY_OPTIMISATION,
  earlyOptimisationFlag,
  type EarlyOptimisationDeps,
  type V8Version,
} from './v8-tiering.js';
