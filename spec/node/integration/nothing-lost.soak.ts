import type { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { isDeliveryError, isInferredDeliveryError } from '../../../lib/model/errors.js';
import { Pack } from '../../../lib/pack/pack.js';
import type { DeliveryReceipt } from '../../../lib/model/delivered.js';
import {
  countingPack,
  enqueueCounts,
  fastOptions,
  noticed,
  type RunCounts,
  everyResultIn,
  lostTakeIds,
  startServer,
  within,
} from './support.js';

const N = Number(process.env['SOAK_ACTIONS'] ?? 2000);
const EVENTS = 100;
/**
 * Actions of the results-lost-after-acting case: at most 1,000, because each verification reads
 * the fake server's audit, which scans every action it holds (a database index makes that cheap
 * on flyte): the run grows with the square of the actions.
 */
const N_LOST = Math.min(N, 1000);

// The "nothing lost" soak of docs/guarantees.md (`make soak`; SOAK_ACTIONS=500 for a shorter run): 30 % bare 500s and 5 % dropped connections on
// every endpoint, dropped before the server acts for the first half, after it for the second.
describe('a pack through 2,000 actions with faults (soak)', () => {
  let server: FakeFlyteServer;
  beforeEach(async () => (server = await startServer()));
  afterEach(() => server.close());

  it('30 % bare 500s and 5 % drops on every endpoint: every action exactly one result; only lost take answers strand one; every accepted event arrives', async () => {
    const started = Date.now();
    const runs: RunCounts = new Map();
    const faults = { errorRate: 0.3, dropRate: 0.05, seed: 11 };
    server.setFaults({ ...faults, dropWhen: 'before' });
    enqueueCounts(server, N);
    const pack = new Pack(
      countingPack('counting-pack', runs),
      fastOptions(server, {
        handlers: { concurrency: 16 },
        delivery: { eventAttempts: 60 },
        transport: { timeout: 10_000 },
      }),
    );
    const errors: unknown[] = [];
    pack.errors$.subscribe((e) => errors.push(e));
    let maxOutbox = 0;
    pack.outboxSize$.subscribe((n) => (maxOutbox = Math.max(maxOutbox, n)));
    await pack.start();
    const send = (n: number) =>
      pack.sendEvent({ eventDef: noticed, payload: { n } }).then(
        () => ({ n, ok: true }),
        () => ({ n, ok: false }),
      );
    const sends = Array.from({ length: EVENTS / 2 }, (_, n) => send(n));
    await server.waitFor(
      (s) => s.actions().filter((a) => a.state !== 'NEW').length >= N / 2,
      within(120_000),
    );
    server.setFaults({ ...faults, dropWhen: 'after' });
    sends.push(...Array.from({ length: EVENTS / 2 }, (_, n) => send(EVENTS / 2 + n)));

    await everyResultIn(server, N, 120_000);
    const sent = await Promise.all(sends);
    await pack.stop({ grace: 1000, flushDeadline: 5000 });

    const actions = server.actions();
    // Every action has exactly one result: its handler ran once, and it is SUCCESS with that
    // result, or PENDING because the answer to its take was lost after the server acted (the
    // contract's unavoidable case): exactly the actions the server names as such.
    const lost = lostTakeIds(server);
    expect([...runs.values()].every((count) => count === 1)).toBeTrue();
    expect(actions.filter((a) => a.state === 'NEW').length).toBe(0);
    const pending = actions.filter((a) => a.state === 'PENDING').map((a) => a.id);
    expect([...pending].sort()).toEqual([...lost].sort());
    expect(lost.length).toBeLessThan(N * 0.05);
    // A lost take's action was never handed to the pack: its handler never ran.
    for (const id of lost) expect(runs.has(String(server.action(id)?.input))).toBeFalse();
    for (const a of actions.filter((x) => x.state === 'SUCCESS')) {
      expect(a.result?.payload).toEqual({ input: a.input });
      expect(runs.get(String(a.input))).toBe(1);
    }
    expect(errors.filter(isDeliveryError).length).toBe(0);
    // Every accepted sendEvent reached the server; a retried one whose first post landed is
    // recorded twice (events carry no id): duplicates never exceed the event drops after acting.
    expect(sent.every((s) => s.ok)).toBeTrue();
    const recorded = server.events().map((e) => (e.payload as { n: number }).n);
    for (const { n } of sent) expect(recorded).withContext(`event ${n}`).toContain(n);
    const eventDropsAfter = server
      .requests()
      .filter((r) => r.endpoint === 'event' && r.fault === 'drop-after').length;
    expect(recorded.length - EVENTS).toBeLessThanOrEqual(eventDropsAfter);
    // Inferred landings are reported, never silent; the outbox stays within the pack's bound.
    const inferred = errors.filter(isInferredDeliveryError);
    for (const e of inferred) expect(server.action(e.actionId)?.state).toBe('SUCCESS');
    expect(maxOutbox).toBeLessThanOrEqual(16 + EVENTS);
    console.log(
      `soak: ${Date.now() - started} ms; ${N} actions, ${N - lost.length} SUCCESS, ` +
        `${lost.length} PENDING, each one whose take answer the server lost after acting ` +
        `(the contract's unavoidable case): ${lost.join(', ') || 'none'}; ` +
        `${inferred.length} inferred landings`,
    );
  }, 300_000);

  it('with 30 % of result answers lost after the server acted: every action SUCCESS, none reported undelivered or merely inferred', async () => {
    const started = Date.now();
    const runs: RunCounts = new Map();
    server.setFaults({ dropRate: 0.3, dropWhen: 'after', endpoints: ['result'], seed: 5 });
    enqueueCounts(server, N_LOST);
    const pack = new Pack(
      countingPack('counting-pack', runs),
      fastOptions(server, { handlers: { concurrency: 16 }, transport: { timeout: 10_000 } }),
    );
    const errors: unknown[] = [];
    const receipts: DeliveryReceipt[] = [];
    pack.errors$.subscribe((e) => errors.push(e));
    pack.delivered$.subscribe((r) => receipts.push(r));
    await pack.start();
    await everyResultIn(server, N_LOST, 120_000);
    await server.waitFor(() => receipts.length >= N_LOST, within(60_000));
    await pack.stop({ grace: 1000, flushDeadline: 5000 });

    const actions = server.actions();
    expect(actions.length).toBe(N_LOST);
    expect(actions.filter((a) => a.state !== 'SUCCESS').map((a) => a.id)).toEqual([]);
    expect(runs.size).toBe(N_LOST);
    expect([...runs.values()].every((count) => count === 1)).toBeTrue();
    // No false loss report: nothing given up, nothing merely inferred.
    expect(errors.filter((e) => isDeliveryError(e) || isInferredDeliveryError(e))).toEqual([]);
    const ends = receipts.map((r) => r.end);
    expect(ends.length).toBe(N_LOST);
    expect(new Set(ends)).toEqual(new Set(['delivered', 'verified']));
    const lostAfter = server
      .requests()
      .filter((r) => r.endpoint === 'result' && r.fault === 'drop-after').length;
    expect(lostAfter).toBeGreaterThan(N_LOST * 0.2);
    console.log(
      `soak (results lost after acting): ${Date.now() - started} ms; ${N_LOST} actions SUCCESS; ` +
        `${lostAfter} result answers lost after acting; ` +
        `${ends.filter((e) => e === 'verified').length} verified by the audit`,
    );
  }, 300_000);
});
