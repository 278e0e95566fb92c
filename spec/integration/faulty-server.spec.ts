import { silentLogger } from '../../lib/model/logger.js';
import type { EventDef } from '../../lib/model/definitions.js';
import { Pack } from '../../lib/pack/pack.js';
import { FakeFlyteServerControl } from '../../lib/testing/fake-flyte-server-control.js';
import { fakeServerUrl } from '../support/fake-url.js';

const N = 8;
const done: EventDef<{ input: unknown }> = { name: 'Done' };

// The shared fake server over real HTTP, driven through its control endpoints, so this runs
// in Node and in Chromium (browser fetch, CORS). The Node-only specs in spec/node/integration
// go further (drops after the server acted, re-registration, stop, auth).
describe('a pack over a faulty server, in Node and in browsers (integration)', () => {
  let control: FakeFlyteServerControl;
  let pack: Pack;

  beforeEach(async () => {
    control = new FakeFlyteServerControl(fakeServerUrl());
    await control.reset();
  });

  afterEach(async () => {
    await pack.stop({ grace: 500, flushDeadline: 500 });
    await control.reset();
  });

  it('handles every action exactly once through 500s and dropped connections on every endpoint', async () => {
    for (let i = 0; i < N; i++)
      await control.enqueueAction({ packName: 'browser-pack', command: 'Do', input: i });
    // The injected 500s are bare, as flyte's: the outbox never takes one for a landing.
    await control.setFaults({
      errorRate: 0.2,
      dropRate: 0.2,
      dropWhen: 'before',
      seed: 3,
    });
    const runs = new Map<string, number>();
    pack = new Pack(
      {
        name: 'browser-pack',
        commands: [
          {
            name: 'Do',
            outputEvents: [done],
            handler: (input) => {
              runs.set(String(input), (runs.get(String(input)) ?? 0) + 1);
              return { eventDef: done, payload: { input } };
            },
          },
        ],
      },
      {
        url: fakeServerUrl(),
        logger: silentLogger,
        polling: { interval: 500 },
        delivery: { eventAttempts: 40 },
        transport: { backoff: { initialDelay: 5, maxDelay: 40 } },
      },
    );
    await pack.start();
    await control.waitForResults(N, 8000);
    await pack.stop({ grace: 500, flushDeadline: 1000 });

    expect(runs.size).toBe(N);
    expect([...runs.values()].every((count) => count === 1)).toBeTrue();
    const actions = await control.actions();
    expect(actions.map((a) => a.state)).toEqual(Array.from({ length: N }, () => 'SUCCESS'));
    for (const a of actions) expect(a.result?.payload).toEqual({ input: a.input });
    const faults = (await control.requests()).filter((r) => r.fault).map((r) => r.fault);
    expect(faults).toContain('error');
    expect(faults).toContain('drop-before');
  });
});
