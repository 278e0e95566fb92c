import { TestScheduler } from 'rxjs/testing';
import type { SchedulerAction, SchedulerLike } from 'rxjs';
import type { Health } from '../../../lib/node/health-check.js';
import { healthWhileActive } from '../../../lib/node/health-while-active.js';

const ACTIVE: Health = { healthy: true, status: 'active' };
const quiet = (last: string): Health => ({ healthy: false, status: `quiet since ${last}` });

/** The scheduler, counting the timers scheduled through it. */
function counting(scheduler: TestScheduler): { scheduler: SchedulerLike; timers: () => number } {
  let timers = 0;
  const counted: SchedulerLike = {
    now: () => scheduler.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T) {
      timers += 1;
      return scheduler.schedule(work, delay, state);
    },
  };
  return { scheduler: counted, timers: () => timers };
}

describe('healthWhileActive', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((a, e) => expect(a).toEqual(e))));

  it('is active at the first sign of life, quiet once the limit passes without one, active again at the next', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const activity$ = hot<string>('a 4ms b 19ms c', { a: 'a', b: 'b', c: 'c' });
      const health$ = healthWhileActive(activity$, 10, ACTIVE, quiet, scheduler);
      expectObservable(health$, '^ 40ms !').toBe('a 14ms q 9ms a 9ms r', {
        a: ACTIVE,
        q: quiet('b'),
        r: quiet('c'),
      });
    });
  });

  it('emits each change once: no repeated active while signs of life keep coming', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const activity$ = hot<string>('a 1ms a 1ms a 1ms a 1ms a', { a: 'a' });
      expectObservable(healthWhileActive(activity$, 10, ACTIVE, quiet, scheduler)).toBe(
        'a 17ms q',
        { a: ACTIVE, q: quiet('a') },
      );
    });
  });

  it('ends with its activity, and forwards its error', () => {
    scheduler.run(({ hot, expectObservable }) => {
      expectObservable(
        healthWhileActive(hot<string>('a 2ms |'), 10, ACTIVE, quiet, scheduler),
      ).toBe('a 2ms |', { a: ACTIVE });
      expectObservable(
        healthWhileActive(hot<string>('a 2ms #'), 10, ACTIVE, quiet, scheduler),
      ).toBe('a 2ms #', { a: ACTIVE });
    });
  });

  // A busy pack gives thousands of signs of life a second: a timer each would cost more than
  // the actions themselves. One timer per limit, re-armed for what is left, gives the same answers.
  it('keeps a few timers for a thousand signs of life within one limit, not one each', () => {
    const { scheduler: clock, timers } = counting(scheduler);
    scheduler.run(({ hot, expectObservable }) => {
      const lives = Array.from({ length: 1000 }, () => 'a').join('');
      const activity$ = hot<string>(lives, { a: 'a' });
      expectObservable(healthWhileActive(activity$, 5000, ACTIVE, quiet, clock)).toBe(
        'a 5998ms q',
        { a: ACTIVE, q: quiet('a') },
      );
    });
    expect(timers()).toBeLessThanOrEqual(3);
  });
});
