import { firstValueFrom } from 'rxjs';
import { HttpFlyteApi } from '../../lib/api/http-flyte-api.js';
import {
  isFlyteError,
  isHttpError,
  isNetworkError,
  isTimeoutError,
  isUnauthorizedError,
  UnauthorizedError,
} from '../../lib/model/errors.js';
import { REDACTED } from '../../lib/model/redact.js';
import { toRegistration } from '../../lib/model/registration-body.js';
import type { FakeFlyteServerControl } from '../../lib/testing/fake-flyte-server-control.js';
import { errorOf } from '../support/error-of.js';
import { freshFakeServer } from '../support/fresh-fake-server.js';
import { exposedText, fetchSpy, recordingLogger } from './fetch-spy.js';

const registration = toRegistration({ name: 'Secretive', events: [{ name: 'Seen' }] });
const T1 = 'eyJ0b2tlbi1vbmU.first-token.sig1';
const T2 = 'eyJ0b2tlbi10d28.second-token.sig2';

/** A token provider that hands out `tokens` in turn and counts the calls. */
function provider(...tokens: string[]): { (): Promise<string>; calls: number } {
  const ask = Object.assign(async () => tokens[Math.min(ask.calls++, tokens.length - 1)]!, {
    calls: 0,
  });
  return ask;
}

describe('HttpFlyteApi and the bearer token', () => {
  let base: string;
  let control: FakeFlyteServerControl;

  beforeEach(async () => {
    ({ base, control } = await freshFakeServer());
  });

  describe('sending it', () => {
    it('sends a fixed token as a Bearer header', async () => {
      await control.requireToken(T1);
      const spy = fetchSpy();
      await firstValueFrom(new HttpFlyteApi({ url: base, token: T1, fetch: spy.fetch }).discover());
      expect(spy.requests[0]!.authorization).toBe(`Bearer ${T1}`);
      expect((await control.requests()).map((r) => r.authorization)).toEqual(['matched']);
    });

    it('asks a provider once, before the first request, and reuses its token', async () => {
      await control.requireToken(T1);
      const ask = provider(T1);
      const api = new HttpFlyteApi({ url: base, token: ask });
      expect(ask.calls).toBe(0);
      const root = await firstValueFrom(api.discover());
      await firstValueFrom(api.register(root, registration));
      expect(ask.calls).toBe(1);
    });

    it('after a 401, asks the provider again and retries once with the fresh token', async () => {
      await control.requireToken(T2);
      const ask = provider(T1, T2);
      const root = await firstValueFrom(new HttpFlyteApi({ url: base, token: ask }).discover());
      expect(root.packsUrl).toBe(`${base}/v1/packs`);
      expect(ask.calls).toBe(2);
      expect((await control.requests()).map((r) => r.authorization)).toEqual([
        'unmatched',
        'matched',
      ]);
    });

    it('shares one refresh between requests refused together', async () => {
      await control.requireToken(T2);
      const ask = provider(T1, T2, 'never-used');
      const api = new HttpFlyteApi({ url: base, token: ask });
      await Promise.all([firstValueFrom(api.discover()), firstValueFrom(api.discover())]);
      expect(ask.calls).toBe(2);
    });

    it('raises an UnauthorizedError when the fresh token is refused too (one retry only)', async () => {
      await control.requireToken('the-right-one');
      const ask = provider(T1, T2);
      const error = await errorOf(new HttpFlyteApi({ url: base, token: ask }).discover());
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as UnauthorizedError).status).toBe(401);
      expect(ask.calls).toBe(2);
      expect((await control.requests()).length).toBe(2);
    });

    it('does not retry a fixed token or a missing one', async () => {
      await control.requireToken(T2);
      expect(
        isUnauthorizedError(await errorOf(new HttpFlyteApi({ url: base, token: T1 }).discover())),
      ).toBeTrue();
      expect(
        isUnauthorizedError(await errorOf(new HttpFlyteApi({ url: base }).discover())),
      ).toBeTrue();
      expect((await control.requests()).map((r) => r.authorization)).toEqual([
        'unmatched',
        'absent',
      ]);
    });

    it('reports a failing provider as a FlyteError, and asks again next time', async () => {
      let calls = 0;
      const failing = async (): Promise<string> => {
        calls++;
        if (calls === 1) throw new Error('OIDC endpoint unreachable');
        return T1;
      };
      const api = new HttpFlyteApi({ url: base, token: failing });
      const error = await errorOf(api.discover());
      expect(isFlyteError(error) && error.message).toBe(
        'the token provider failed: OIDC endpoint unreachable',
      );
      await firstValueFrom(api.discover());
      expect(calls).toBe(2);
    });

    it('bounds the wait for a hung provider by the timeout, and asks again next time', async () => {
      await control.requireToken(T1);
      let calls = 0;
      const hangsOnce = (): Promise<string> =>
        ++calls === 1 ? new Promise<string>(() => undefined) : Promise.resolve(T1);
      const api = new HttpFlyteApi({ url: base, token: hangsOnce, timeout: 50 });
      const error = await errorOf(api.discover());
      expect(isTimeoutError(error)).toBeTrue();
      expect(String(error)).toContain('waiting for the token provider');
      expect(await control.requests()).toEqual([]);
      await firstValueFrom(api.discover());
      expect(calls).toBe(2);
    });

    it('stops waiting for a hung provider when unsubscribed, sends nothing, and asks again next time', async () => {
      await control.requireToken(T1);
      let calls = 0;
      let asked!: () => void;
      const first = new Promise<void>((resolve) => (asked = resolve));
      const hangsOnce = (): Promise<string> => {
        asked();
        return ++calls === 1 ? new Promise<string>(() => undefined) : Promise.resolve(T1);
      };
      const api = new HttpFlyteApi({ url: base, token: hangsOnce, timeout: 0 });
      const subscription = api.discover().subscribe();
      await first;
      subscription.unsubscribe();
      await firstValueFrom(api.discover());
      expect(calls).toBe(2);
      expect((await control.requests()).length).toBe(1);
    });
  });

  describe('keeping it to trusted origins', () => {
    // The server builds hrefs from X-Forwarded-Host, so its links point at another origin; the
    // spy routes that origin back to the fake server and records what each request carried.
    const foreignHost = (): string => `127.0.0.1:${Number(new URL(base).port) + 1}`;
    const behindProxy = () =>
      fetchSpy({
        headers: { 'X-Forwarded-Host': foreignHost() },
        route: (url) => url.replace(`//${foreignHost()}`, `//${new URL(base).host}`),
      });

    it('calls links on another origin without the token and warns once per origin', async () => {
      const spy = behindProxy();
      const logger = recordingLogger();
      const api = new HttpFlyteApi({ url: base, token: provider(T1), fetch: spy.fetch, logger });
      const root = await firstValueFrom(api.discover());
      expect(root.packsUrl).toBe(`http://${foreignHost()}/v1/packs`);
      const pack = await firstValueFrom(api.register(root, registration));
      await firstValueFrom(api.takeAction(pack));
      await firstValueFrom(api.takeAction(pack));
      expect(spy.requests.map((r) => [new URL(r.url).host, r.authorization])).toEqual([
        [new URL(base).host, `Bearer ${T1}`],
        [foreignHost(), undefined],
        [foreignHost(), undefined],
        [foreignHost(), undefined],
      ]);
      expect(logger.warnings.length).toBe(1);
      expect(logger.warnings[0]).toContain(`http://${foreignHost()}`);
      expect(logger.lines.join('\n')).not.toContain(T1);
    });

    it('sends the token to an origin listed in trustedOrigins', async () => {
      const spy = behindProxy();
      const logger = recordingLogger();
      const trustedOrigins = [`http://${foreignHost()}`];
      const api = new HttpFlyteApi({
        url: base,
        token: T1,
        fetch: spy.fetch,
        trustedOrigins,
        logger,
      });
      await firstValueFrom(api.register(await firstValueFrom(api.discover()), registration));
      expect(spy.requests.map((r) => r.authorization)).toEqual([`Bearer ${T1}`, `Bearer ${T1}`]);
      expect(logger.warnings).toEqual([]);
    });
  });

  describe('keeping it out of errors and logs', () => {
    it('redacts a token echoed in an error body (message and bodyExcerpt)', async () => {
      await control.requireToken(T1);
      const spy = fetchSpy({
        respond: (req) => ({ status: 500, body: `upstream said no to ${req.authorization}` }),
      });
      const logger = recordingLogger();
      const error = await errorOf(
        new HttpFlyteApi({ url: base, token: T1, fetch: spy.fetch, logger }).discover(),
      );
      expect(isHttpError(error) && error.bodyExcerpt).toBe(
        `upstream said no to Bearer ${REDACTED}`,
      );
      expect(exposedText(error)).not.toContain(T1);
      expect(logger.lines.join('\n')).not.toContain(T1);
    });

    it('redacts every token a provider handed out, also in a network failure cause', async () => {
      await control.requireToken(T2);
      let attempt = 0;
      const spy = fetchSpy({
        fail: (req) =>
          attempt++ === 1
            ? new Error(`socket hang up (${req.authorization}; was ${T1})`)
            : undefined,
      });
      const error = await errorOf(
        new HttpFlyteApi({ url: base, token: provider(T1, T2), fetch: spy.fetch }).discover(),
      );
      expect(isNetworkError(error)).toBeTrue();
      const text = exposedText(error);
      expect(text).toContain(REDACTED);
      expect(text).not.toContain(T1);
      expect(text).not.toContain(T2);
    });

    it('keeps the token out of an UnauthorizedError and the request log lines', async () => {
      await control.requireToken('the-right-one');
      const logger = recordingLogger();
      const error = await errorOf(
        new HttpFlyteApi({ url: base, token: provider(T1, T2), logger }).discover(),
      );
      expect(isUnauthorizedError(error)).toBeTrue();
      expect(exposedText(error)).not.toContain(T1);
      expect(exposedText(error)).not.toContain(T2);
      expect(logger.lines.length).toBeGreaterThan(0);
      expect(logger.lines.join('\n')).not.toMatch(/first-token|second-token/);
    });
  });
});
