import { take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { backoffMs, resolveBackoff, retryWithBackoff } from '../../lib/streams/backoff.js';

describe('backoffMs', () => {
  it('grows from initialDelay by factor up to maxDelay, scaled by the random draw', () => {
    const config = { initialDelay: 100, maxDelay: 1000, factor: 2, random: () => 0.5 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(config, n))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
  });

  it('is full jitter: a draw of 0 waits nothing, a draw near 1 waits nearly the ceiling', () => {
    expect(backoffMs({ random: () => 0 }, 4)).toBe(0);
    expect(backoffMs({ random: () => 0.9999 }, 4)).toBe(7999);
  });

  it('defaults to 1 s doubling up to 60 s', () => {
    const { initialDelay, maxDelay, factor, random } = resolveBackoff();
    expect([initialDelay, maxDelay, factor, random]).toEqual([1000, 60_000, 2, Math.random]);
    expect(backoffMs({ random: () => 0.5 }, 1)).toBe(500);
    expect(backoffMs({ random: () => 0.5 }, 20)).toBe(30_000);
  });
});

describe('retryWithBackoff', () => {
  let scheduler: TestScheduler;
  const config = { initialDelay: 10, random: () => 0.5 }; // waits 5, 10, 20, ...

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('resubscribes after each growing wait, then gives up after maxRetries', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#');
      expectObservable(source.pipe(retryWithBackoff(config, { maxRetries: 3 }, scheduler))).toBe(
        '39ms #',
      );
      expectSubscriptions(source.subscriptions).toBe(['^!', '6ms ^!', '17ms ^!', '38ms ^!']);
    });
  });

  it('starts the count again after a value (resetOnSuccess)', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a#');
      // Without the reset the waits would grow (5, 10); they stay at 5.
      const retried = source.pipe(retryWithBackoff(config, { maxRetries: 1 }, scheduler), take(3));
      expectObservable(retried).toBe('-a 5ms -a 5ms -(a|)');
      expectSubscriptions(source.subscriptions).toBe(['^-!', '7ms ^-!', '14ms ^!']);
    });
  });

  it('lets errors that shouldRetry refuses through at once', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, new Error('definition'));
      const shouldRetry = (e: unknown) => (e as Error).message !== 'definition';
      expectObservable(source.pipe(retryWithBackoff(config, { shouldRetry }, scheduler))).toBe(
        '-#',
        undefined,
        new Error('definition'),
      );
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('tells onRetry the error, the retry count and the wait before each wait', () => {
    const onRetry = jasmine.createSpy('onRetry');
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-#', undefined, 'boom');
      expectObservable(
        source.pipe(retryWithBackoff(config, { maxRetries: 2, onRetry }, scheduler)),
      ).toBe('18ms #', undefined, 'boom');
    });
    expect(onRetry.calls.allArgs()).toEqual([
      ['boom', 1, 5],
      ['boom', 2, 10],
    ]);
  });
});
