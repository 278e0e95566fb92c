import { asyncScheduler, queueScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { bookingClock } from '../../lib/streams/booking-clock.js';

describe('bookingClock (the clock the take loop books its sends on)', () => {
  it('in real time (asyncScheduler) reads finer than a millisecond, never going back', () => {
    const clock = bookingClock(asyncScheduler);
    const reads = [clock()];
    // A few reads a tenth of a millisecond apart: on Date.now() every difference would be a
    // whole millisecond (mostly 0), so a spacing of 1.5 ms could not be measured.
    for (let i = 0; i < 20; i++) {
      const until = performance.now() + 0.1;
      while (performance.now() < until);
      reads.push(clock());
    }
    const steps = reads.slice(1).map((read, i) => read - reads[i]!);
    expect(steps.every((step) => step >= 0)).toBeTrue();
    expect(steps.some((step) => !Number.isInteger(step))).toBeTrue();
  });

  it("with any other scheduler is the scheduler's own clock (virtual time in tests)", () => {
    const testScheduler = new TestScheduler(() => undefined);
    const times: number[] = [];
    testScheduler.run(() => {
      const clock = bookingClock(testScheduler);
      testScheduler.schedule(() => times.push(clock()), 7);
      testScheduler.schedule(() => times.push(clock()), 12);
    });
    expect(times).toEqual([7, 12]);
    const queued = bookingClock(queueScheduler);
    expect(Math.abs(queued() - queueScheduler.now())).toBeLessThan(1000);
    expect(Number.isInteger(queued())).toBeTrue(); // Date.now(), as queueScheduler's
  });
});
