import { TestScheduler } from 'rxjs/testing';
import type { EventDef, PackDef } from '../../lib/model/definitions.js';
import { silentLogger } from '../../lib/model/logger.js';
import { Pack } from '../../lib/pack/pack.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';

describe('Pack (several commands)', () => {
  const done: EventDef<string> = { name: 'Done' };
  const def: PackDef = {
    name: 'multi',
    commands: ['A', 'B'].map((name) => ({
      name,
      outputEvents: [done],
      handler: () => ({ eventDef: done, payload: name }),
    })),
  };

  it('asks for one command in its extra takes, and completes every action once', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    // A store with 1 ms operations: takes that overlap on one command race each other.
    const api = new InMemoryFlyteApi({ scheduler, latency: 1, storeLatency: 1 });
    for (let i = 0; i < 60; i++)
      api.model.enqueueAction({ packName: 'multi', command: i % 2 ? 'B' : 'A', input: i });
    const pack = new Pack(def, { api, scheduler, logger: silentLogger });
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 5000);
    });
    const takes = api.callsOf('take');
    const asked = (command: string) =>
      takes.filter((c) => c.url.endsWith(`actionName=${command}`)).length;
    expect(asked('A')).toBeGreaterThan(0);
    expect(asked('B')).toBeGreaterThan(0);
    expect(api.model.actions().map((a) => a.state)).toEqual(Array(60).fill('SUCCESS'));
    const completed = api.callsOf('complete').filter((c) => c.outcome === 'ok');
    expect(completed.length).toBe(60);
  });
});
