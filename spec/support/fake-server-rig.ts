import { FakeFlyteServer } from '../../lib/testing/fake-flyte-server.js';

/** What {@link fakeServerRig} hands each spec: a fresh server, and the pack it runs. */
export interface FakeServerRig<R extends { shutdown(): Promise<unknown> }> {
  /** A fake flyte server on a free loopback port, started before each spec. */
  server: FakeFlyteServer;
  /** The running pack a spec started, shut down after it (then the server is closed). */
  running?: R;
}

/**
 * Registers a `beforeEach` that starts a fake flyte server of the spec's own and an `afterEach`
 * that shuts the spec's running pack down and closes the server, for the Node specs of
 * `runPack` that need a server nobody else changes.
 *
 * @returns the rig, filled in before each spec.
 * @example
 * const rig = fakeServerRig<RunningPack>();
 * it('runs', async () => { rig.running = await runPack(def, { env: { FLYTE_API: rig.server.url } }); });
 */
export function fakeServerRig<R extends { shutdown(): Promise<unknown> }>(): FakeServerRig<R> {
  const rig = {} as FakeServerRig<R>;
  beforeEach(async () => {
    rig.server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
    await rig.server.start();
  });
  afterEach(async () => {
    await rig.running?.shutdown();
    rig.running = undefined;
    await rig.server.close();
  });
  return rig;
}
