/**
 * The version of flyte-client (the package's), e.g. for the OpenTelemetry tracer's name.
 *
 * @example
 * trace.getTracer('flyte-client', CLIENT_VERSION);
 */
export const CLIENT_VERSION = '0.1.0';
