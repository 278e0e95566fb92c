import { isDeliveryError } from '../../lib/model/errors.js';
import { packRig, rotaPack, rotaRetrieved, seen, settlePromises, stopAt } from './pack-fixtures.js';

describe('Pack.stop hard cap: grace + flushDeadline + one request timeout (finding 5)', () => {
  const answering = () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' }));

  it('with requestTimeout 0 (none), a result post that never answers: stop resolves at the cap, the result reported given up, every sendEvent settled', async () => {
    const { scheduler, api, pack, enqueue } = packRig(answering, { transport: { timeout: 0 } });
    api.onCall(({ method }) => (method === 'complete' || method === 'event' ? 'hang' : undefined));
    const errors: unknown[] = [];
    pack.errors$.subscribe((e) => errors.push(e));
    let sent: unknown;
    let stoppedAt: () => number | undefined = () => undefined;
    scheduler.run(() => {
      enqueue(0);
      void pack.start();
      scheduler.schedule(
        () =>
          void pack
            .sendEvent({ eventDef: seen, payload: { who: 'Ann' } })
            .catch((e: unknown) => (sent = e)),
        100,
      );
      stoppedAt = stopAt(scheduler, pack, 500, { grace: 1000, flushDeadline: 2000 });
    });
    await settlePromises();
    // 500 + 1000 (grace) + 2000 (flush) + 10000 (one request timeout: the default when none)
    expect(stoppedAt()).toBe(13_500);
    expect(isDeliveryError(sent)).toBeTrue();
    const givenUp = errors.filter(isDeliveryError);
    expect(givenUp.map((e) => e.actionId ?? 'event').sort()).toEqual(['action-1', 'event']);
    expect(givenUp[0]?.message).toMatch(/did not answer by the stop's hard cap/);
  });

  it('a take that never answers holds the stop no longer than the cap, with the configured request timeout', async () => {
    const { scheduler, api, pack } = packRig(answering, { transport: { timeout: 3000 } });
    api.onCall(({ method }) => (method === 'take' ? 'hang' : undefined));
    let stoppedAt: () => number | undefined = () => undefined;
    scheduler.run(() => {
      void pack.start();
      stoppedAt = stopAt(scheduler, pack, 500, { grace: 1000, flushDeadline: 2000 });
    });
    await settlePromises();
    expect(stoppedAt()).toBe(500 + 1000 + 2000 + 3000);
    expect(pack.status).toBe('stopped');
  });
});
