import { firstValueFrom, type Observable } from 'rxjs';
import { HttpFlyteApi } from '../../lib/api/http-flyte-api.js';
import type { ApiRoot, RegisteredPack } from '../../lib/model/wire-types.js';
import {
  ConfigError,
  type InvalidResponseError,
  isHttpError,
  isInvalidResponseError,
  isLinkNotFoundError,
  NetworkError,
  TimeoutError,
} from '../../lib/model/errors.js';
import { toRegistration } from '../../lib/model/registration-body.js';
import type { FakeFlyteServerControl } from '../../lib/testing/fake-flyte-server-control.js';
import { errorOf } from '../support/error-of.js';
import { freshFakeServer } from '../support/fresh-fake-server.js';
import { fetchSpy, type SpyOptions } from './fetch-spy.js';

const registration = toRegistration({
  name: 'Failing',
  commands: [
    {
      name: 'Do',
      outputEvents: [{ name: 'Done' }],
      handler: () => ({ eventDef: { name: 'Done' }, payload: 1 }),
    },
  ],
});

describe('HttpFlyteApi failures', () => {
  let base: string;
  let control: FakeFlyteServerControl;
  let root: ApiRoot;
  let pack: RegisteredPack;

  beforeEach(async () => {
    ({ base, control } = await freshFakeServer());
    const api = new HttpFlyteApi({ url: base });
    root = await firstValueFrom(api.discover());
    pack = await firstValueFrom(api.register(root, registration));
  });

  describe('no answer', () => {
    it('raises a NetworkError with the cause when the connection drops', async () => {
      await control.setFaults({ dropRate: 1, dropWhen: 'before', endpoints: ['take'] });
      const error = await errorOf(new HttpFlyteApi({ url: base }).takeAction(pack));
      expect(error).toBeInstanceOf(NetworkError);
      const e = error as NetworkError;
      expect([e.method, e.url]).toEqual(['POST', pack.takeActionUrl]);
      expect(e.cause).toBeDefined();
      expect(e.message).toContain(`POST ${pack.takeActionUrl}`);
    });

    it('raises a NetworkError when fetch itself rejects', async () => {
      const spy = fetchSpy({ fail: () => new TypeError('Failed to fetch') });
      const error = await errorOf(new HttpFlyteApi({ url: base, fetch: spy.fetch }).discover());
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).cause).toEqual(new TypeError('Failed to fetch'));
    });

    it('raises a TimeoutError when the server does not answer within `timeout`', async () => {
      await control.setFaults({ dropRate: 1, dropWhen: 'hang', endpoints: ['discover'] });
      const error = await errorOf(new HttpFlyteApi({ url: base, timeout: 50 }).discover());
      expect(error).toBeInstanceOf(TimeoutError);
      const e = error as TimeoutError;
      expect([e.method, e.url, e.timeoutMs]).toEqual(['GET', `${base}/v1`, 50]);
    });

    it('gives a take its own, longer timeout (takeTimeout)', async () => {
      const api = new HttpFlyteApi({ url: base, timeout: 30_000, takeTimeout: 60 });
      await control.setFaults({ dropRate: 1, dropWhen: 'hang', endpoints: ['take'] });
      const error = await errorOf(api.takeAction(pack));
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).timeoutMs).toBe(60);
    });

    it('times out also when the answer is slow (latency fault)', async () => {
      await control.setFaults({ latencyMs: 2_000, endpoints: ['event'] });
      const api = new HttpFlyteApi({ url: base, timeout: 40 });
      const error = await errorOf(
        api.postEvent(pack, { event: 'Done', payload: 1, createdAt: '2024-05-01T00:00:00Z' }),
      );
      expect(error).toBeInstanceOf(TimeoutError);
    });
  });

  describe('answers that ask to wait', () => {
    it("carries a 429's or 503's Retry-After as retryAfterMs, in seconds or as an HTTP date (finding 7)", async () => {
      await control.setFaults({
        errorRate: 1,
        errorStatus: 429,
        retryAfter: 3,
        endpoints: ['take'],
      });
      const seconds = await errorOf(new HttpFlyteApi({ url: base }).takeAction(pack));
      expect(isHttpError(seconds) && [seconds.status, seconds.retryAfterMs]).toEqual([429, 3000]);

      await control.setFaults({});
      const inAMinute = new Date(Date.now() + 60_000).toUTCString();
      const respond: SpyOptions['respond'] = () => ({
        status: 503,
        body: '',
        headers: { 'retry-after': inAMinute },
      });
      const api = new HttpFlyteApi({ url: base, fetch: fetchSpy({ respond }).fetch });
      const dated = await errorOf(api.takeAction(pack));
      expect(isHttpError(dated) && dated.status).toBe(503);
      const wait = isHttpError(dated) ? (dated.retryAfterMs ?? -1) : -1;
      // A minute, less the date's lost milliseconds and the time the request took.
      expect(wait).toBeGreaterThan(50_000);
      expect(wait).toBeLessThanOrEqual(60_000);
    });
  });

  describe('posts answered with a 2xx other than 202', () => {
    it('raise an HttpError with that status on a result or event post: only 202 is a delivery (finding 4)', async () => {
      await control.enqueueAction({ packName: 'Failing', command: 'Do' });
      const action = (await firstValueFrom(new HttpFlyteApi({ url: base }).takeAction(pack)))!;
      const wire = { event: 'Done', payload: 1, createdAt: '2024-05-01T00:00:00Z' };
      for (const status of [200, 204]) {
        const respond: SpyOptions['respond'] = (req) =>
          req.method === 'POST' ? { status, body: '' } : undefined;
        const api = new HttpFlyteApi({ url: base, fetch: fetchSpy({ respond }).fetch });
        for (const post of [api.completeAction(action, wire), api.postEvent(pack, wire)]) {
          const error = await errorOf(post);
          expect(isHttpError(error) && error.status)
            .withContext(String(error))
            .toBe(status);
        }
      }
    });
  });

  describe('malformed answers', () => {
    /** The error of `call` when the answer to the request matching `url` is replaced by `body`. */
    async function withAnswer(
      match: (url: string) => boolean,
      status: number,
      body: string,
      call: (api: HttpFlyteApi) => Observable<unknown>,
    ): Promise<InvalidResponseError> {
      const respond: SpyOptions['respond'] = (req) =>
        match(req.url) ? { status, body } : undefined;
      const api = new HttpFlyteApi({ url: base, fetch: fetchSpy({ respond }).fetch });
      const error = await errorOf(call(api));
      expect(isInvalidResponseError(error)).withContext(String(error)).toBeTrue();
      return error as InvalidResponseError;
    }

    it('refuses a body that is not JSON, naming the URL', async () => {
      const e = await withAnswer(
        (u) => u.endsWith('/v1'),
        200,
        '<html>oops</html>',
        (api) => api.discover(),
      );
      expect(e.url).toBe(`${base}/v1`);
      expect(e.message).toContain(`GET ${base}/v1 answered 200 with an invalid body: not JSON`);
      expect(e.message).toContain('<html>oops</html>');
    });

    it('refuses a root without the packs link (LinkNotFoundError)', async () => {
      const body = JSON.stringify({ links: [{ href: `${base}/v1`, rel: 'self' }] });
      const e = await withAnswer(
        (u) => u.endsWith('/v1'),
        200,
        body,
        (api) => api.discover(),
      );
      expect(isLinkNotFoundError(e)).toBeTrue();
      expect(e.message).toContain('pack/listPacks');
      expect(e.message).toContain('"self"');
    });

    it('refuses links of the wrong type', async () => {
      const asString = await withAnswer(
        (u) => u.endsWith('/v1'),
        200,
        '{"links":"nope"}',
        (api) => api.discover(),
      );
      expect(asString.message).toContain('"links" must be an array of links, got a string');
      const noHref = await withAnswer(
        (u) => u.endsWith('/v1'),
        200,
        '{"links":[{"rel":"self"}]}',
        (api) => api.discover(),
      );
      expect(noHref.message).toContain('"links[0].href" must be a string, got nothing');
      const array = await withAnswer(
        (u) => u.endsWith('/v1'),
        200,
        '[]',
        (api) => api.discover(),
      );
      expect(array.message).toContain('expected a JSON object, got an array');
    });

    it('refuses a registration answer without id or without the take-action link', async () => {
      const isPacks = (u: string) => u === root.packsUrl;
      const links = [
        { href: `${base}/e`, rel: 'x/event' },
        { href: `${base}/t`, rel: 'x/takeAction' },
      ];
      const noId = await withAnswer(
        isPacks,
        201,
        JSON.stringify({ name: 'Failing', links }),
        (api) => api.register(root, registration),
      );
      expect(noId.message).toContain('"id" must be a non-empty string, got nothing');
      const noTake = await withAnswer(
        isPacks,
        201,
        JSON.stringify({ id: 'Failing', links: [links[0]] }),
        (api) => api.register(root, registration),
      );
      expect(isLinkNotFoundError(noTake) && noTake.rel).toBe('takeAction');
      const badCommands = await withAnswer(
        isPacks,
        201,
        JSON.stringify({ id: 'Failing', links, commands: {} }),
        (api) => api.register(root, registration),
      );
      expect(badCommands.message).toContain('"commands" must be an array, got an object');
    });

    it('keeps an action without a command, marked with the problem, so it can be completed', async () => {
      const isTake = (u: string) => u === pack.takeActionUrl;
      const result = [{ href: `${pack.url}/actions/7/result`, rel: 'x/actionResult' }];
      const respond: SpyOptions['respond'] = (req) =>
        isTake(req.url)
          ? { status: 200, body: JSON.stringify({ input: 1, links: result }) }
          : undefined;
      const api = new HttpFlyteApi({ url: base, fetch: fetchSpy({ respond }).fetch });
      const action = await firstValueFrom(api.takeAction(pack));
      expect(action).toEqual(
        jasmine.objectContaining({ id: '7', command: '', input: 1, resultUrl: result[0]!.href }),
      );
      expect(action?.problem).toContain(`POST ${pack.takeActionUrl} answered 200`);
      expect(action?.problem).toContain('"command" must be a non-empty string');
    });

    it('refuses an action without a result link: there is nothing to complete', async () => {
      const isTake = (u: string) => u === pack.takeActionUrl;
      const noLink = await withAnswer(
        isTake,
        200,
        JSON.stringify({ command: 'Do', links: [] }),
        (api) => api.takeAction(pack),
      );
      expect(isLinkNotFoundError(noLink) && noLink.rel).toBe('actionResult');
    });
  });

  describe('options', () => {
    it('refuses invalid options with one ConfigError listing every problem', () => {
      let error: unknown;
      try {
        new HttpFlyteApi({
          url: 'ftp://x',
          timeout: -1,
          takeTimeout: Infinity,
          trustedOrigins: ['not a url'],
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'url: must be an absolute http(s) URL, got "ftp://x"',
        'timeout: must be a finite number of milliseconds >= 0 (0 = none), got -1',
        'takeTimeout: must be a finite number of milliseconds >= 0 (0 = none), got Infinity',
        'trustedOrigins[0]: not an absolute URL: "not a url"',
      ]);
    });

    it('refuses a URL with credentials, without repeating them', () => {
      for (const url of [
        'http://user:hunter2@127.0.0.1:1',
        'https://hunter2@flyte.example/flyte/',
      ]) {
        const error = (() => {
          try {
            return new HttpFlyteApi({ url });
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems).toEqual([
          jasmine.stringMatching(/^url must not carry credentials \(user:password@host\)/),
        ]);
        expect(String(error)).not.toContain('hunter2');
      }
    });
  });
});
