import { Pack } from '../../../lib/pack/pack.js';
import type { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { countingPack, fastOptions, type RunCounts, startServer, within } from './support.js';

describe('a pack whose registration the server forgets (integration)', () => {
  let server: FakeFlyteServer;
  let runs: RunCounts;
  let pack: Pack;

  beforeEach(async () => {
    server = await startServer();
    runs = new Map();
    pack = new Pack(
      countingPack('counting-pack', runs),
      fastOptions(server, { labels: { env: 'it' } }),
    );
    await pack.start();
  });

  afterEach(async () => {
    await pack.stop({ grace: 500, flushDeadline: 500 });
    await server.close();
  });

  it('registers again after a 404 and goes on taking actions', async () => {
    expect(server.deletePack('counting-pack.env.it')).toBeTrue();
    await server.waitFor((s) => s.packs().length === 1, within());
    const action = server.enqueueAction({
      packName: 'counting-pack',
      command: 'Count',
      input: 'after',
    });
    await server.waitForResults(1, within());

    expect(server.action(action.id)?.state).toBe('SUCCESS');
    expect(runs.get('after')).toBe(1);
    const log = server.requests();
    expect(log.filter((r) => r.endpoint === 'register').length).toBe(2);
    const notFound = log.findIndex((r) => r.endpoint === 'take' && r.status === 404);
    const secondRegister = log.map((r) => r.endpoint).lastIndexOf('register');
    expect(notFound).toBeGreaterThan(-1);
    expect(secondRegister).toBeGreaterThan(notFound);
    expect(server.packs()[0]?.registration.commands?.[0]?.name).toBe('Count');
  });

  it('delivers a result whose post met the 404, once registered again', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await pack.stop({ grace: 0, flushDeadline: 0 });
    pack = new Pack(
      countingPack('counting-pack', runs, () => held),
      fastOptions(server, { labels: { env: 'it' } }),
    );
    await pack.start();
    const action = server.enqueueAction({
      packName: 'counting-pack',
      command: 'Count',
      input: 'held',
    });
    await server.waitFor((s) => s.action(action.id)?.state === 'PENDING', within());
    server.deletePack('counting-pack.env.it');
    release();
    await server.waitForResults(1, within());

    expect(server.action(action.id)?.result?.payload).toEqual({ input: 'held' });
    expect(server.requests().some((r) => r.endpoint === 'result' && r.status === 404)).toBeTrue();
  });
});
