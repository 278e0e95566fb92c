// Issue 21, finding 6a over real HTTP: flyte refuses every registration from the start; the
// pack, retrying with backoff, is stopped and stops at once.
import { isDeliveryError } from '../../../lib/model/errors.js';
import type { Logger } from '../../../lib/model/logger.js';
import { Pack } from '../../../lib/pack/pack.js';
import type { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { countingPack, fastOptions, noticed, startServer, within } from './support.js';

describe('stopping a pack that never registered (integration)', () => {
  let server: FakeFlyteServer;

  beforeEach(async () => (server = await startServer()));
  afterEach(() => server.close());

  it('does not wait for the flush deadline: no registration retried after "stopping", every event rejected', async () => {
    server.setFaults({ errorRate: 1, errorStatus: 503, endpoints: ['register'] });
    // One list of what happened, in order: the status changes and the retry warnings.
    const story: string[] = [];
    const logger: Logger = {
      error: () => undefined,
      warn: (message: string) => void story.push(message),
      info: () => undefined,
      debug: () => undefined,
    };
    const pack = new Pack(countingPack('counting-pack', new Map()), {
      ...fastOptions(server),
      logger,
    });
    pack.status$.subscribe((status) => story.push(`status ${status}`));
    const started = pack.start().then(
      () => 'registered',
      (error: unknown) => (error as Error).message,
    );
    const sent = [1, 2].map((n) => pack.sendEvent({ eventDef: noticed, payload: { n } }));
    const settled = Promise.allSettled(sent);
    await server.waitFor(
      () => server.requests().filter((r) => r.endpoint === 'register').length >= 3,
      within(),
    );

    // A flush deadline this long would outlast the spec's timeout: the stop must not wait for it.
    await pack.stop({ grace: 600_000, flushDeadline: 600_000 });

    expect(await started).toBe('pack "counting-pack" was stopped before it registered');
    for (const outcome of await settled) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as Error;
      expect(isDeliveryError(reason)).withContext(String(reason)).toBeTrue();
      expect(reason.message).toContain('the pack stopped before it registered');
    }
    const stopping = story.indexOf('status stopping');
    expect(stopping).toBeGreaterThan(0);
    expect(story.slice(0, stopping).some((m) => m.startsWith('registering pack'))).toBeTrue();
    expect(story.slice(stopping)).toEqual(['status stopping', 'status stopped']);
    expect(server.requests().filter((r) => r.endpoint === 'event')).toEqual([]);
  });
});
