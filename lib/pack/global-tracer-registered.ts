/**
 * Where every copy of `@opentelemetry/api` 1.x keeps its global registrations (the API's
 * `opentelemetry.js.api.<major>` key), so that copies share one global provider.
 */
const GLOBAL_API_KEY = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether an application has registered a global tracer provider (through any copy of
 * `@opentelemetry/api` 1.x). Until then the global provider's tracers make only no-op spans,
 * so a pack tracing through it (the default) skips its per-action span work. Read from the
 * API's global registry, so asking does not load the API.
 *
 * @returns `true` while a provider is registered.
 * @example
 * if (globalTracerRegistered()) span = tracer.startSpan('work');
 */
export function globalTracerRegistered(): boolean {
  const registry = (globalThis as { [GLOBAL_API_KEY]?: { trace?: unknown } })[GLOBAL_API_KEY];
  return registry?.trace !== undefined;
}
