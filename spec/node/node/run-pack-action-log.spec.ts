// Issue 22: runPack logs no line per action above debug (a line per action at info cost about
// 5 % of a busy pack's CPU in winston), yet the line stays there for whoever runs at debug.
import { EventEmitter } from 'node:events';
import { firstValueFrom, take, toArray } from 'rxjs';
import type { PackDef } from '../../../lib/model/definitions.js';
import type { Logger } from '../../../lib/model/logger.js';
import { runPack } from '../../../lib/node/run-pack.js';
import type { RunningPack } from '../../../lib/node/run-pack-options.js';
import { fakeServerRig } from '../../support/fake-server-rig.js';

const def: PackDef = {
  name: 'quiet-pack',
  commands: [
    {
      name: 'Ping',
      outputEvents: [{ name: 'Pong' }],
      handler: () => ({ eventDef: { name: 'Pong' }, payload: 1 }),
    },
  ],
};

interface Entry {
  readonly level: string;
  readonly message: string;
  readonly meta?: Record<string, unknown>;
}

describe('runPack and a line per action', () => {
  const rig = fakeServerRig<RunningPack>();

  it('logs each handled action at debug only', async () => {
    const entries: Entry[] = [];
    const at = (level: string) => (message: string, meta?: Record<string, unknown>) =>
      void entries.push({ level, message, meta });
    const logger: Logger = {
      error: at('error'),
      warn: at('warn'),
      info: at('info'),
      debug: at('debug'),
    };
    rig.running = await runPack(def, {
      env: { FLYTE_API: rig.server.url },
      config: { healthPort: null },
      logger,
      signalSource: new EventEmitter(),
      exit: () => undefined,
    });
    const handled = firstValueFrom(rig.running.pack.results$.pipe(take(3), toArray()));
    await rig.running.pack.start();
    for (let i = 0; i < 3; i++)
      rig.server.enqueueAction({ packName: 'quiet-pack', command: 'Ping' });
    const ids = (await handled).map((r) => r.action.id);
    const about = (level: string) =>
      entries.filter((e) => e.level === level && ids.includes(e.meta?.['actionId'] as string));
    expect(['info', 'warn', 'error'].flatMap(about)).toEqual([]);
    expect(about('debug').map((e) => e.meta?.['actionId'])).toEqual(ids);
  });
});
