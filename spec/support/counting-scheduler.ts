import type { SchedulerAction, SchedulerLike } from 'rxjs';

/**
 * `scheduler`, counting the timers scheduled through it: for specs of what a stream costs.
 *
 * @example
 * const { scheduler: clock, timers } = countingScheduler(testScheduler);
 * // ... run the stream on `clock` ...
 * expect(timers()).toBeLessThanOrEqual(3);
 */
export function countingScheduler(scheduler: SchedulerLike): {
  scheduler: SchedulerLike;
  timers: () => number;
} {
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
