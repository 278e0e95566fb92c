import { isConfigError } from '../../lib/model/errors.js';
import { silentLogger } from '../../lib/model/logger.js';
import { PACK_DEFAULTS } from '../../lib/model/defaults.js';
import { resolvePackSettings } from '../../lib/pack/pack-settings.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';

describe('resolvePackSettings (takes in flight)', () => {
  const base = { api: new InMemoryFlyteApi(), logger: silentLogger };

  it('defaults maxTakesInFlight to min(handlers.concurrency, 8)', () => {
    expect(resolvePackSettings(base).maxTakesInFlight).toBe(8); // concurrency 10
    expect(resolvePackSettings({ ...base, handlers: { concurrency: 3 } }).maxTakesInFlight).toBe(3);
    expect(resolvePackSettings({ ...base, handlers: { concurrency: 50 } }).maxTakesInFlight).toBe(
      8,
    );
  });

  it('keeps a maxTakesInFlight given, never above concurrency (a take needs a free slot)', () => {
    expect(
      resolvePackSettings({ ...base, polling: { maxTakesInFlight: 1 } }).maxTakesInFlight,
    ).toBe(1);
    expect(
      resolvePackSettings({ ...base, polling: { maxTakesInFlight: 16 } }).maxTakesInFlight,
    ).toBe(10);
    const wide = { ...base, polling: { maxTakesInFlight: 16 }, handlers: { concurrency: 32 } };
    expect(resolvePackSettings(wide).maxTakesInFlight).toBe(16);
  });

  it('refuses a maxTakesInFlight that is not a whole number >= 1, naming it', () => {
    for (const maxTakesInFlight of [0, 2.5, NaN]) {
      let error: unknown;
      try {
        resolvePackSettings({ ...base, polling: { maxTakesInFlight } });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).withContext(String(maxTakesInFlight)).toBeTrue();
      expect((error as { problems: string[] }).problems).toEqual([
        `options.polling.maxTakesInFlight: must be an integer >= 1, got ${maxTakesInFlight}`,
      ]);
    }
  });
});

describe('resolvePackSettings (burst polling)', () => {
  const base = { api: new InMemoryFlyteApi(), logger: silentLogger };

  it('defaults to a burst from 100 ms by 1.2, and keeps false or a burst given', () => {
    expect(resolvePackSettings(base).burstPolling).toEqual({ first: 100, factor: 1.2 });
    expect(resolvePackSettings({ ...base, polling: { burst: false } }).burstPolling).toBeFalse();
    const burst = { first: 50, factor: 2 };
    expect(resolvePackSettings({ ...base, polling: { burst } }).burstPolling).toEqual(burst);
  });

  it('refuses a burst whose first wait is not > 0 or whose factor is not > 1, naming each', () => {
    let error: unknown;
    try {
      resolvePackSettings({ ...base, polling: { burst: { first: -1, factor: 0.5 } } });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBeTrue();
    expect((error as { problems: string[] }).problems).toEqual([
      'options.polling.burst.first: must be a number > 0, got -1',
      'options.polling.burst.factor: must be a number > 1, got 0.5',
    ]);
  });
});

describe('resolvePackSettings (defaults)', () => {
  const base = { api: new InMemoryFlyteApi(), logger: silentLogger };

  it('fills in each default from PACK_DEFAULTS', () => {
    expect(resolvePackSettings(base)).toEqual(
      jasmine.objectContaining({
        pollInterval: PACK_DEFAULTS.polling.interval,
        concurrency: PACK_DEFAULTS.handlers.concurrency,
        handlerTimeout: PACK_DEFAULTS.handlers.timeout,
        delivery: PACK_DEFAULTS.delivery,
      }),
    );
  });

  it('sizes the outbox on its own: handlers.concurrency does not change delivery.concurrency', () => {
    const few = resolvePackSettings({ ...base, handlers: { concurrency: 2 } });
    expect(few.delivery.concurrency).toBe(PACK_DEFAULTS.delivery.concurrency);
    const many = resolvePackSettings({ ...base, delivery: { concurrency: 3 } });
    expect([many.concurrency, many.delivery.concurrency]).toEqual([10, 3]);
  });

  it('names each invalid option by its group', () => {
    let error: unknown;
    try {
      resolvePackSettings({
        ...base,
        polling: { interval: -1 },
        handlers: { concurrency: 0, timeout: -5 },
        delivery: { eventAttempts: 1.5, concurrency: 0 },
        recovery: { after: 0 },
      });
    } catch (e) {
      error = e;
    }
    expect((error as { problems: string[] }).problems).toEqual([
      'options.polling.interval: must be a number >= 0, got -1',
      'options.handlers.concurrency: must be an integer >= 1, got 0',
      'options.handlers.timeout: must be a number >= 0, got -5',
      'options.delivery.concurrency: must be an integer >= 1, got 0',
      'options.delivery.eventAttempts: must be an integer >= 1, got 1.5',
      'options.recovery.after: must be a number > 0 (ms), got 0',
    ]);
  });
});
