import type { WireEvent } from '../../lib/model/wire-types.js';
import type { FlyteEvent } from '../../lib/model/definitions.js';
import { packRig, rotaPack, rotaRetrieved, seen, slowRota } from './pack-fixtures.js';

describe('Pack.delivered$', () => {
  const ann: FlyteEvent<{ who: string }> = { eventDef: seen, payload: { who: 'Ann' } };

  it('reports a result accepted after a retried post: its action, posts and time from the first post', () => {
    const { scheduler, api, pack, timed, enqueue } = packRig((s) => rotaPack(slowRota(30, s)));
    api.failNext('complete', 503);
    const delivered = timed(pack.delivered$);
    const results = timed(pack.results$);
    scheduler.run(() => {
      void pack.start();
      enqueue(100);
      scheduler.schedule(() => void pack.stop(), 12_000);
    });
    const completes = api.timesOf('complete');
    expect(completes.length).toBe(2);
    expect(results.map(([, r]) => [r.outcome, r.handlerMs])).toEqual([['success', 30]]);
    const [actionId] = results.map(([, r]) => r.action.id);
    expect(delivered).toEqual([
      [
        completes[1],
        {
          kind: 'result',
          end: 'delivered',
          actionId,
          event: jasmine.objectContaining({
            event: rotaRetrieved.name,
            payload: 'Ann',
          }) as unknown as WireEvent,
          attempts: 2,
          time: completes[1],
          ms: completes[1] - completes[0],
          inferred: false,
        },
      ],
    ]);
  });

  it('reports a spontaneous event accepted at its first post, and nothing for one given up', async () => {
    const { scheduler, api, pack, timed } = packRig(() =>
      rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })),
    );
    const delivered = timed(pack.delivered$);
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.sendEvent(ann), 100);
      scheduler.schedule(() => {
        api.failNext('event', 400);
        pack.sendEvent(ann).catch(() => undefined);
      }, 200);
      scheduler.schedule(() => void pack.stop(), 1000);
    });
    await Promise.resolve();
    expect(api.callsOf('event').length).toBe(2);
    expect(delivered).toEqual([
      [
        100,
        {
          kind: 'event',
          end: 'delivered',
          event: { event: 'Seen', payload: { who: 'Ann' }, createdAt: '1970-01-01T00:00:00.100Z' },
          attempts: 1,
          time: 100,
          ms: 0,
          inferred: false,
        },
      ],
    ]);
  });

  it('reports the FATAL that answered a result the server refused for good', () => {
    const { scheduler, api, pack, timed, enqueue } = packRig(() =>
      rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })),
    );
    api.failNext('complete', 422);
    const delivered = timed(pack.delivered$);
    scheduler.run(() => {
      void pack.start();
      enqueue(100);
      scheduler.schedule(() => void pack.stop(), 12_000);
    });
    expect(
      delivered.map(([, d]) => [d.kind, d.event.event, d.attempts, d.replacedByFatal]),
    ).toEqual([['result', 'FATAL', 2, true]]);
  });

  it('completes when the pack has stopped', async () => {
    const { pack } = packRig(() => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })));
    let completed = false;
    pack.delivered$.subscribe({ complete: () => (completed = true) });
    await pack.stop();
    expect(completed).toBe(true);
  });
});
