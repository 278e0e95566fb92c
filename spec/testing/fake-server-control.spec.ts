// FakeFlyteServerControl against the shared fake flyte server, in Node and in Chromium.
import {
  type FakeFlyteServerControl,
  FakeFlyteServerControlError,
} from '../../lib/testing/fake-flyte-server-control.js';
import { fakeServerUrl } from '../support/fake-url.js';
import { freshFakeServer } from '../support/fresh-fake-server.js';

describe('FakeFlyteServerControl', () => {
  let control: FakeFlyteServerControl;
  const api = (path: string) => `${fakeServerUrl()}${path}`;
  const registerPack = () =>
    fetch(api('/v1/packs'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'P', commands: [{ name: 'C', events: ['E'] }] }),
    });

  beforeEach(async () => {
    ({ control } = await freshFakeServer());
  });

  afterEach(async () => {
    await control.reset();
  });

  it('enqueues actions and reads them back, undefined for an unknown id', async () => {
    const created = await control.enqueueAction({ packName: 'P', command: 'C', input: 'x' });
    expect(created.state).toBe('NEW');
    expect((await control.actions()).map((a) => a.id)).toEqual([created.id]);
    expect(await control.action(created.id)).toEqual(created);
    expect(await control.action('action-0')).toBeUndefined();
  });

  it('lists packs, events and requests', async () => {
    await registerPack();
    await fetch(api('/v1/packs/P/events'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"event":"E"}',
    });
    expect((await control.packs()).map((p) => [p.id, p.status])).toEqual([['P', 'live']]);
    expect((await control.events()).map((e) => e.event)).toEqual(['E']);
    expect((await control.requests()).map((r) => r.endpoint)).toEqual(['register', 'event']);
  });

  it('deletes packs, answering false for an unknown one', async () => {
    await registerPack();
    expect(await control.deletePack('P')).toBeTrue();
    expect(await control.deletePack('P')).toBeFalse();
    expect((await fetch(api('/v1/packs/P/actions/take'), { method: 'POST' })).status).toBe(404);
  });

  it('sets and clears faults, auth and health', async () => {
    await control.setFaults({ errorRate: 1, endpoints: ['discover'] });
    expect((await fetch(api('/v1'))).status).toBe(500);
    await control.clearFaults();
    await control.requireToken('t');
    expect((await fetch(api('/v1'))).status).toBe(401);
    await control.requireToken(null);
    await control.setHealthy(false);
    expect((await fetch(api('/health'))).status).toBe(500);
    await control.setHealthy(true);
    expect((await fetch(api('/health'))).status).toBe(200);
  });

  it('rejects with a FakeFlyteServerControlError: 400 for bad faults, 408 when a wait times out', async () => {
    await expectAsync(control.setFaults({ errorRate: 5 })).toBeRejectedWith(
      jasmine.objectContaining({ status: 400 }),
    );
    const timedOut = await control.waitForResults(1, 1).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(FakeFlyteServerControlError);
    expect((timedOut as FakeFlyteServerControlError).status).toBe(408);
  });
});
