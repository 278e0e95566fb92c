import { isDeliveryError, isUnauthorizedError } from '../../../lib/model/errors.js';
import { Pack } from '../../../lib/pack/pack.js';
import type { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import {
  countingPack,
  enqueueCounts,
  fastOptions,
  noticed,
  type RunCounts,
  startServer,
  within,
} from './support.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.integration.token';
const STALE = 'eyJhbGciOiJSUzI1NiJ9.expired.token';

describe('a pack against a server that requires a bearer token (integration)', () => {
  let server: FakeFlyteServer;
  let runs: RunCounts;
  let pack: Pack | undefined;

  beforeEach(async () => {
    server = await startServer();
    server.requireToken(TOKEN);
    runs = new Map();
    enqueueCounts(server, 3);
  });

  afterEach(async () => {
    await pack?.stop({ grace: 500, flushDeadline: 500 });
    await server.close();
  });

  it('sends the token on every request and works as without auth', async () => {
    pack = new Pack(countingPack('counting-pack', runs), fastOptions(server, { token: TOKEN }));
    await pack.start();
    await pack.sendEvent({ eventDef: noticed, payload: { n: 1 } });
    await server.waitForResults(3, within());

    expect(server.actions().map((a) => a.state)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(server.events().length).toBe(1);
    const api = server.requests().filter((r) => r.endpoint);
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((r) => r.authorization === 'matched')).toBeTrue();
  });

  it('asks the token provider again after a 401 and recovers, keeping both tokens out of errors', async () => {
    const issued: string[] = [];
    const provider = () => {
      const token = issued.length === 0 ? STALE : TOKEN;
      issued.push(token);
      return Promise.resolve(token);
    };
    const errors: unknown[] = [];
    pack = new Pack(countingPack('counting-pack', runs), fastOptions(server, { token: provider }));
    pack.errors$.subscribe((e) => errors.push(e));
    await pack.start();
    await server.waitForResults(3, within());

    expect(issued[0]).toBe(STALE);
    expect(issued).toContain(TOKEN);
    const outcomes = server.requests().map((r) => r.authorization);
    expect(outcomes).toContain('unmatched');
    expect(outcomes[outcomes.length - 1]).toBe('matched');
    const text = errors.map((e) => `${String(e)} ${(e as Error).stack ?? ''}`).join('\n');
    expect(text).not.toContain(STALE);
    expect(text).not.toContain(TOKEN);
  });

  it('reports 401s without a token and takes nothing', async () => {
    const errors: unknown[] = [];
    pack = new Pack(countingPack('counting-pack', runs), fastOptions(server));
    pack.errors$.subscribe((e) => errors.push(e));
    void pack.start().catch(() => undefined);
    await server.waitFor(
      (s) => s.requests().filter((r) => r.authorization === 'absent').length >= 2,
      within(),
    );

    expect(errors.some(isUnauthorizedError)).toBeTrue();
    expect(server.actions().every((a) => a.state === 'NEW')).toBeTrue();
    expect(runs.size).toBe(0);
  });

  it('with a wrong token: says unauthorized, and stops at once, with no request after stop and the waiting event reported (finding 11)', async () => {
    const errors: unknown[] = [];
    pack = new Pack(countingPack('counting-pack', runs), fastOptions(server, { token: STALE }));
    pack.errors$.subscribe((e) => errors.push(e));
    void pack.start().catch(() => undefined);
    const sent = pack.sendEvent({ eventDef: noticed, payload: { n: 1 } }).catch((e: unknown) => e);
    await server.waitFor((s) => s.requests().length >= 3, within());
    expect(pack.status).toBe('unauthorized');

    const before = server.requests().length;
    // A flush deadline far beyond the spec's timeout: the stop must not wait for it.
    await pack.stop({ grace: 600_000, flushDeadline: 600_000 });
    expect(server.requests().length).toBe(before);
    const refused = await sent;
    expect(isDeliveryError(refused)).toBeTrue();
    expect(errors).toContain(refused);
    expect(server.requests().every((r) => r.authorization === 'unmatched')).toBeTrue();
    expect(server.events()).toEqual([]);
  });
});
