import { NEVER } from 'rxjs';
import { isDeliveryError } from '../../lib/model/errors.js';
import type { HandlerContext } from '../../lib/model/definitions.js';
import type { FatalPayload } from '../../lib/model/fatal-payload.js';
import { packRig, rotaPack, rotaRetrieved, slowRota } from './pack-fixtures.js';

describe('Pack.stop', () => {
  it('lets a running handler finish within the grace period and posts its result', async () => {
    const { scheduler, pack, model, timed, enqueue } = packRig((s) => rotaPack(slowRota(2000, s)));
    const statuses = timed(pack.status$);
    let stopped: number | undefined;
    scheduler.run(() => {
      enqueue(0);
      void pack.start();
      scheduler.schedule(() => void pack.stop({ grace: 5000 }).then(() => (stopped = 1)), 500);
    });
    await Promise.resolve();
    expect(stopped).toBe(1);
    expect(model.actions().map((a) => [a.state, a.result?.event])).toEqual([
      ['SUCCESS', 'RotaRetrieved'],
    ]);
    expect(statuses.slice(-2)).toEqual([
      [500, 'stopping'],
      [2000, 'stopped'],
    ]);
  });

  it('cancels handlers still running after the grace period: unsubscribed, signal aborted, FATAL cancelled', () => {
    let signal: AbortSignal | undefined;
    const { scheduler, api, pack, model, timed, enqueue } = packRig(() =>
      rotaPack((_input, context: HandlerContext) => {
        signal = context.signal;
        return NEVER;
      }),
    );
    const statuses = timed(pack.status$);
    scheduler.run(() => {
      enqueue(0);
      void pack.start();
      scheduler.schedule(() => void pack.stop({ grace: 1000 }), 500);
    });
    const [action] = model.actions();
    expect(action.state).toBe('FATAL');
    expect((action.result?.payload as FatalPayload).reason).toBe('cancelled');
    expect(api.timesOf('complete')).toEqual([1500]);
    expect(signal?.aborted).toBe(true);
    expect(statuses.slice(-1)).toEqual([[1500, 'stopped']]);
  });

  it('finishes a take that is in flight at stop and handles its action', () => {
    const { scheduler, api, pack, model, enqueue } = packRig(
      () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })),
      {},
      { take: 100 },
    );
    scheduler.run(() => {
      enqueue(0);
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 50);
    });
    expect(api.callsOf('take').map((c) => [c.time, c.outcome])).toEqual([[0, 'ok']]);
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
  });

  it('completes an action taken after the grace period ran out with FATAL cancelled', () => {
    const { scheduler, api, pack, model, enqueue } = packRig(
      () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })),
      {},
      { take: 1000 },
    );
    scheduler.run(() => {
      enqueue(0);
      void pack.start();
      scheduler.schedule(() => void pack.stop({ grace: 100 }), 50);
    });
    expect(api.timesOf('complete')).toEqual([1000]);
    expect((model.actions()[0].result?.payload as FatalPayload).reason).toBe('cancelled');
  });

  it('flushes the outbox within the deadline, then reports what is left on errors$', () => {
    const { scheduler, api, pack, logger, timed, enqueue } = packRig(() =>
      rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' })),
    );
    api.failNext('complete', 503, 100);
    const errors = timed(pack.errors$);
    const statuses = timed(pack.status$);
    scheduler.run(() => {
      enqueue(0);
      void pack.start();
      scheduler.schedule(() => void pack.stop({ flushDeadline: 3000 }), 10);
    });
    const [[at, error]] = errors.filter(([, e]) => isDeliveryError(e));
    expect(at).toBe(3010);
    expect((error as Error).message).toContain(
      'the pack stopped before the result "RotaRetrieved"',
    );
    expect(logger.error).toHaveBeenCalledWith(
      jasmine.stringMatching('the pack stopped before'),
      jasmine.objectContaining({ event: jasmine.objectContaining({ event: 'RotaRetrieved' }) }),
    );
    expect(statuses.slice(-1)).toEqual([[3010, 'stopped']]);
  });

  it('is idempotent, and a stopped pack cannot be started again', async () => {
    const { scheduler, pack } = packRig(() =>
      rotaPack(() => ({ eventDef: rotaRetrieved, payload: '' })),
    );
    let first: Promise<void> | undefined;
    let second: Promise<void> | undefined;
    scheduler.run(() => {
      void pack.start();
      first = pack.stop();
      second = pack.stop();
    });
    expect(first).toBe(second);
    await first;
    await expectAsync(pack.start()).toBeRejectedWithError('pack "rota-pack" was stopped');
  });

  it('joins a stop() called again from a status$ subscriber, keeping the first limits', () => {
    const { scheduler, api, pack, logger, enqueue } = packRig(() => rotaPack(() => NEVER));
    let outer: Promise<void> | undefined;
    let inner: Promise<void> | undefined;
    pack.status$.subscribe((status) => {
      if (status === 'stopping') inner = pack.stop({ grace: 0 });
    });
    scheduler.run(() => {
      enqueue(0);
      void pack.start();
      scheduler.schedule(() => void (outer = pack.stop({ grace: 1000 })), 500);
    });
    expect(inner).toBe(outer);
    expect(api.timesOf('complete')).toEqual([1500]); // cancelled after the outer grace, not at once
    const stoppedLogs = logger.info.calls.allArgs().filter(([m]) => / stopped$/.test(m));
    expect(stoppedLogs.length).toBe(1);
  });

  it('stops a pack that was never started at once', async () => {
    const { pack } = packRig(() => rotaPack(() => ({ eventDef: rotaRetrieved, payload: '' })));
    await pack.stop();
    expect(pack.status).toBe('stopped');
  });

  it('completes inFlight$ for a subscriber that comes after stop()', async () => {
    const { scheduler, pack } = packRig(() =>
      rotaPack(() => ({ eventDef: rotaRetrieved, payload: '' })),
    );
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 100);
    });
    await Promise.resolve();
    expect(pack.status).toBe('stopped');
    let completed = false;
    pack.inFlight$.subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });

  it('does not discover when stop() is called from inside start() (a status$ subscriber)', async () => {
    const { scheduler, api, pack } = packRig(() =>
      rotaPack(() => ({ eventDef: rotaRetrieved, payload: '' })),
    );
    pack.status$.subscribe((status) => {
      if (status === 'registering') void pack.stop();
    });
    let started: Promise<void> | undefined;
    scheduler.run(() => {
      started = pack.start();
    });
    await expectAsync(started as Promise<void>).toBeRejectedWithError(
      'pack "rota-pack" was stopped before it registered',
    );
    expect(api.timesOf('discover')).toEqual([]);
    expect(api.timesOf('register')).toEqual([]);
    expect(pack.status).toBe('stopped');
  });
});
