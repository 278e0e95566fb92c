import { TestScheduler } from 'rxjs/testing';
import type { Health } from '../../../lib/node/health-check.js';
import { type Expectation, healthWhileActive } from '../../../lib/node/health-while-active.js';
import { countingScheduler } from '../../support/counting-scheduler.js';

const ACTIVE: Health = { healthy: true, status: 'active' };
const BUSY: Health = { healthy: true, status: 'busy' };
const quiet = (last: string): Health => ({ healthy: false, status: `quiet since ${last}` });
const WATCH: Expectation<string> = { quiet, start: () => 'start' };

describe('healthWhileActive', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((a, e) => expect(a).toEqual(e))));

  it('is active from the start of the watch, quiet once the limit passes without a sign of life, active again at the next', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const activity$ = hot<string>('5ms b 19ms c', { b: 'b', c: 'c' });
      const health$ = healthWhileActive(cold('w', { w: WATCH }), activity$, 10, ACTIVE, scheduler);
      expectObservable(health$, '^ 40ms !').toBe('a 14ms q 9ms a 9ms r', {
        a: ACTIVE,
        q: quiet('b'),
        r: quiet('c'),
      });
    });
  });

  it('emits each change once: no repeated active while signs of life keep coming', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const activity$ = hot<string>('a 1ms a 1ms a 1ms a 1ms a', { a: 'a' });
      const health$ = healthWhileActive(cold('w', { w: WATCH }), activity$, 10, ACTIVE, scheduler);
      expectObservable(health$).toBe('a 17ms q', { a: ACTIVE, q: quiet('a') });
    });
  });

  it('answers a fixed expectation as it is, and starts the clock again at the next watch', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const expectation$ = cold<Expectation<string>>('w 4ms b 19ms w', { w: WATCH, b: BUSY });
      const health$ = healthWhileActive(expectation$, hot<string>(''), 10, ACTIVE, scheduler);
      expectObservable(health$, '^ 50ms !').toBe('a 4ms b 19ms a 9ms q', {
        a: ACTIVE,
        b: BUSY,
        q: quiet('start'),
      });
    });
  });

  it('ends with its sources, and forwards their errors', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const watch$ = cold('w', { w: WATCH });
      expectObservable(healthWhileActive(watch$, hot('--|'), 10, ACTIVE, scheduler)).toBe('a-|', {
        a: ACTIVE,
      });
      expectObservable(healthWhileActive(watch$, hot('--#'), 10, ACTIVE, scheduler)).toBe('a-#', {
        a: ACTIVE,
      });
      expectObservable(
        healthWhileActive(cold('w-#', { w: WATCH }), hot(''), 10, ACTIVE, scheduler),
      ).toBe('a-#', { a: ACTIVE });
    });
  });

  // A busy pack gives thousands of signs of life a second, and at full concurrency goes in and
  // out of "every slot busy" at every action: a timer or a re-subscription for each would cost
  // more than the actions themselves. One timer per limit, re-armed for what is left, answers the same.
  it('keeps a few timers for a thousand signs of life and busy spells within one limit', () => {
    const { scheduler: clock, timers } = countingScheduler(scheduler);
    scheduler.run(({ hot, expectObservable }) => {
      const ticks = Array.from({ length: 1000 }, () => 'a').join('');
      const spells = Array.from({ length: 500 }, () => 'bw').join('');
      const expectation$ = hot<Expectation<string>>(`w${spells}`, { w: WATCH, b: BUSY });
      const health$ = healthWhileActive(expectation$, hot(ticks, { a: 'a' }), 5000, ACTIVE, clock);
      const flips = Array.from({ length: 500 }, () => 'ba').join('');
      expectObservable(health$, `^ 6100ms !`).toBe(`a${flips} 4999ms q`, {
        a: ACTIVE,
        b: BUSY,
        q: quiet('start'),
      });
    });
    expect(timers()).toBeLessThanOrEqual(3);
  });
});
