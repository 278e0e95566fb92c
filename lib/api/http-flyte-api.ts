import type { Observable } from 'rxjs';
import { HttpError, LinkNotFoundError, PackNotFoundError } from '../model/errors.js';
import { silentLogger } from '../model/logger.js';
import { fromAbortable } from './cold.js';
import type { FlyteApi, TakeActionOptions } from './flyte-api.js';
import { commandTakeUrl } from './api-urls.js';
import { resolveHttpOptions, type HttpFlyteApiOptions } from './http-flyte-api-options.js';
import { HttpTransport } from './http-transport.js';
import { crossFetchExchange, fetchExchange } from './request.js';
import { parseAction, parseRegisteredPack, parseRoot } from './parse-documents.js';
import { parseAuditFlow, parseAuditPage } from './parse-audit.js';
import {
  auditSearchParams,
  type AuditFlow,
  type AuditPage,
  type AuditQuery,
} from '../model/audit.js';
import type { HttpResponse } from './http-exchange.js';
import { retryAfterMs } from './retry-after.js';
import { TokenSource } from './token.js';
import { TrustedOrigins } from './trusted-origins.js';
import type {
  Action,
  ApiRoot,
  PackRegistration,
  RegisteredPack,
  WireEvent,
} from '../model/wire-types.js';
import { plainHttpWarning } from './plain-http-warning.js';

/** The rel (suffix) of the audit link in the `/v1` links. */
const AUDIT_REL = 'flowAudit/findFlows';

/** A cold observable that errors with a {@link LinkNotFoundError} for a link `root` lacks. */
function missingLink(root: ApiRoot, rel: string): Observable<never> {
  const available = root.links.map((l) => l.rel);
  return fromAbortable(() =>
    Promise.reject(new LinkNotFoundError({ rel, available, url: root.url })),
  );
}

/**
 * The {@link FlyteApi} over HTTP, following the server's links. Requests go through an
 * {@link HttpExchange} (the transport port): cross-fetch by default, loaded at the first
 * request; `flyte-client/node`'s `nodeFlyteApi` gives it one over `node:http`.
 *
 * Every method returns a cold observable: one request per subscription (two after a 401
 * with a token provider), unsubscribing aborts it. Statuses: discover 200, register 201,
 * take 200 (action) / 204 (`null`), result and event 202 only (another 2xx is no proof of
 * delivery: an {@link HttpError} with that status), health 2xx, audit 200 (one flow: 404 is
 * `null`). A 429 or 503 carries the
 * `Retry-After` wait as `retryAfterMs`.
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
    const resolved = resolveHttpOptions(options);
    this.rootUrl = resolved.rootUrl;
    this.timeout = resolved.timeout;
    this.takeTimeout = resolved.takeTimeout;
    const logger = options.logger ?? silentLogger;
    const plainHttp = plainHttpWarning(options.url, options.token);
    if (plainHttp) logger.warn(plainHttp);
    this.transport = new HttpTransport({
      exchange:
        options.exchange ??
        (options.fetch
          ? fetchExchange(options.fetch, options.agent)
          : crossFetchExchange(options.agent)),
      tokens: new TokenSource(options.token),
      origins: new TrustedOrigins(options.url, options.trustedOrigins ?? [], logger),
      logger,
      maxResponseBytes: resolved.maxResponseBytes,
      bodyIdleTimeout: resolved.bodyIdleTimeout,
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
    return this.call('POST', action.resultUrl, event, [202], () => undefined, {
      notFound: true,
    });
  }

  postEvent(pack: RegisteredPack, event: WireEvent): Observable<void> {
    return this.call('POST', pack.eventUrl, event, [202], () => undefined, { notFound: true });
  }

  health(root: ApiRoot): Observable<void> {
    const url = root.healthUrl;
    if (url === undefined) return missingLink(root, 'info/health');
    return this.call('GET', url, undefined, 'success', () => undefined);
  }

  auditFlows(root: ApiRoot, query: AuditQuery): Observable<AuditPage> {
    if (root.auditUrl === undefined) return missingLink(root, AUDIT_REL);
    const url = new URL(root.auditUrl);
    for (const [k, v] of auditSearchParams(query)) url.searchParams.set(k, v);
    return this.call('GET', url.href, undefined, [200], parseAuditPage);
  }

  auditFlow(root: ApiRoot, correlationId: string): Observable<AuditFlow | null> {
    if (root.auditUrl === undefined) return missingLink(root, AUDIT_REL);
    const url = new URL(root.auditUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(correlationId)}`;
    return this.call('GET', url.href, undefined, [200, 404], (res) =>
      res.status === 404 ? null : parseAuditFlow(res),
    );
  }

  private call<T>(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    accepted: readonly number[] | 'success',
    parse: (res: HttpResponse) => T,
    options: { notFound?: boolean; timeout?: number } = {},
  ): Observable<T> {
    return fromAbortable(async (abort) => {
      const timeout = options.timeout ?? this.timeout;
      const res = await this.transport.send({ method, url, body, timeout }, abort);
      const ok =
        accepted === 'success'
          ? res.status >= 200 && res.status < 300
          : accepted.includes(res.status);
      try {
        if (ok) return parse(res);
        const retryAfter = [429, 503].includes(res.status)
          ? retryAfterMs(res.header('retry-after'), Date.now())
          : undefined;
        const init = {
          method,
          url,
          status: res.status,
          body: res.text,
          ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
        };
        throw options.notFound && res.status === 404
          ? new PackNotFoundError(init)
          : new HttpError(init);
      } catch (error) {
        throw this.transport.redact(error);
      }
    });
  }
}
