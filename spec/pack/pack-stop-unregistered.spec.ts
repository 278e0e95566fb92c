// Issue 21, finding 6a: a pack that never registered (flyte down from the start) stops at once.
import { isDeliveryError } from '../../lib/model/errors.js';
import { packRig, rotaPack, rotaRetrieved, seen, settlePromises, stopAt } from './pack-fixtures.js';

describe('Pack.stop of a pack that never registered (finding 6a)', () => {
  const answering = () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' }));

  it('resolves at once, retries no registration after "stopping", and rejects every event sent before with a DeliveryError', async () => {
    const { scheduler, api, pack, timed } = packRig(answering);
    api.onCall(({ method }) => (method === 'register' ? 503 : undefined));
    const statuses = timed(pack.status$);
    const errors = timed(pack.errors$);
    const sent: unknown[] = [];
    let stoppedAt: () => number | undefined = () => undefined;
    scheduler.run(() => {
      void pack.start().catch(() => undefined);
      for (const at of [0, 2000]) {
        scheduler.schedule(
          () =>
            void pack
              .sendEvent({ eventDef: seen, payload: { who: 'Ann' } })
              .catch((e: unknown) => sent.push(e)),
          at,
        );
      }
      stoppedAt = stopAt(scheduler, pack, 5000, { grace: 30_000, flushDeadline: 10_000 });
    });
    await settlePromises();

    expect(stoppedAt()).toBe(5000);
    expect(statuses.slice(-2)).toEqual([
      [5000, 'stopping'],
      [5000, 'stopped'],
    ]);
    const registrations = api.timesOf('register');
    expect(registrations.length).toBeGreaterThan(1); // it was retrying with backoff
    expect(registrations.filter((t) => t >= 5000)).toEqual([]);
    expect(api.timesOf('event')).toEqual([]);
    expect(sent.length).toBe(2);
    for (const error of sent) {
      expect(isDeliveryError(error)).withContext(String(error)).toBeTrue();
      expect((error as Error).message).toContain('the pack stopped before it registered');
    }
    const givenUp = errors.filter(([, e]) => isDeliveryError(e));
    expect(givenUp.map(([at]) => at)).toEqual([5000, 5000]);
  });

  it('a registration in flight at stop is abandoned: no pack is registered afterwards', async () => {
    const { scheduler, pack } = packRig(answering, {}, { register: 3000 });
    let stoppedAt: () => number | undefined = () => undefined;
    scheduler.run(() => {
      void pack.start().catch(() => undefined);
      stoppedAt = stopAt(scheduler, pack, 1000, { grace: 30_000, flushDeadline: 10_000 });
    });
    await settlePromises();
    expect(stoppedAt()).toBe(1000);
    expect(pack.registered).toBeUndefined();
  });
});
