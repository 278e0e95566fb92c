import { Subject, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { type Health, runHealthChecks } from '../../../lib/node/health-check.js';
import { flyteApiHealthCheck } from '../../../lib/node/pack-health-checks.js';
import { streamHealthCheck } from '../../../lib/node/stream-health-check.js';

describe('runHealthChecks', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = newScheduler()));

  it('waits for every check, each bounded by its own timeout, in virtual time', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const up: Health = { healthy: true, status: 'up' };
      const checks = [
        { name: 'Quick', check: () => cold('--a|', { a: up }) },
        { name: 'Slow', check: () => cold('-------a|', { a: up }), timeout: 5 },
        { name: 'Default', check: () => cold('----------a|', { a: up }) },
      ];
      expectObservable(runHealthChecks(checks, 8, scheduler)).toBe('--------(r|)', {
        r: {
          healthy: false,
          report: {
            Quick: up,
            Slow: { healthy: false, status: 'timed out after 5 ms' },
            Default: { healthy: false, status: 'timed out after 8 ms' },
          },
        },
      });
    });
  });

  it('is healthy when only non-critical checks fail', () => {
    scheduler.run(({ expectObservable }) => {
      const checks = [
        { name: 'Info', critical: false, check: () => ({ healthy: false, status: 'x' }) },
      ];
      expectObservable(runHealthChecks(checks, 5, scheduler)).toBe('(r|)', {
        r: { healthy: true, report: { Info: { healthy: false, status: 'x' } } },
      });
    });
  });
});

describe('flyteApiHealthCheck', () => {
  it('is healthy when the server is, and reports an outage without failing the pack by default', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const up = flyteApiHealthCheck({ flyteHealth: () => cold('-(a|)', { a: undefined }) });
      const down = flyteApiHealthCheck({ flyteHealth: () => throwError(() => new Error('500')) });
      expect([up.name, up.critical, down.critical]).toEqual(['FlyteApi', false, false]);
      expectObservable(runHealthChecks([up], 5, scheduler)).toBe('-(r|)', {
        r: {
          healthy: true,
          report: { FlyteApi: { healthy: true, status: 'the flyte API is up' } },
        },
      });
      expectObservable(runHealthChecks([down], 5, scheduler)).toBe('(r|)', {
        r: {
          healthy: true,
          report: { FlyteApi: { healthy: false, status: 'the flyte API is not healthy: 500' } },
        },
      });
    });
  });

  it('fails the pack when made critical', () => {
    const check = flyteApiHealthCheck(
      { flyteHealth: () => throwError(() => new Error('x')) },
      { critical: true },
    );
    expect(check.critical).toBeTrue();
  });
});

describe('streamHealthCheck', () => {
  it('answers with the latest value, unhealthy before the first and after an error', () => {
    const health$ = new Subject<Health>();
    const check = streamHealthCheck('Live', health$);
    expect(check.check()).toEqual({ healthy: false, status: 'no reading yet' });
    health$.next({ healthy: true, status: 'polling' });
    expect(check.check()).toEqual({ healthy: true, status: 'polling' });
    health$.error(new Error('gone'));
    expect(check.check()).toEqual({ healthy: false, status: 'the check stopped: gone' });
  });

  it('stops following the stream when unsubscribed', () => {
    const health$ = new Subject<Health>();
    const check = streamHealthCheck('Live', health$);
    check.unsubscribe();
    expect(health$.observed).toBeFalse();
  });
});

function newScheduler(): TestScheduler {
  return new TestScheduler((a, e) => expect(a).toEqual(e));
}
