import { isDeliveryError } from '../../lib/model/errors.js';
import type { FlyteEvent } from '../../lib/model/definitions.js';
import { packRig, rotaPack, rotaRetrieved, seen } from './pack-fixtures.js';

describe('Pack.sendEvent', () => {
  const def = () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' }));
  const ann: FlyteEvent<{ who: string }> = { eventDef: seen, payload: { who: 'Ann' } };

  it('resolves once the server accepted the event, retrying failed posts', async () => {
    const { scheduler, api, pack, model } = packRig(def);
    api.failNext('event', 503);
    let sent = false;
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.sendEvent(ann).then(() => (sent = true)), 100);
      scheduler.schedule(() => void pack.stop(), 1000);
    });
    await Promise.resolve();
    expect(sent).toBe(true);
    expect(api.timesOf('event')).toEqual([100, 600]);
    expect(model.events().map((e) => [e.event, e.payload, e.createdAt])).toEqual([
      ['Seen', { who: 'Ann' }, '1970-01-01T00:00:00.100Z'],
    ]);
  });

  it('queues events sent before registration and posts them once registered', async () => {
    const { scheduler, api, pack, model } = packRig(def);
    api.failNext('register', 503);
    let sent = false;
    scheduler.run(() => {
      void pack.sendEvent(ann).then(() => (sent = true));
      scheduler.schedule(() => void pack.start(), 100);
      scheduler.schedule(() => void pack.stop(), 2000);
    });
    await Promise.resolve();
    expect(api.timesOf('register')).toEqual([100, 600]);
    expect(api.timesOf('event')).toEqual([600]);
    expect(model.events().length).toBe(1);
    expect(sent).toBe(true);
  });

  it('posts to the new registration after a 404', () => {
    const { scheduler, api, pack, model } = packRig(def);
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => model.deletePack('rota-pack'), 50);
      scheduler.schedule(() => void pack.sendEvent(ann), 100);
      scheduler.schedule(() => void pack.stop(), 1000);
    });
    expect(api.callsOf('event').map((c) => [c.time, c.outcome])).toEqual([
      [100, 'error'],
      [100, 'ok'],
    ]);
    expect(api.timesOf('register')).toEqual([0, 100]);
  });

  it('rejects with a DeliveryError, also on errors$, when the server refuses the event', async () => {
    const { scheduler, api, pack } = packRig(def);
    api.failNext('event', 400);
    let rejection: unknown;
    const errors = [] as unknown[];
    pack.errors$.subscribe((e) => errors.push(e));
    scheduler.run(() => {
      void pack.start();
      pack.sendEvent(ann).catch((e: unknown) => (rejection = e));
      scheduler.schedule(() => void pack.stop(), 100);
    });
    await Promise.resolve();
    expect(isDeliveryError(rejection)).toBe(true);
    expect(errors).toContain(rejection);
    expect((rejection as { event: unknown }).event).toEqual(
      jasmine.objectContaining({ event: 'Seen', payload: { who: 'Ann' } }),
    );
  });

  it('rejects with a DeliveryError after stop', async () => {
    const { pack } = packRig(def);
    await pack.stop();
    await expectAsync(pack.sendEvent(ann)).toBeRejectedWithError(
      'pack "rota-pack" is stopped: the event "Seen" was not sent',
    );
  });

  it('rejects what is not an event', async () => {
    const { pack } = packRig(def);
    await expectAsync(pack.sendEvent('hello' as unknown as FlyteEvent)).toBeRejectedWithError(
      /sendEvent expects an event/,
    );
    await pack.stop();
  });

  it('rejects at once an event whose payload cannot travel as JSON, instead of retrying it', async () => {
    const { pack, api } = packRig(def);
    await expectAsync(
      pack.sendEvent({ eventDef: seen, payload: 10n } as unknown as FlyteEvent),
    ).toBeRejectedWithError(
      'sendEvent: the payload of event "Seen" cannot be sent as JSON: Do not know how to serialize a BigInt',
    );
    await expectAsync(
      pack.sendEvent({ eventDef: seen, payload: () => 1 } as unknown as FlyteEvent),
    ).toBeRejectedWithError(
      /payload of event "Seen" cannot be sent as JSON: a function is not JSON/,
    );
    expect(api.callsOf('event').length).toBe(0);
    await pack.stop();
  });

  it('rejects a queued event the pack could not deliver before it stopped', async () => {
    const { pack } = packRig(def);
    const sent = pack.sendEvent(ann);
    await pack.stop();
    await expectAsync(sent).toBeRejectedWithError(
      'the event "Seen" was given up: the pack stopped before it registered',
    );
  });
});
