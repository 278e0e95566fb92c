import { isFlyteError, isUndeclaredEventError } from '../../lib/model/errors.js';
import { type FlyteEvent, type EventDef, fatalEvent } from '../../lib/model/definitions.js';
import { packRig, rotaPack, rotaRetrieved } from './pack-fixtures.js';

describe('Pack.sendEvent with an event the pack does not declare', () => {
  const def = () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' }));
  const typo: EventDef<{ who: string }> = { name: 'Sen' };

  it('rejects it with an UndeclaredEventError naming the pack and its events, and posts nothing', async () => {
    const { scheduler, api, pack, model } = packRig(def);
    let rejection: unknown;
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => {
        pack.sendEvent({ eventDef: typo, payload: { who: 'Ann' } }).catch((e) => (rejection = e));
      }, 100);
      scheduler.schedule(() => void pack.stop(), 1000);
    });
    await Promise.resolve();
    expect(isUndeclaredEventError(rejection)).toBe(true);
    expect(isFlyteError(rejection)).toBe(true);
    expect(rejection).toEqual(
      jasmine.objectContaining({
        name: 'UndeclaredEventError',
        message:
          'pack "rota-pack" does not declare the event "Sen" (its events: Seen); ' +
          "add it to the definition's events to send it",
        event: 'Sen',
        declared: ['Seen'],
      }),
    );
    expect(api.callsOf('event')).toEqual([]);
    expect(model.events()).toEqual([]);
  });

  it("rejects a command output event and FATAL too: only the pack's events are spontaneous", async () => {
    const { pack, api } = packRig(def);
    await expectAsync(
      pack.sendEvent({ eventDef: rotaRetrieved, payload: 'Ann' }),
    ).toBeRejectedWithError(/does not declare the event "RotaRetrieved" \(its events: Seen\)/);
    await expectAsync(pack.sendEvent(fatalEvent('boom') as FlyteEvent)).toBeRejectedWithError(
      /does not declare the event "FATAL"/,
    );
    expect(api.callsOf('event')).toEqual([]);
    await pack.stop();
  });

  it('says so when the pack declares no events at all', async () => {
    const { pack } = packRig(() => ({ ...def(), events: [] }));
    await expectAsync(
      pack.sendEvent({ eventDef: typo, payload: { who: 'A' } }),
    ).toBeRejectedWithError(/does not declare the event "Sen" \(it declares no events\)/);
    await pack.stop();
  });
});
