// Issue 21, finding 8: runPack keeps the definition's type, so its pack checks sendEvent at
// compile time as `new Pack(def)` does. Each `@ts-expect-error` below fails `make typecheck`
// if the line it marks ever compiles.
import { EventEmitter } from 'node:events';
import { defineCommand, defineEvent, definePack } from '../../../lib/model/define.js';
import { runPack } from '../../../lib/node/run-pack.js';
import type { RunningPack } from '../../../lib/node/run-pack-options.js';
import { fakeServerRig } from '../../support/fake-server-rig.js';

const rotaRetrieved = defineEvent('RotaRetrieved').withPayload<{ onCall: string }>();
const someoneSeen = defineEvent('SomeoneSeen').withPayload<{ who: string }>();
const rota = defineCommand({
  name: 'Rota',
  outputEvents: [rotaRetrieved],
  handler: () => ({ eventDef: rotaRetrieved, payload: { onCall: 'Ann' } }),
});
const def = definePack({ name: 'typed-run-pack', commands: [rota], events: [someoneSeen] });

describe('runPack (typed definitions)', () => {
  const rig = fakeServerRig<RunningPack<typeof def>>();

  it("returns a pack typed from its definition: sendEvent takes only the pack's events", async () => {
    rig.running = await runPack(def, {
      env: { FLYTE_API: rig.server.url },
      config: { healthPort: null },
      signalSource: new EventEmitter(),
      exit: () => undefined,
      logger: {
        error: () => undefined,
        warn: () => undefined,
        info: () => undefined,
        debug: () => undefined,
      },
    });
    await rig.running.pack.sendEvent({ eventDef: someoneSeen, payload: { who: 'Ann' } });
    const refused = [
      // @ts-expect-error -- RotaRetrieved is a command's output, not one of the pack's events
      rig.running.pack.sendEvent({ eventDef: rotaRetrieved, payload: { onCall: 'Ann' } }),
      // @ts-expect-error -- SomeoneSeen's payload is { who: string }
      rig.running.pack.sendEvent({ eventDef: someoneSeen, payload: { whom: 'Ann' } }),
    ];
    const errors = await Promise.all(
      refused.map((p) =>
        p.then(
          () => 'sent',
          (e: Error) => e.name,
        ),
      ),
    );
    expect(errors[0]).toBe('UndeclaredEventError');
    expect(rig.server.events().map((e) => e.event)).toContain('SomeoneSeen');
  });
});
