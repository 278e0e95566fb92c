import { firstValueFrom } from 'rxjs';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { isHttpError } from '../../../lib/model/errors.js';
import type { Logger } from '../../../lib/model/logger.js';
import type { Action, RegisteredPack } from '../../../lib/model/wire-types.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { errorOf } from '../../support/error-of.js';

const wire = { event: 'Done', payload: { ok: true }, createdAt: '2024-05-01T10:00:00.000Z' };
const registration = {
  name: 'Rd',
  commands: [{ name: 'C', events: ['Done'] }],
  events: [{ name: 'Done' }],
};

describe('HttpFlyteApi and redirects on posts (fake flyte server)', () => {
  let server: FakeFlyteServer;
  let api: HttpFlyteApi;
  let pack: RegisteredPack;
  let action: Action;

  beforeEach(async () => {
    server = new FakeFlyteServer();
    await server.start();
    api = new HttpFlyteApi({ url: server.url });
    const root = await firstValueFrom(api.discover());
    pack = await firstValueFrom(api.register(root, registration));
    server.enqueueAction({ packName: 'Rd', command: 'C' });
    action = (await firstValueFrom(api.takeAction(pack))) as Action;
  });
  afterEach(() => server.close());

  for (const status of [301, 302, 303] as const) {
    it(`refuses a ${status} on a result post with an HttpError naming the Location, never a delivery (finding 4)`, async () => {
      server.setFaults({ redirect: { status, location: '/v1', endpoints: ['result'] } });
      const gets = () => server.requests().filter((r) => r.method === 'GET').length;
      const getsBefore = gets();
      const error = await errorOf(api.completeAction(action, wire));
      expect(isHttpError(error)).toBeTrue();
      expect((error as Error).message).toContain(`${server.url}/v1`);
      expect((error as Error).message).toContain(`a POST follows only 307 and 308`);
      expect(server.action(action.id)?.state).toBe('PENDING');
      expect(gets()).toBe(getsBefore);
    });
  }

  it('refuses a 302 on an event post too', async () => {
    server.setFaults({ redirect: { status: 302, location: '/v1', endpoints: ['event'] } });
    const error = await errorOf(api.postEvent(pack, wire));
    expect(isHttpError(error)).toBeTrue();
    expect(server.events().length).toBe(0);
  });

  it('follows a 307 on a result post, keeping method and body, without a token too', async () => {
    const path = new URL(action.resultUrl).pathname;
    server.setFaults({ redirect: { status: 307, location: path, endpoints: ['result'] } });
    await firstValueFrom(api.completeAction(action, wire), { defaultValue: undefined });
    expect(server.action(action.id)?.state).toBe('SUCCESS');
  });

  it('names the header and its value when a Location is not a URL (finding 12)', async () => {
    server.setFaults({ redirect: { status: 307, location: 'http://[::1', endpoints: ['result'] } });
    const error = await errorOf(api.completeAction(action, wire));
    expect((error as Error).message).toContain('invalid Location header: "http://[::1"');
  });

  it('refuses a Location that is not http(s)', async () => {
    server.setFaults({
      redirect: { status: 308, location: 'file:///etc/passwd', endpoints: ['discover'] },
    });
    const error = await errorOf(api.discover());
    expect((error as Error).message).toContain(
      'Location that is not http(s): "file:///etc/passwd"',
    );
  });

  it('never logs a token the server copied into a link (finding 12)', async () => {
    const token = 'eyJsaW5r.token-in-link.sig';
    const lines: string[] = [];
    const logger: Logger = {
      error: (m) => lines.push(m),
      warn: (m) => lines.push(m),
      info: (m) => lines.push(m),
      debug: (m) => lines.push(m),
    };
    server.requireToken(token);
    const withToken = new HttpFlyteApi({ url: server.url, token, logger });
    const linked: Action = { ...action, resultUrl: `${action.resultUrl}?access_token=${token}` };
    await firstValueFrom(withToken.completeAction(linked, wire), { defaultValue: undefined });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(token);
  });
});
