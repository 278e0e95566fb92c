import { TestScheduler } from 'rxjs/testing';
import type { Health } from '../../../lib/node/health-check.js';
import { takeLoopExpectation, takeLoopLiveness } from '../../../lib/node/take-loop-liveness.js';
import type { PackStatus } from '../../../lib/pack/pack-options.js';

const WORKING: Health = { healthy: true, status: 'the take loop is working' };
const stalled = (status: PackStatus, limit = 30): Health => ({
  healthy: false,
  status:
    `the take loop has done nothing for ${limit} ms (no take, no failed take, no ` +
    `registration attempt) while the pack is ${status}: it cannot go on without a restart`,
});

describe('takeLoopExpectation (the policy)', () => {
  const cases: Array<[PackStatus, boolean, 'watch' | Health]> = [
    ['idle', false, { healthy: true, status: 'the pack has not started' }],
    ['registering', false, 'watch'],
    ['running', false, 'watch'],
    ['backing-off', false, 'watch'], // a flyte outage: the loop keeps trying, so it is watched
    ['unauthorized', false, 'watch'],
    ['running', true, { healthy: true, status: 'every handler slot is busy' }],
    ['backing-off', true, { healthy: true, status: 'every handler slot is busy' }],
    ['stopping', false, { healthy: true, status: 'the pack is stopping' }],
    ['stopped', true, { healthy: true, status: 'the pack has stopped' }],
  ];
  for (const [status, busy, expected] of cases) {
    it(`${status}${busy ? ', every slot busy' : ''} → ${JSON.stringify(expected)}`, () => {
      expect(takeLoopExpectation(status, busy)).toEqual(expected);
    });
  }
});

describe('takeLoopLiveness', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((a, e) => expect(a).toEqual(e))));

  it('stays healthy while failed takes go on (a flyte outage), and fails when every activity stops', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const status$ = cold<PackStatus>('b', { b: 'backing-off' });
      // Failed takes every 20 ms, then nothing: the loop died.
      const activity$ = hot('20ms e 19ms e 19ms e');
      const health$ = takeLoopLiveness({ status$, activity$ }, { stallLimit: 30 }, scheduler);
      expectObservable(health$, '^ 150ms !').toBe('w 89ms s', {
        w: WORKING,
        s: stalled('backing-off'),
      });
    });
  });

  it('does not watch before the start, while every slot is busy or during a stop; the clock starts again when a slot frees', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const status$ = hot<PackStatus>('i 9ms r 89ms s', {
        i: 'idle',
        r: 'running',
        s: 'stopping',
      });
      const inFlight$ = hot('20ms 2 39ms 0', { 0: 0, 2: 2 });
      const activity$ = hot('');
      const health$ = takeLoopLiveness(
        { status$, activity$, inFlight$ },
        { stallLimit: 30, concurrency: 2 },
        scheduler,
      );
      expectObservable(health$, '^ 200ms !').toBe('i 9ms w 9ms b 39ms w 29ms x 9ms s', {
        i: { healthy: true, status: 'the pack has not started' },
        w: WORKING,
        x: stalled('running'),
        b: { healthy: true, status: 'every handler slot is busy' },
        s: { healthy: true, status: 'the pack is stopping' },
      });
    });
  });

  it('fails after the stall limit of a registration that stopped trying, and recovers at the next activity', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const status$ = cold<PackStatus>('g', { g: 'registering' });
      const activity$ = hot('50ms a');
      const health$ = takeLoopLiveness({ status$, activity$ }, { stallLimit: 30 }, scheduler);
      expectObservable(health$, '^ 70ms !').toBe('w 29ms s 19ms w', {
        w: WORKING,
        s: stalled('registering'),
      });
    });
  });
});
