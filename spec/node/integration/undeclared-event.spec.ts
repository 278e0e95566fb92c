import type { EventDef } from '../../../lib/model/definitions.js';
import { isUndeclaredEventError } from '../../../lib/model/errors.js';
import { Pack } from '../../../lib/pack/pack.js';
import type { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { counted, fastOptions, noticed, startServer, within } from './support.js';

describe('undeclared events over HTTP (integration)', () => {
  const typo: EventDef<{ input: unknown }> = { name: 'Countd' };
  let server: FakeFlyteServer;
  let pack: Pack;

  beforeEach(async () => {
    server = await startServer();
    pack = new Pack(
      {
        name: 'typo-pack',
        events: [noticed],
        commands: [
          {
            name: 'Count',
            outputEvents: [counted],
            handler: (input) => ({ eventDef: typo, payload: { input } }),
          },
        ],
      },
      fastOptions(server),
    );
    await pack.start();
  });

  afterEach(async () => {
    await pack.stop({ grace: 500, flushDeadline: 500 });
    await server.close();
  });

  it('completes the action FATAL undeclared-event when the handler returns an undeclared event', async () => {
    const action = server.enqueueAction({ packName: 'typo-pack', command: 'Count', input: 1 });
    await server.waitForResults(1, within());

    const record = server.action(action.id);
    expect(record?.state).toBe('FATAL');
    expect(record?.result?.event).toBe('FATAL');
    expect(record?.result?.payload).toEqual({
      reason: 'undeclared-event',
      message:
        'handler of command "Count" produced the event "Countd", which the command does not ' +
        'declare (its output events: Counted)',
      command: 'Count',
      actionId: action.id,
    });
  });

  it('rejects sendEvent of an undeclared event and posts nothing', async () => {
    const rejection = await pack
      .sendEvent({ eventDef: typo, payload: { input: 1 } })
      .catch((e: unknown) => e);
    expect(isUndeclaredEventError(rejection)).toBe(true);
    await pack.sendEvent({ eventDef: noticed, payload: { n: 1 } });
    expect(server.events().map((e) => e.event)).toEqual(['Noticed']);
    expect(server.requests().filter((r) => r.endpoint === 'event').length).toBe(1);
  });
});
