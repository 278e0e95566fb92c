import { HttpFlyteApi } from '../../lib/api/http-flyte-api.js';
import { silentLogger } from '../../lib/model/logger.js';
import type { EventDef } from '../../lib/model/definitions.js';
import { Pack } from '../../lib/pack/pack.js';
import type { ActionResult } from '../../lib/model/outcomes.js';
import type { FatalPayload } from '../../lib/model/fatal-result.js';
import { freshFakeServer, type FreshFakeServer } from '../support/fresh-fake-server.js';

const done: EventDef = { name: 'Done' };

// A take commits the action on the server: even when the answer is malformed, an action
// whose result link is known must be completed, or it stays PENDING for ever.
describe('a take whose answer lacks the command (integration)', () => {
  let server: FreshFakeServer;

  beforeEach(async () => (server = await freshFakeServer()));
  afterEach(async () => server.control.reset());

  it('completes the action with FATAL invalid-action instead of stranding it', async () => {
    const { id } = await server.control.enqueueAction({ packName: 'odd-pack', command: 'Do' });
    // The server's take answers lose their "command" field on the way.
    const fetchWithoutCommand: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/actions/take') || res.status !== 200) return res;
      const { command: _dropped, ...rest } = (await res.json()) as Record<string, unknown>;
      return new Response(JSON.stringify(rest), { status: 200, headers: res.headers });
    };
    const handler = jasmine.createSpy('handler').and.returnValue({ eventDef: done, payload: 1 });
    const results: ActionResult[] = [];
    const pack = new Pack(
      { name: 'odd-pack', commands: [{ name: 'Do', outputEvents: [done], handler }] },
      {
        api: new HttpFlyteApi({ url: server.base, fetch: fetchWithoutCommand }),
        logger: silentLogger,
        polling: { interval: 500 },
      },
    );
    pack.results$.subscribe((r) => results.push(r));
    await pack.start();
    await server.control.waitForResults(1, 5000);
    await pack.stop({ grace: 100, flushDeadline: 1000 });

    const action = await server.control.action(id);
    expect(action?.state).toBe('FATAL');
    expect(handler).not.toHaveBeenCalled();
    const payload = results[0]?.event.payload as FatalPayload;
    expect(payload.reason).toBe('invalid-action');
    expect(payload.message).toContain('"command" must be a non-empty string');
  });
});
