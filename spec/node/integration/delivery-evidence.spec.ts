import type { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { Pack } from '../../../lib/pack/pack.js';
import type { DeliveryReceipt } from '../../../lib/model/delivered.js';
import { isInferredDeliveryError } from '../../../lib/model/errors.js';
import { countingPack, fastOptions, type RunCounts, startServer, within } from './support.js';

// The done-when of issue 20 over real HTTP: the fake answers as flyte does (bare 500s when the
// store refuses a write, health 200 meanwhile; the audit), and the pack goes by the audit.
describe('delivery decided by the server’s record (integration, over real HTTP)', () => {
  let server: FakeFlyteServer;
  let pack: Pack | undefined;
  const runs: RunCounts = new Map();
  beforeEach(async () => (server = await startServer()));
  afterEach(async () => {
    await pack?.stop({ grace: 0, flushDeadline: 0 });
    await server.close();
  });

  /** Enqueues one action, starts a pack, and records its errors and receipts. */
  async function startPack(input: string) {
    const action = server.enqueueAction({ packName: 'counting-pack', command: 'Count', input });
    pack = new Pack(countingPack('counting-pack', runs), fastOptions(server));
    const errors: unknown[] = [];
    const receipts: DeliveryReceipt[] = [];
    pack.errors$.subscribe((e) => errors.push(e));
    pack.delivered$.subscribe((r) => receipts.push(r));
    await pack.start();
    return { action, errors, receipts };
  }

  it('a result post dropped before the server acted, then bare 500s while health answers 200: SUCCESS once the server accepts again', async () => {
    server.setFaults({ dropRate: 1, dropWhen: 'before', endpoints: ['result'] });
    const { action, errors, receipts } = await startPack('x');
    const results = () => server.requests().filter((r) => r.endpoint === 'result');
    await server.waitFor(() => results().length >= 1, within());
    server.setFaults({ errorRate: 1, endpoints: ['result'] }); // the store refuses: bare 500s
    await server.waitFor(() => results().length >= 10, within());
    expect(server.action(action.id)?.state).toBe('PENDING');
    server.setFaults({});
    await server.waitFor(() => server.action(action.id)?.state === 'SUCCESS', within());
    expect(errors.filter(isInferredDeliveryError)).toEqual([]);
    await server.waitFor(() => receipts.length === 1, within());
    expect(receipts.map((r) => r.end)).toEqual(['delivered']);
    const audits = server.requests().filter((r) => r.endpoint === 'audit');
    expect(audits.length).toBeGreaterThan(0); // asked, and told PENDING
  });

  it('a result whose answer was lost after the server acted: verified by the audit, reported delivered, not lost', async () => {
    server.setFaults({ dropRate: 1, dropWhen: 'after', endpoints: ['result'] });
    const { action, errors, receipts } = await startPack('y');
    await server.waitFor(() => server.action(action.id)?.state === 'SUCCESS', within());
    server.setFaults({});
    await server.waitFor(() => receipts.length === 1, within());
    expect(receipts.map((r) => [r.end, r.actionId])).toEqual([['verified', action.id]]);
    expect(errors).toEqual([]);
  });
});
