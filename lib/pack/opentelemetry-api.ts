import type * as Api from '@opentelemetry/api';

/** The `@opentelemetry/api` module. */
export type OpenTelemetryApi = typeof Api;

let api: OpenTelemetryApi | undefined;
let loading: Promise<OpenTelemetryApi> | undefined;

/**
 * Loads `@opentelemetry/api` once, when a pack first has spans to make: a pack that does not
 * trace (no tracer given, no global provider registered) never loads it, and its many small
 * modules cost memory in every Node process that imports `flyte-client`.
 *
 * @returns resolves with the API; rejects when it cannot be loaded.
 * @example
 * const { trace } = await loadOpenTelemetryApi();
 */
export function loadOpenTelemetryApi(): Promise<OpenTelemetryApi> {
  return (loading ??= import('@opentelemetry/api').then((module) => (api = module)));
}

/**
 * The API if it has loaded; otherwise `undefined`, and its load starts (a failed load is
 * reported by {@link loadOpenTelemetryApi}'s promise, to whoever awaits it).
 *
 * @returns the API, or `undefined` while it loads.
 * @example
 * const otel = openTelemetryApi();
 * if (otel) otel.context.with(ctx, run);
 */
export function openTelemetryApi(): OpenTelemetryApi | undefined {
  if (api === undefined) loadOpenTelemetryApi().catch(() => undefined);
  return api;
}
