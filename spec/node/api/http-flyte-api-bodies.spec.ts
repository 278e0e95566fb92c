import { firstValueFrom } from 'rxjs';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { isNetworkError, isTimeoutError } from '../../../lib/model/errors.js';
import type { RegisteredPack } from '../../../lib/model/wire-types.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { errorOf } from '../../support/error-of.js';

const registration = {
  name: 'Bd',
  commands: [{ name: 'C', events: ['Done'] }],
  events: [{ name: 'Done' }],
};

// Finding 8: bodies were read whole whatever their size, and a body cut off mid-way hung
// until the request timeout (forever with a timeout of 0).
describe('HttpFlyteApi and broken bodies (fake flyte server)', () => {
  let server: FakeFlyteServer;
  let pack: RegisteredPack;

  beforeEach(async () => {
    server = new FakeFlyteServer();
    await server.start();
    const api = new HttpFlyteApi({ url: server.url });
    pack = await firstValueFrom(api.register(await firstValueFrom(api.discover()), registration));
    server.enqueueAction({ packName: 'Bd', command: 'C' });
  });
  afterEach(() => server.close());

  const api = (more = {}) =>
    new HttpFlyteApi({ url: server.url, timeout: 0, maxResponseBytes: 100_000, ...more });

  it('refuses a huge take answer by its Content-Length, naming the URL and the cap', async () => {
    server.setFaults({ body: { mode: 'huge', bytes: 50_000_000, endpoints: ['take'] } });
    const error = await errorOf(api().takeAction(pack));
    expect(isNetworkError(error)).toBeTrue();
    expect((error as Error).message).toContain(pack.takeActionUrl);
    expect((error as Error).message).toContain('limit of 100000 bytes (maxResponseBytes)');
  });

  it('stops reading an endless body at the cap', async () => {
    server.setFaults({ body: { mode: 'endless', endpoints: ['take'] } });
    const error = await errorOf(api().takeAction(pack));
    expect((error as Error).message).toContain('over the limit of 100000 bytes');
  });

  it('counts the inflated bytes of a gzip bomb', async () => {
    server.setFaults({ body: { mode: 'gzip-bomb', bytes: 400_000_000, endpoints: ['take'] } });
    const error = await errorOf(api().takeAction(pack));
    expect((error as Error).message).toContain('over the limit of 100000 bytes');
  });

  it('gives up a body cut off mid-way after the idle timeout even with no request timeout', async () => {
    server.setFaults({ body: { mode: 'truncated', bytes: 1000, endpoints: ['take'] } });
    const error = await errorOf(api({ bodyIdleTimeout: 200 }).takeAction(pack));
    expect(isNetworkError(error) || isTimeoutError(error)).toBeTrue();
  });

  it('refuses a negative cap as a configuration error', () => {
    expect(() => new HttpFlyteApi({ url: server.url, maxResponseBytes: -1 })).toThrowError(
      /maxResponseBytes/,
    );
  });
});
