import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { globalTracerRegistered } from '../../../lib/pack/global-tracer-registered.js';

describe('globalTracerRegistered', () => {
  const key = Symbol.for('opentelemetry.js.api.1');
  const registry = globalThis as { [key]?: Record<string, unknown> };

  afterEach(() => trace.disable());

  it('is false until a provider is registered, true once one is, false again after disable', () => {
    expect(globalTracerRegistered()).toBe(false);
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(globalTracerRegistered()).toBe(true);
    trace.disable();
    expect(globalTracerRegistered()).toBe(false);
  });

  it('sees a provider that another copy of the API registered in the shared global registry', () => {
    const saved = registry[key];
    registry[key] = { version: '1.99.0', trace: new BasicTracerProvider() };
    try {
      expect(globalTracerRegistered()).toBe(true);
    } finally {
      registry[key] = saved;
    }
  });
});
