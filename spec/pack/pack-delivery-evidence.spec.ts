import { isDeliveryError, isInferredDeliveryError } from '../../lib/model/errors.js';
import type { DeliveryReceipt } from '../../lib/model/delivered.js';
import { mulberry32 } from '../../lib/testing/fake-faults.js';
import { packRig, rotaPack, rotaRetrieved } from './pack-fixtures.js';

/** A pack answering every action at once, over the in-memory server in virtual time. */
function answeringRig() {
  const rig = packRig(() => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })), {
    handlers: { concurrency: 4 },
  });
  const errors: unknown[] = [];
  const receipts: DeliveryReceipt[] = [];
  rig.pack.errors$.subscribe((e) => errors.push(e));
  rig.pack.delivered$.subscribe((r) => receipts.push(r));
  return { ...rig, errors, receipts };
}

describe('Pack delivery decided by the server’s record', () => {
  it('with 30 % of result answers lost after the server acted, reports no SUCCESS action undelivered or inferred (finding 2)', () => {
    const { scheduler, api, pack, model, errors, receipts } = answeringRig();
    const random = mulberry32(7);
    api.onCall(({ method }) =>
      method === 'complete' && random() < 0.3 ? { fault: 'network', when: 'after' } : undefined,
    );
    scheduler.run(() => {
      for (let n = 0; n < 60; n++)
        api.model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: n });
      void pack.start();
      scheduler.schedule(() => void pack.stop({ grace: 0, flushDeadline: 0 }), 3_600_000);
    });
    expect(model.actions().length).toBe(60);
    expect(model.actions().every((a) => a.state === 'SUCCESS')).toBeTrue();
    expect(errors.filter((e) => isDeliveryError(e) || isInferredDeliveryError(e))).toEqual([]);
    const ends = new Set(receipts.map((r) => r.end));
    expect([...ends].sort()).toEqual(['delivered', 'verified']);
    expect(receipts.length).toBe(60);
  });

  it('a post dropped before the server acted, then bare 500s while health answers 200: posted until it lands (finding 3)', () => {
    const { scheduler, api, pack, model, errors, receipts } = answeringRig();
    api.failNext('complete', 'network').failNext('complete', 500, 8);
    scheduler.run(() => {
      api.model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: 1 });
      void pack.start();
      scheduler.schedule(() => void pack.stop({ grace: 0, flushDeadline: 0 }), 3_600_000);
    });
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
    expect(api.callsOf('complete').length).toBe(10);
    expect(errors.filter(isInferredDeliveryError)).toEqual([]);
    expect(receipts.map((r) => [r.end, r.attempts])).toEqual([['delivered', 10]]);
  });

  it('retries a result through a 10-minute outage instead of giving it up (finding 4)', () => {
    const { scheduler, api, pack, model, errors } = answeringRig();
    api.onCall(({ method, time }) => (method === 'complete' && time < 600_000 ? 503 : undefined));
    scheduler.run(() => {
      api.model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: 1 });
      void pack.start();
      scheduler.schedule(() => void pack.stop({ grace: 0, flushDeadline: 0 }), 3_600_000);
    });
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
    expect(errors.filter(isDeliveryError)).toEqual([]);
    const posts = api.timesOf('complete');
    expect(posts[posts.length - 1]).toBeGreaterThanOrEqual(600_000);
    // Capped backoff: never more than maxRetryDelay (30 s) between two posts.
    const gaps = posts.slice(1).map((t, i) => t - posts[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000);
  });
});
