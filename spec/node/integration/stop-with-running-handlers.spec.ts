import { isDeliveryError } from '../../../lib/model/errors.js';
import { Pack } from '../../../lib/pack/pack.js';
import type { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import {
  countingPack,
  enqueueCounts,
  fastOptions,
  type RunCounts,
  startServer,
  within,
} from './support.js';

/** Handlers that wait until the spec releases them (or their signal aborts). */
class Gates {
  private readonly waiting = new Map<string, () => void>();
  private onStart: () => void = () => undefined;
  aborted = 0;

  hold = (input: unknown, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      this.waiting.set(String(input), resolve);
      this.onStart();
      signal.addEventListener('abort', () => {
        this.aborted++;
        reject(signal.reason);
      });
    });

  /** Resolves once `n` handlers are running. */
  started(n: number): Promise<void> {
    return new Promise((resolve) => {
      this.onStart = () => this.waiting.size >= n && resolve();
      this.onStart();
    });
  }

  releaseAll(): void {
    for (const release of this.waiting.values()) release();
  }
}

describe('stopping a pack with running handlers (integration)', () => {
  let server: FakeFlyteServer;
  let runs: RunCounts;
  let gates: Gates;
  let pack: Pack;

  beforeEach(async () => {
    server = await startServer();
    runs = new Map();
    gates = new Gates();
    pack = new Pack(
      countingPack('counting-pack', runs, gates.hold),
      fastOptions(server, { handlers: { concurrency: 3 } }),
    );
    enqueueCounts(server, 4);
    await pack.start();
    // The server has handed out three actions and the pack runs their three handlers.
    await server.waitFor(
      (s) => s.actions().filter((a) => a.state === 'PENDING').length === 3,
      within(),
    );
    await gates.started(3);
  });

  afterEach(async () => {
    await pack.stop({ grace: 0, flushDeadline: 0 });
    await server.close();
  });

  const takes = () => server.requests().filter((r) => r.endpoint === 'take').length;
  const states = () => server.actions().map((a) => a.state);

  it('takes nothing more, lets running handlers finish within the grace period and delivers their results', async () => {
    const takesBefore = takes();
    const stopped = pack.stop({ grace: 3000, flushDeadline: 1000 });
    expect(pack.status).toBe('stopping');
    gates.releaseAll();
    await stopped;

    expect(pack.status).toBe('stopped');
    expect(states()).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'NEW']);
    expect(takes()).toBe(takesBefore);
    expect(gates.aborted).toBe(0);
  });

  it('cancels handlers that outlive the grace period and completes their actions with FATAL', async () => {
    await pack.stop({ grace: 50, flushDeadline: 1000 });

    expect(gates.aborted).toBe(3);
    const fatal = server.actions().filter((a) => a.state === 'FATAL');
    expect(fatal.length).toBe(3);
    for (const a of fatal) {
      expect(a.result?.event).toBe('FATAL');
      expect(a.result?.payload).toEqual(jasmine.objectContaining({ reason: 'cancelled' }));
    }
    expect(states()[3]).toBe('NEW');
  });

  it('flushes results the server refuses for a while, within the flush deadline', async () => {
    server.setFaults({ errorRate: 1, endpoints: ['result'] });
    const stopped = pack.stop({ grace: 3000, flushDeadline: 3000 });
    gates.releaseAll();
    await server.waitFor(
      (s) => s.requests().filter((r) => r.fault === 'error').length >= 3,
      within(),
    );
    server.clearFaults();
    await stopped;

    expect(states()).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'NEW']);
  });

  it('reports the results it could not deliver by the flush deadline, with their events', async () => {
    server.setFaults({ errorRate: 1, endpoints: ['result'] });
    const errors: unknown[] = [];
    pack.errors$.subscribe((e) => errors.push(e));
    const stopped = pack.stop({ grace: 3000, flushDeadline: 100 });
    gates.releaseAll();
    await stopped;

    const undelivered = errors.filter(isDeliveryError);
    expect(undelivered.length).toBe(3);
    expect(undelivered.map((e) => e.event.event)).toEqual(['Counted', 'Counted', 'Counted']);
    expect(states()).toEqual(['PENDING', 'PENDING', 'PENDING', 'NEW']);
  });
});
