import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { globalTracerRegistered } from '../../../lib/pack/global-tracer-registered.js';

describe('globalTracerRegistered', () => {
  afterEach(() => trace.disable());

  it('is false until a provider is registered, true once one is, false again after disable', () => {
    expect(globalTracerRegistered('flyte-client')).toBe(false);
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(globalTracerRegistered('flyte-client', '1.0.0')).toBe(true);
    trace.disable();
    expect(globalTracerRegistered('flyte-client')).toBe(false);
  });

  it('counts a global provider that is not the API proxy as registered', () => {
    spyOn(trace, 'getTracerProvider').and.returnValue(new BasicTracerProvider());
    expect(globalTracerRegistered('flyte-client')).toBe(true);
  });
});
