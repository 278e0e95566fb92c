import { silentLogger } from '../../lib/model/logger.js';
import { Pack } from '../../lib/pack/pack.js';
import { FakeFlyteServerControl } from '../../lib/testing/fake-server-control.js';
import type { ActionResult } from '../../lib/model/outcomes.js';
import {
  logActions,
  nextActions,
  showLatestResult,
  tallyResults,
} from '../../samples/for-await/watch-pack.js';
import { rotaPack } from '../../samples/rota-pack/pack.js';
import { fakeServerUrl } from '../support/fake-url.js';

// Against the shared fake flyte server over real HTTP (loopback), in Node and in Chromium.
describe('samples/for-await (for await over a running pack)', () => {
  const labels = { spec: 'for-await' };
  let control: FakeFlyteServerControl;
  let pack: Pack;

  beforeEach(async () => {
    control = new FakeFlyteServerControl(fakeServerUrl());
    await control.reset();
    pack = new Pack(rotaPack({ random: () => 0.5, labels }), {
      url: fakeServerUrl(),
      logger: silentLogger,
      polling: { interval: 500 },
      transport: { backoff: { initialDelay: 20, maxDelay: 100 } },
    });
  });

  afterEach(async () => {
    await pack.stop({ grace: 1000, flushDeadline: 1000 });
  });

  it('sees every action and result, and the loops end when the pack stops', async () => {
    for (let i = 0; i < 3; i++) {
      await control.enqueueAction({
        packName: 'page-of-duty-pack',
        packLabels: labels,
        command: 'Rota',
        input: i,
      });
    }
    const lines: string[] = [];
    const actions = logActions(pack, (line) => lines.push(line));
    const tally = tallyResults(pack, (line) => lines.push(line));
    await pack.start();
    await control.waitForResults(3);
    await pack.stop({ grace: 1000, flushDeadline: 1000 });
    expect(await actions).toBe(3);
    expect(await tally).toEqual({ success: 3, fatal: 0 });
    expect(lines.filter((l) => l.startsWith('took ')).length).toBe(3);
    expect(lines).toContain(jasmine.stringMatching(/ Rota -> RotaRetrieved "Tom"$/));
    expect((await control.actions()).map((a) => a.state)).toEqual([
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
    ]);
  });

  it('shows the newest result to a slow display, skipping some, ending on the last', async () => {
    for (let i = 0; i < 3; i++) {
      await control.enqueueAction({
        packName: 'page-of-duty-pack',
        packLabels: labels,
        command: 'Rota',
        input: i,
      });
    }
    const all: ActionResult[] = [];
    pack.results$.subscribe((r) => all.push(r));
    const shown: ActionResult[] = [];
    // The display is busy with what it shows first until all three results were posted.
    const last = showLatestResult(pack, async (r) => {
      shown.push(r);
      if (shown.length === 1) await control.waitForResults(3);
    });
    await pack.start();
    await control.waitForResults(3);
    await pack.stop({ grace: 1000, flushDeadline: 1000 });
    const lastShown = await last; // the loop ends once the display is done and the pack stopped
    expect(all.length).toBe(3);
    expect(shown.length).toBeLessThan(3);
    expect(shown[shown.length - 1]).toBe(all[2]);
    expect(lastShown).toBe(all[2]);
  });

  it('leaves the loop after the actions it wanted, while the pack runs on', async () => {
    await control.enqueueAction({
      packName: 'page-of-duty-pack',
      packLabels: labels,
      command: 'Rota',
      input: 'first',
    });
    const first = nextActions(pack, 1);
    await pack.start();
    const [action] = await first;
    expect(action?.input).toBe('first');
    const { id } = await control.enqueueAction({
      packName: 'page-of-duty-pack',
      packLabels: labels,
      command: 'Rota',
    });
    await control.waitForResults(2);
    expect((await control.action(id))?.result?.payload).toBe('Tom');
    expect(pack.status).toBe('running');
  });
});
