import {
  isDeliveryError,
  isOutboxFullError,
  type OutboxFullError,
} from '../../lib/model/errors.js';
import { packRig, rotaPack, rotaRetrieved, seen, settlePromises, stopAt } from './pack-fixtures.js';

describe('Pack outbox drain (finding 1)', () => {
  it('stop() with 1,000 events queued behind a server answering 503 resolves by the flush deadline, and every sendEvent settles', async () => {
    const { scheduler, api, pack } = packRig(
      () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })),
      { delivery: { maxQueuedEvents: 1000 } },
    );
    api.onCall(({ method }) => (method === 'event' ? 503 : undefined));
    const settled: ('ok' | 'given-up' | 'other')[] = [];
    const errors: unknown[] = [];
    pack.errors$.subscribe((e) => errors.push(e));
    let stoppedAt: () => number | undefined = () => undefined;
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => {
        for (let n = 0; n < 1000; n++) {
          pack.sendEvent({ eventDef: seen, payload: { who: `#${n}` } }).then(
            () => settled.push('ok'),
            (e: unknown) => settled.push(isDeliveryError(e) ? 'given-up' : 'other'),
          );
        }
      }, 10);
      stoppedAt = stopAt(scheduler, pack, 100, { grace: 0, flushDeadline: 5000 });
    });
    await settlePromises();
    expect(stoppedAt()).toBe(5100);
    expect(settled.length).toBe(1000);
    expect(settled.every((s) => s === 'given-up')).toBeTrue();
    expect(errors.filter(isDeliveryError).length).toBe(1000);
  });

  it('rejects a sendEvent beyond maxQueuedEvents at once with an OutboxFullError naming the limit, posting nothing', async () => {
    const { scheduler, api, pack } = packRig(
      () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })),
      { delivery: { maxQueuedEvents: 3 } },
    );
    api.onCall(({ method }) => (method === 'event' ? 503 : undefined));
    const outcomes: unknown[] = [];
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => {
        for (let n = 0; n < 4; n++) {
          pack
            .sendEvent({ eventDef: seen, payload: { who: `#${n}` } })
            .catch((e: unknown) => outcomes.push(e));
        }
      }, 10);
      scheduler.schedule(() => void pack.stop({ grace: 0, flushDeadline: 0 }), 100);
    });
    await Promise.resolve();
    expect(outcomes.length).toBe(4);
    const full = outcomes[0] as OutboxFullError;
    expect(isOutboxFullError(full)).toBeTrue();
    expect(full.limit).toBe(3);
    expect(full.event.payload).toEqual({ who: '#3' });
    expect(full.message).toContain('already holds 3 events (delivery.maxQueuedEvents)');
    expect(api.callsOf('event').length).toBe(3);
  });
});
