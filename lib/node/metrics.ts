/**
 * `flyte-client/node/metrics`: a pack's Prometheus metrics (prom-client). An entry point of
 * its own so that a pack serving no `/metrics` never loads prom-client; `runPack` loads it
 * when its health server serves them.
 *
 * @module flyte-client/node/metrics
 */
// Explicit named exports only.
export { packMetrics, type PackMetrics, type PackMetricsOptions } from './pack-metrics.js';
