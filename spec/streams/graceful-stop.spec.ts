import { TestScheduler } from 'rxjs/testing';
import { gracefulStop$, type StopSteps } from '../../lib/streams/graceful-stop.js';

describe('gracefulStop$', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Steps whose calls are recorded with their virtual time. */
  function steps(handlersDone$: StopSteps['handlersDone$'], outboxDone$: StopSteps['outboxDone$']) {
    const log: string[] = [];
    const at = (name: string) => () => log.push(`${scheduler.now()}:${name}`);
    const result: StopSteps = {
      stopTaking: at('stopTaking'),
      handlersDone$,
      cancelHandlers: at('cancelHandlers'),
      closeOutbox: at('closeOutbox'),
      outboxDone$,
      giveUpDeliveries: at('giveUpDeliveries'),
      abandon: at('abandon'),
    };
    return { result, log };
  }

  it('waits for handlers that finish within the grace, then drains the outbox, cancelling nothing', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { result, log } = steps(cold('20ms |'), cold('5ms |'));
      expectObservable(gracefulStop$(result, { grace: 30, flushDeadline: 10 }, scheduler)).toBe(
        '25ms |',
      );
      scheduler.flush();
      expect(log).toEqual(['0:stopTaking', '20:closeOutbox']);
    });
  });

  it('cancels the handlers at the end of the grace and gives up deliveries at the flush deadline', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { result, log } = steps(cold('50ms |'), cold('50ms |'));
      expectObservable(gracefulStop$(result, { grace: 30, flushDeadline: 10 }, scheduler)).toBe(
        '100ms |',
      );
      scheduler.flush();
      expect(log).toEqual([
        '0:stopTaking',
        '30:cancelHandlers',
        '50:closeOutbox',
        '60:giveUpDeliveries',
      ]);
    });
  });

  it('with limits of 0 cancels and gives up at once', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { result, log } = steps(cold('|'), cold('|'));
      expectObservable(gracefulStop$(result, { grace: 0, flushDeadline: 0 }, scheduler)).toBe('|');
      scheduler.flush();
      expect(log).toEqual([
        '0:stopTaking',
        '0:cancelHandlers',
        '0:closeOutbox',
        '0:giveUpDeliveries',
      ]);
    });
  });

  it('ends at the hard cap when a take or post in flight never finishes: abandons, then completes (finding 5)', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const handlers = cold('-');
      const { result, log } = steps(handlers, cold('|'));
      const limits = { grace: 30, flushDeadline: 10, hardCap: 45 };
      expectObservable(gracefulStop$(result, limits, scheduler)).toBe('45ms |');
      expectSubscriptions(handlers.subscriptions).toBe('^ 44ms !');
      scheduler.flush();
      expect(log).toEqual(['0:stopTaking', '30:cancelHandlers', '45:abandon']);
    });
  });

  it('a stop that ends before the hard cap never abandons', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { result, log } = steps(cold('20ms |'), cold('5ms |'));
      const limits = { grace: 30, flushDeadline: 10, hardCap: 45 };
      expectObservable(gracefulStop$(result, limits, scheduler)).toBe('25ms |');
      scheduler.flush();
      expect(log).toEqual(['0:stopTaking', '20:closeOutbox']);
    });
  });
});
