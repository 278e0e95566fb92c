import { firstValueFrom } from 'rxjs';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { isHttpError } from '../../../lib/model/errors.js';
import { toRegistration } from '../../../lib/model/registration-body.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';

// A flyte server mounted under a path prefix, as behind a prefix-aware proxy: the client must
// keep the prefix in front of /v1 and then follow the server's links, which carry it too.
describe('HttpFlyteApi against a server under a path prefix (Node)', () => {
  const server = new FakeFlyteServer({ pathPrefix: '/flyte' });
  const registration = toRegistration({
    name: 'Prefixed',
    commands: [
      {
        name: 'Do',
        outputEvents: [{ name: 'Done' }],
        handler: () => ({ eventDef: { name: 'Done' }, payload: 1 }),
      },
    ],
  });

  beforeAll(() => server.start());
  afterAll(() => server.close());

  for (const suffix of ['', '/', '//']) {
    it(`works through every call with the base URL ".../flyte${suffix}"`, async () => {
      const origin = new URL(server.url).origin;
      const api = new HttpFlyteApi({ url: `${origin}/flyte${suffix}` });
      const root = await firstValueFrom(api.discover());
      expect(root.url).toBe(`${origin}/flyte/v1`);
      expect(root.packsUrl).toBe(`${origin}/flyte/v1/packs`);
      const pack = await firstValueFrom(api.register(root, registration));
      expect(pack.takeActionUrl).toBe(`${origin}/flyte/v1/packs/Prefixed/actions/take`);
      const queued = server.enqueueAction({ packName: 'Prefixed', command: 'Do', input: 'x' });
      const action = (await firstValueFrom(api.takeAction(pack, { command: 'Do' })))!;
      expect(action.id).toBe(queued.id);
      await firstValueFrom(
        api.completeAction(action, {
          event: 'Done',
          payload: 1,
          createdAt: '2024-05-01T00:00:00Z',
        }),
      );
      await firstValueFrom(
        api.postEvent(pack, { event: 'Done', payload: 2, createdAt: '2024-05-01T00:00:00Z' }),
      );
      await firstValueFrom(api.health(root));
      expect(server.action(queued.id)!.state).toBe('SUCCESS');
    });
  }

  it('without the prefix, discovery fails with the 404 the server answers', async () => {
    const api = new HttpFlyteApi({ url: new URL(server.url).origin });
    const error = await firstValueFrom(api.discover()).catch((e: unknown) => e);
    expect(isHttpError(error) && error.status).toBe(404);
  });
});
