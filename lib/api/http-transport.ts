import { FlyteError, UnauthorizedError, errorMessage } from '../model/errors.js';
import type { LazyAbort } from '../model/lazy-abort.js';
import type { Logger } from '../model/logger.js';
import { redact } from '../model/redact.js';
import { redirectOf, type TransportRequest } from './redirects.js';
import type { ExchangeRequest, HttpExchange, HttpResponse } from './http-exchange.js';
import type { TokenSource } from './token.js';
import { tokenWithin } from './token-deadline.js';
import type { TrustedOrigins } from './trusted-origins.js';

/**
 * What an {@link HttpTransport} needs.
 *
 * @example
 * const transport = new HttpTransport({ exchange: crossFetchExchange(), tokens, origins, logger });
 */
export interface HttpTransportConfig {
  /** Sends one request and reads its answer (the transport port). */
  readonly exchange: HttpExchange;
  readonly tokens: TokenSource;
  readonly origins: TrustedOrigins;
  readonly logger: Logger;
  /** Most bytes of a response body (decompressed); 0 for no cap. @default 0 */
  readonly maxResponseBytes?: number;
  /** Longest pause while a body arrives, in ms; 0 for none. @default 0 */
  readonly bodyIdleTimeout?: number;
}

/**
 * Sends JSON requests with the bearer token where it may go: asks the token source before
 * the request, and after a 401 asks it again and retries **once** with the fresh token. A
 * 401 that remains becomes an {@link UnauthorizedError}. Every error it raises has the
 * tokens redacted (message, URL, body excerpt, cause).
 *
 * Waiting for the token provider is bounded by the request's timeout (a hung provider
 * yields a {@link TimeoutError} and is asked again next time). The exchange never follows a
 * redirect (node-fetch keeps `Authorization` on a redirect to another port or a subdomain,
 * and turns a redirected POST into a GET): the transport follows them itself
 * ({@link redirectOf}: a POST only 307/308), up to five, sending the token only where
 * {@link TrustedOrigins} allows.
 *
 * @example
 * const res = await transport.send({ method: 'GET', url, timeout: 10_000 }, new LazyAbort());
 */
export class HttpTransport {
  constructor(private readonly config: HttpTransportConfig) {}

  /**
   * Sends one request (two after a refreshed 401).
   *
   * @param request - method, URL, JSON body and timeout (ms, 0 = none).
   * @param abort - aborts the request.
   * @returns the response, whatever its status except 401.
   * @throws {@link UnauthorizedError}, {@link NetworkError}, {@link TimeoutError}, all redacted.
   * @example
   * const res = await transport.send({ method: 'POST', url, body: event, timeout: 10_000 }, abort);
   */
  async send(request: TransportRequest, abort: LazyAbort): Promise<HttpResponse> {
    const { tokens, origins } = this.config;
    try {
      // A fixed token (or none) is known at once: no wait, no timer for the provider.
      const withToken =
        (tokens.refreshable || tokens.fixed !== undefined) && origins.mayReceiveToken(request.url);
      const token = !withToken
        ? undefined
        : tokens.refreshable
          ? await this.tokenFor(tokens.current(), request, abort)
          : tokens.fixed;
      let res = await this.attempt(request, token, abort);
      if (res.status === 401 && withToken && tokens.refreshable && !abort.aborted) {
        this.config.logger.info(
          'flyte-client: the server refused the token; asking for a fresh one',
          {
            method: request.method,
            url: redact(request.url, tokens.secrets()),
          },
        );
        const fresh = await this.tokenFor(tokens.refresh(token), request, abort);
        res = await this.attempt(request, fresh, abort);
      }
      if (res.status === 401) {
        throw new UnauthorizedError({
          method: res.method,
          url: res.url,
          status: 401,
          body: res.text,
        });
      }
      return res;
    } catch (error) {
      throw this.redact(error);
    }
  }

  /**
   * The error with every token seen so far removed; apply it to any error raised while
   * handling a response of this transport.
   *
   * @param error - anything thrown.
   * @returns the redacted {@link FlyteError}.
   * @example
   * catch (e) { throw transport.redact(e); }
   */
  redact(error: unknown): FlyteError {
    return redactError(error, this.config.tokens.secrets());
  }

  private tokenFor(
    pending: Promise<string | undefined>,
    request: TransportRequest,
    abort: LazyAbort,
  ): Promise<string | undefined> {
    // Forgotten at once when given up, so that the next request asks the provider again.
    return tokenWithin(pending, request, abort, () => this.config.tokens.abandon());
  }

  private async attempt(
    request: TransportRequest,
    token: string | undefined,
    abort: LazyAbort,
    hops = 0,
  ): Promise<HttpResponse> {
    const { method, url, timeout } = request;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method === 'POST') headers['Content-Type'] = 'application/json';
    if (token) headers['Authorization'] = `Bearer ${token}`;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const { maxResponseBytes = 0, bodyIdleTimeout = 0 } = this.config;
    const res = await this.config.exchange(
      new OutgoingRequest(
        method,
        url,
        headers,
        body,
        timeout,
        maxResponseBytes,
        bodyIdleTimeout,
        abort,
      ),
    );
    // The server may copy the token into a link (a query parameter): never log it.
    const shown = redact(request.url, this.config.tokens.secrets());
    this.config.logger.debug(`flyte-client: ${request.method} ${shown} -> ${res.status}`);
    return this.followRedirect(request, res, token, abort, hops);
  }

  private followRedirect(
    request: TransportRequest,
    res: HttpResponse,
    token: string | undefined,
    abort: LazyAbort,
    hops: number,
  ): Promise<HttpResponse> | HttpResponse {
    const next = redirectOf(request, res, hops);
    if (next === undefined) return res;
    const trusted = this.config.origins.mayReceiveToken(next.url);
    return this.attempt(next, trusted ? token : undefined, abort, hops + 1);
  }
}

/**
 * The request an exchange is given. Its signal is made only for an exchange that reads it; one
 * that needs only to hear the abort (node:http's) registers a listener through `onAbort`, with
 * no AbortController per request. Every member is the request's own and enumerable, so an
 * exchange that wraps another by spreading the request passes them all on; the `signal`
 * getter is one function shared by every request, so that requests keep one shape (a getter
 * written in an object literal is a new function each time, and gives each object a slow
 * shape of its own).
 */
class OutgoingRequest implements ExchangeRequest {
  static readonly #signal: PropertyDescriptor = {
    get(this: OutgoingRequest) {
      return this.#abort.signal;
    },
    enumerable: true,
    configurable: true,
  };

  declare readonly signal: AbortSignal;
  readonly onAbort: (listener: () => void) => () => void;
  readonly #abort: LazyAbort;

  constructor(
    readonly method: ExchangeRequest['method'],
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly body: string | undefined,
    readonly timeout: number,
    readonly maxResponseBytes: number,
    readonly bodyIdleTimeout: number,
    abort: LazyAbort,
  ) {
    this.#abort = abort;
    this.onAbort = (listener) => abort.onAbort(listener);
    Object.defineProperty(this, 'signal', OutgoingRequest.#signal);
  }
}

/**
 * An error with every secret removed: a {@link FlyteError} is redacted in place (its cause
 * replaced when the cause's message holds a secret); anything else becomes a FlyteError.
 *
 * @param error - the error raised.
 * @param secrets - the values that must not appear.
 * @returns the redacted error.
 * @example
 * throw redactError(e, [token]);
 */
export function redactError(error: unknown, secrets: readonly string[]): FlyteError {
  const flyteError =
    error instanceof FlyteError ? error : new FlyteError(errorMessage(error), { cause: error });
  const cause = flyteError.cause;
  if (cause instanceof Error) {
    const text = `${cause.message}\n${cause.stack ?? ''}`;
    if (redact(text, secrets) !== text) {
      (flyteError as { cause?: unknown }).cause = new Error(redact(cause.message, secrets));
    }
  }
  return flyteError.redacted(secrets);
}
