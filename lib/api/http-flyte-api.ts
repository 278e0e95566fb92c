import crossFetch from 'cross-fetch';
import type { Observable } from 'rxjs';
import { ConfigError, HttpError, LinkNotFoundError, PackNotFoundError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { fromAbortable } from './cold.js';
import type { FlyteApi, TakeActionOptions } from './flyte-api.js';
import {
  DEFAULT_TIMEOUT,
  takeTimeoutOf,
  type HttpFlyteApiOptions,
} from './http-flyte-api-options.js';
import { HttpTransport } from './http-transport.js';
import { parseAction, parseRegisteredPack, parseRoot } from './parse-documents.js';
import type { HttpResponse } from './request.js';
import { TokenSource } from './token.js';
import { checkTrustedOrigins, TrustedOrigins } from './trusted-origins.js';
import type { Action, ApiRoot, PackRegistration, RegisteredPack, WireEvent } from './types.js';

/**
 * The {@link FlyteApi} over HTTP (cross-fetch by default), following the server's links.
 *
 * Every method returns a cold observable: one request per subscription (two after a 401
 * with a token provider), unsubscribing aborts it. Statuses: discover 200, register 201,
 * take 200 (action) / 204 (`null`), result and event 2xx (the server sends 202), health 2xx.
 * 404 on take, result or event is a {@link PackNotFoundError}, 401 an
 * {@link UnauthorizedError}, any other status an {@link HttpError}; a malformed body an
 * {@link InvalidResponseError} naming the URL and what was wrong; no answer a
 * {@link NetworkError} or {@link TimeoutError}. The token never appears in any error.
 *
 * @example
 * const api = new HttpFlyteApi({ url: 'http://localhost:8080', token: process.env.FLYTE_JWT });
 * api.discover().pipe(switchMap((root) => api.register(root, toRegistration(def)))).subscribe(console.log);
 */
export class HttpFlyteApi implements FlyteApi {
  private readonly rootUrl: string;
  private readonly timeout: number;
  private readonly takeTimeout: number;
  private readonly transport: HttpTransport;

  /**
   * @param options - see {@link HttpFlyteApiOptions}.
   * @throws {@link ConfigError} listing every invalid option.
   */
  constructor(options: HttpFlyteApiOptions) {
    const problems: string[] = [];
    this.rootUrl = rootUrlOf(options.url, problems);
    this.timeout = checkMs(options.timeout ?? DEFAULT_TIMEOUT, 'timeout', problems);
    this.takeTimeout = checkMs(
      takeTimeoutOf(this.timeout, options.takeTimeout),
      'takeTimeout',
      problems,
    );
    checkTrustedOrigins(options.trustedOrigins, problems);
    if (problems.length) throw new ConfigError(problems);
    const logger = options.logger ?? silentLogger;
    this.transport = new HttpTransport({
      fetch: options.fetch ?? crossFetch,
      agent: options.agent,
      tokens: new TokenSource(options.token),
      origins: new TrustedOrigins(options.url, options.trustedOrigins ?? [], logger),
      logger,
    });
  }

  discover(): Observable<ApiRoot> {
    return this.call('GET', this.rootUrl, undefined, [200], parseRoot);
  }

  register(root: ApiRoot, registration: PackRegistration): Observable<RegisteredPack> {
    return this.call('POST', root.packsUrl, registration, [201], (res) =>
      parseRegisteredPack(res, registration),
    );
  }

  takeAction(pack: RegisteredPack, options: TakeActionOptions = {}): Observable<Action | null> {
    const { command } = options;
    const url = command === undefined ? pack.takeActionUrl : commandTakeUrl(pack, command);
    return this.call(
      'POST',
      url,
      undefined,
      [200, 204],
      (res) => (res.status === 204 ? null : parseAction(res)),
      {
        notFound: true,
        timeout: this.takeTimeout,
      },
    );
  }

  completeAction(action: Action, event: WireEvent): Observable<void> {
    return this.call('POST', action.resultUrl, event, 'success', () => undefined, {
      notFound: true,
    });
  }

  postEvent(pack: RegisteredPack, event: WireEvent): Observable<void> {
    return this.call('POST', pack.eventUrl, event, 'success', () => undefined, { notFound: true });
  }

  health(root: ApiRoot): Observable<void> {
    const url = root.healthUrl;
    if (url === undefined) {
      return fromAbortable(() =>
        Promise.reject(
          new LinkNotFoundError({
            rel: 'info/health',
            available: root.links.map((l) => l.rel),
            url: root.url,
          }),
        ),
      );
    }
    return this.call('GET', url, undefined, 'success', () => undefined);
  }

  private call<T>(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    accepted: readonly number[] | 'success',
    parse: (res: HttpResponse) => T,
    options: { notFound?: boolean; timeout?: number } = {},
  ): Observable<T> {
    return fromAbortable(async (signal) => {
      const timeout = options.timeout ?? this.timeout;
      const res = await this.transport.send({ method, url, body, timeout }, signal);
      const ok =
        accepted === 'success'
          ? res.status >= 200 && res.status < 300
          : accepted.includes(res.status);
      try {
        if (ok) return parse(res);
        const init = { method, url, status: res.status, body: res.text };
        throw options.notFound && res.status === 404
          ? new PackNotFoundError(init)
          : new HttpError(init);
      } catch (error) {
        throw this.transport.redact(error);
      }
    });
  }
}

/**
 * The take-action URL for one command: the server's own per-command link (or the pack's
 * take-action link) with `actionName` set, the parameter the server actually reads (its own
 * links carry `commandName`, which it ignores).
 *
 * @param pack - the registered pack.
 * @param command - the command's name.
 * @returns the URL to POST to.
 * @example
 * commandTakeUrl(pack, 'Rota'); // 'http://flyte/v1/packs/p/actions/take?commandName=Rota&actionName=Rota'
 */
export function commandTakeUrl(pack: RegisteredPack, command: string): string {
  const url = new URL(pack.commandTakeActionUrls[command] ?? pack.takeActionUrl);
  url.searchParams.set('actionName', command);
  return url.href;
}

function rootUrlOf(base: string, problems: string[]): string {
  try {
    const url = new URL(base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1`;
    return url.href;
  } catch {
    problems.push(`url: must be an absolute http(s) URL, got ${JSON.stringify(base)}`);
    return '';
  }
}

function checkMs(value: number, name: string, problems: string[]): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    problems.push(
      `${name}: must be a finite number of milliseconds >= 0 (0 = none), got ${String(value)}`,
    );
  }
  return value;
}
