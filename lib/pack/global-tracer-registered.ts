import { trace } from '@opentelemetry/api';

/**
 * Whether an application has registered a global tracer provider yet. Until then the global
 * provider is the OpenTelemetry API's proxy without a delegate, whose tracers make only
 * no-op spans, so a pack tracing through it (the default) can skip its per-action span work.
 *
 * Duck-typed rather than `instanceof`, so that it also holds when the global proxy comes from
 * another copy of `@opentelemetry/api`; a provider that is not such a proxy counts as
 * registered (then the pack just traces, as it would anyway).
 *
 * @param name - the tracer name to ask the delegate for.
 * @param version - the tracer version.
 * @returns `true` once a provider is registered (or the global one is not the API's proxy).
 * @example
 * if (globalTracerRegistered('flyte-client', '1.0.0')) span = tracer.startSpan('work');
 */
export function globalTracerRegistered(name: string, version?: string): boolean {
  const provider = trace.getTracerProvider() as {
    getDelegateTracer?: (name: string, version?: string) => unknown;
  };
  if (typeof provider.getDelegateTracer !== 'function') return true;
  return provider.getDelegateTracer(name, version) !== undefined;
}
