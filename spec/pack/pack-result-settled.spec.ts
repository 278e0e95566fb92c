import { isDeliveryError } from '../../lib/model/errors.js';
import { packRig, rotaPack, rotaRetrieved } from './pack-fixtures.js';

describe('Pack: every end of a result frees its slot (finding 10)', () => {
  const answering = () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' }));

  it('results refused for good and answered with FATAL: after `concurrency` of them the pack still takes', () => {
    const { scheduler, api, pack, model, enqueue } = packRig(answering, {
      handlers: { concurrency: 2 },
    });
    // Every result is refused (422); the FATAL that answers each action instead is accepted.
    api.onCall(({ method, attempt }) =>
      method === 'complete' && attempt % 2 === 1 ? 422 : undefined,
    );
    scheduler.run(() => {
      for (let i = 0; i < 5; i++) enqueue(0, { i });
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 60_000);
    });
    expect(model.actions().map((a) => a.state)).toEqual(Array.from({ length: 5 }, () => 'FATAL'));
  });

  it('results given up (their FATAL refused too): after `concurrency` of them the pack still takes', () => {
    const { scheduler, api, pack, model, enqueue } = packRig(answering, {
      handlers: { concurrency: 2 },
    });
    api.onCall(({ method }) => (method === 'complete' ? 400 : undefined));
    const errors: unknown[] = [];
    pack.errors$.subscribe((e) => errors.push(e));
    scheduler.run(() => {
      for (let i = 0; i < 5; i++) enqueue(0, { i });
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 60_000);
    });
    expect(model.actions().filter((a) => a.state === 'NEW')).toEqual([]);
    expect(api.callsOf('complete').length).toBe(10); // each result, then its FATAL
    const givenUp = errors.filter(isDeliveryError).filter((e) => /failed too/.test(e.message));
    expect(givenUp.length).toBe(5);
  });
});
