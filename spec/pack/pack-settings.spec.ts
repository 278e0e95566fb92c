import { isConfigError } from '../../lib/model/errors.js';
import { silentLogger } from '../../lib/model/logger.js';
import { resolvePackSettings } from '../../lib/pack/pack-settings.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';

describe('resolvePackSettings (takes in flight)', () => {
  const base = { api: new InMemoryFlyteApi(), logger: silentLogger };

  it('defaults maxTakesInFlight to min(concurrency, 8)', () => {
    expect(resolvePackSettings(base).maxTakesInFlight).toBe(8); // concurrency 10
    expect(resolvePackSettings({ ...base, concurrency: 3 }).maxTakesInFlight).toBe(3);
    expect(resolvePackSettings({ ...base, concurrency: 50 }).maxTakesInFlight).toBe(8);
  });

  it('keeps a maxTakesInFlight given, never above concurrency (a take needs a free slot)', () => {
    expect(resolvePackSettings({ ...base, maxTakesInFlight: 1 }).maxTakesInFlight).toBe(1);
    expect(resolvePackSettings({ ...base, maxTakesInFlight: 16 }).maxTakesInFlight).toBe(10);
    const wide = { ...base, concurrency: 32, maxTakesInFlight: 16 };
    expect(resolvePackSettings(wide).maxTakesInFlight).toBe(16);
  });

  it('refuses a maxTakesInFlight that is not a whole number >= 1, naming it', () => {
    for (const maxTakesInFlight of [0, 2.5, NaN]) {
      let error: unknown;
      try {
        resolvePackSettings({ ...base, maxTakesInFlight });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).withContext(String(maxTakesInFlight)).toBeTrue();
      expect((error as { problems: string[] }).problems).toEqual([
        `options.maxTakesInFlight: must be an integer >= 1, got ${maxTakesInFlight}`,
      ]);
    }
  });
});

describe('resolvePackSettings (burst polling)', () => {
  const base = { api: new InMemoryFlyteApi(), logger: silentLogger };

  it('defaults to a burst from 100 ms by 1.2, and keeps false or a burst given', () => {
    expect(resolvePackSettings(base).burstPolling).toEqual({ first: 100, factor: 1.2 });
    expect(resolvePackSettings({ ...base, burstPolling: false }).burstPolling).toBeFalse();
    const burst = { first: 50, factor: 2 };
    expect(resolvePackSettings({ ...base, burstPolling: burst }).burstPolling).toEqual(burst);
  });

  it('refuses a burst whose first wait is not > 0 or whose factor is not > 1, naming each', () => {
    let error: unknown;
    try {
      resolvePackSettings({ ...base, burstPolling: { first: -1, factor: 0.5 } });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBeTrue();
    expect((error as { problems: string[] }).problems).toEqual([
      'options.burstPolling.first: must be a number > 0, got -1',
      'options.burstPolling.factor: must be a number > 1, got 0.5',
    ]);
  });
});
