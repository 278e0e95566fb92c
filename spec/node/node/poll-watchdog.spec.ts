import { TestScheduler } from 'rxjs/testing';
import type { Health } from '../../../lib/node/health-check.js';
import { pollWatchdog } from '../../../lib/node/poll-watchdog.js';
import type { PackStatus } from '../../../lib/pack/pack-options.js';
import type { PollOutcome } from '../../../lib/model/outcomes.js';
import { countingScheduler } from '../../support/counting-scheduler.js';

const POLLING: Health = { healthy: true, status: 'polling' };
const BUSY: Health = {
  healthy: true,
  status: 'every handler slot is busy; polling resumes when one frees',
};
const stale = (since: number, limit = 30, multiple = 3): Health => ({
  healthy: false,
  status:
    `no successful poll since ${new Date(since).toISOString()}; ` +
    `allowed: ${limit} ms (${multiple} × poll interval)`,
});
const packIs = (status: PackStatus): Health => ({
  healthy: false,
  status: `the pack is ${status}`,
});
const poll = (kind: PollOutcome['kind'], time: number): PollOutcome => ({ kind, time, ms: 0 });

describe('pollWatchdog', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((a, e) => expect(a).toEqual(e))));

  it('trips when no poll succeeds for 3 poll intervals, and recovers at the next success', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const status$ = cold<PackStatus>('r', { r: 'running' });
      const polls$ = hot<PollOutcome>('5ms a 9ms e 34ms b', {
        a: poll('empty', 5),
        e: poll('error', 15),
        b: poll('action', 50),
      });
      const health$ = pollWatchdog({ polls$, status$ }, { pollInterval: 10 }, scheduler);
      expectObservable(health$).toBe('p 34ms s 14ms p 29ms t', {
        p: POLLING,
        s: stale(5),
        t: stale(50),
      });
    });
  });

  it('keeps healthy while polls keep succeeding', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const status$ = cold<PackStatus>('r', { r: 'running' });
      const polls$ = hot<PollOutcome>('25ms a 24ms b 24ms c', {
        a: poll('empty', 25),
        b: poll('action', 50),
        c: poll('empty', 75),
      });
      const health$ = pollWatchdog({ polls$, status$ }, { pollInterval: 10 }, scheduler);
      expectObservable(health$, '^ 120ms !').toBe('p 104ms s', { p: POLLING, s: stale(75) });
    });
  });

  it('is unhealthy while the pack is not registered, and starts the clock when it runs', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const status$ = cold<PackStatus>('i 9ms g 9ms r 59ms t 9ms x', {
        i: 'idle',
        g: 'registering',
        r: 'running',
        t: 'stopping',
        x: 'stopped',
      });
      const polls$ = hot<PollOutcome>('-');
      const health$ = pollWatchdog({ polls$, status$ }, { pollInterval: 10 }, scheduler);
      expectObservable(health$).toBe('i 9ms g 9ms p 29ms s 29ms t 9ms x', {
        i: packIs('idle'),
        g: packIs('registering'),
        p: POLLING,
        s: stale(20),
        t: packIs('stopping'),
        x: packIs('stopped'),
      });
    });
  });

  it('does not restart the clock when the pack merely backs off', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const status$ = cold<PackStatus>('r 9ms b', { r: 'running', b: 'backing-off' });
      const polls$ = hot<PollOutcome>('10ms e', { e: poll('error', 10) });
      const health$ = pollWatchdog({ polls$, status$ }, { pollInterval: 10 }, scheduler);
      expectObservable(health$).toBe('p 29ms s', { p: POLLING, s: stale(0) });
    });
  });

  it('stays healthy while every handler slot is busy, and restarts the clock when one frees', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const status$ = cold<PackStatus>('r', { r: 'running' });
      const polls$ = hot<PollOutcome>('-');
      const inFlight$ = hot<number>('a 9ms c 89ms b', { a: 0, b: 1, c: 2 });
      const health$ = pollWatchdog(
        { polls$, status$, inFlight$ },
        { pollInterval: 10, concurrency: 2 },
        scheduler,
      );
      expectObservable(health$).toBe('p 9ms u 89ms p 29ms s', {
        p: POLLING,
        u: BUSY,
        s: stale(100),
      });
    });
  });

  // At full concurrency a busy pack goes in and out of "every slot busy" at every action:
  // watching must not cost a timer (or a new subscription) per action.
  it('keeps a few timers while a busy pack frees and fills its last slot at every action', () => {
    const { scheduler: clock, timers } = countingScheduler(scheduler);
    scheduler.run(({ cold, hot, expectObservable }) => {
      const status$ = cold<PackStatus>('r', { r: 'running' });
      const actions = Array.from({ length: 300 }, () => 'fa').join('');
      const polls$ = hot<PollOutcome>(`-${actions.replaceAll('f', '-')}`, {
        a: poll('action', 0),
      });
      const inFlight$ = hot<number>(`a${actions}`, { a: 2, f: 1 });
      const health$ = pollWatchdog(
        { polls$, status$, inFlight$ },
        { pollInterval: 1000, concurrency: 2 },
        clock,
      );
      const flips = Array.from({ length: 300 }, () => 'pu').join('');
      expectObservable(health$, '^ 1000ms !').toBe(`u${flips}`, { p: POLLING, u: BUSY });
    });
    expect(timers()).toBeLessThanOrEqual(3);
  });

  it('takes the multiple from the options', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const status$ = cold<PackStatus>('r', { r: 'running' });
      const health$ = pollWatchdog(
        { polls$: hot<PollOutcome>('-'), status$ },
        { pollInterval: 10, multiple: 5 },
        scheduler,
      );
      expectObservable(health$).toBe('p 49ms s', { p: POLLING, s: stale(0, 50, 5) });
    });
  });
});
