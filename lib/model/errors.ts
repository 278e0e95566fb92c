import { redact } from './redact.js';
import type { WireEvent } from './wire-types.js';

/**
 * The message of anything thrown: an Error's `message`, anything else as a string.
 *
 * @param error - what was thrown, rejected or emitted.
 * @returns its message.
 * @example
 * logger.warn(`taking an action failed: ${errorMessage(error)}`);
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Longest body excerpt kept on an {@link HttpError}. */
export const BODY_EXCERPT_LIMIT = 500;

/** Most rels a {@link LinkNotFoundError} lists in its message. */
export const LISTED_RELS_LIMIT = 10;

/**
 * Text made safe for one log line: newlines, tabs, other control characters and ANSI
 * escapes become JSON-style escapes (`\n`, `\u001b`).
 *
 * @param text - text from the outside (a response body, a header).
 * @returns the text with every control character escaped.
 * @example
 * escapeControls('a\n\u001b[31mb'); // 'a\\n\\u001b[31mb'
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * Base class of every error the SDK raises.
 *
 * @example
 * api.discover().subscribe({ error: (e) => { if (isFlyteError(e)) console.error(e.message); } });
 */
export class FlyteError extends Error {
  /** Always `'FlyteError'`. */
  override readonly name: string = 'FlyteError';
  /** The URL concerned, when there is one. */
  readonly url?: string;
  /** The HTTP method concerned, when there is one. */
  readonly method?: string;

  constructor(message: string, options: { url?: string; method?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.url = options.url;
    this.method = options.method;
  }

  /**
   * A copy of this error's message, URL and cause message with the secrets removed.
   * The HTTP adapter applies it to every error it raises, so no token leaks.
   *
   * @example
   * throw err.redacted([token]);
   */
  redacted(secrets: readonly (string | undefined)[]): this {
    if (!secrets.some(Boolean)) return this;
    this.message = redact(this.message, secrets);
    if (this.stack) this.stack = redact(this.stack, secrets);
    const self = this as { url?: string; bodyExcerpt?: string };
    if (self.url) self.url = redact(self.url, secrets);
    if (self.bodyExcerpt) self.bodyExcerpt = redact(self.bodyExcerpt, secrets);
    return this;
  }
}

/**
 * The server answered with a status the call does not accept.
 *
 * @example
 * if (isHttpError(e) && e.status >= 500) retry();
 */
export class HttpError extends FlyteError {
  /** Always `'HttpError'`. */
  override readonly name: string = 'HttpError';
  /** The response's HTTP status. */
  readonly status: number;
  /**
   * The first 500 (`BODY_EXCERPT_LIMIT`) characters of the response body, control characters
   * and ANSI escapes escaped (`\n`, `\u001b`), so an excerpt is always one safe line.
   */
  readonly bodyExcerpt: string;
  /** The wait the server asked for with `Retry-After` (429/503), in ms, when it did. */
  readonly retryAfterMs?: number;

  constructor(init: {
    method: string;
    url: string;
    status: number;
    body?: string;
    message?: string;
    retryAfterMs?: number;
  }) {
    const excerpt = escapeControls((init.body ?? '').slice(0, BODY_EXCERPT_LIMIT));
    super(
      init.message ??
        `${init.method} ${init.url} answered ${init.status}${excerpt ? `: ${excerpt}` : ''}`,
      { url: init.url, method: init.method },
    );
    this.status = init.status;
    this.bodyExcerpt = excerpt;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * The server does not know the pack (404 on take, result or event): it was never registered
 * or the server's dead-pack clean-up deleted it. Registering again restores it.
 *
 * @example
 * if (isPackNotFoundError(e)) reRegister();
 */
export class PackNotFoundError extends HttpError {
  /** Always `'PackNotFoundError'`. */
  override readonly name: string = 'PackNotFoundError';
}

/**
 * The server refused the credentials (401).
 *
 * @example
 * if (isUnauthorizedError(e)) console.error('check FLYTE_JWT');
 */
export class UnauthorizedError extends HttpError {
  /** Always `'UnauthorizedError'`. */
  override readonly name: string = 'UnauthorizedError';
}

/**
 * The request never got an HTTP answer (connection refused or dropped, DNS failure, ...).
 *
 * @example
 * if (isNetworkError(e)) console.error(e.cause);
 */
export class NetworkError extends FlyteError {
  /** Always `'NetworkError'`. */
  override readonly name: string = 'NetworkError';
}

/**
 * The request did not get an answer within its timeout.
 *
 * @example
 * if (isTimeoutError(e)) console.error(`${e.method} ${e.url} took over ${e.timeoutMs} ms`);
 */
export class TimeoutError extends FlyteError {
  /** Always `'TimeoutError'`. */
  override readonly name: string = 'TimeoutError';
  /** The timeout that ran out, in milliseconds. */
  readonly timeoutMs: number;

  constructor(init: { method?: string; url?: string; timeoutMs: number; message?: string }) {
    super(
      init.message ??
        `${init.method ?? 'request'} ${init.url ?? ''} timed out after ${init.timeoutMs} ms`.replace(
          '  ',
          ' ',
        ),
      { url: init.url, method: init.method },
    );
    this.timeoutMs = init.timeoutMs;
  }
}

/**
 * A response was not what the contract says (not JSON, a field missing or of the wrong type).
 *
 * @example
 * if (isInvalidResponseError(e)) console.error(e.message); // names the URL and what was wrong
 */
export class InvalidResponseError extends FlyteError {
  /** Always `'InvalidResponseError'`. */
  override readonly name: string = 'InvalidResponseError';
}

/**
 * A document lacked a link the client needs. A response without a link the contract
 * promises is malformed, so this is also an {@link InvalidResponseError}.
 *
 * @example
 * if (isLinkNotFoundError(e)) console.error(e.rel, e.available);
 */
export class LinkNotFoundError extends InvalidResponseError {
  /** Always `'LinkNotFoundError'`. */
  override readonly name: string = 'LinkNotFoundError';
  /** The rel suffix that was looked for. */
  readonly rel: string;
  /** The rels that were there (the first 10, `LISTED_RELS_LIMIT`). */
  readonly available: readonly string[];

  constructor(init: { rel: string; available: readonly string[]; url?: string }) {
    super(
      `no link whose rel ends with "${init.rel}"${init.url ? ` in the response of ${init.url}` : ''}; ` +
        `rels present: ${listRels(init.available)}`,
      { url: init.url },
    );
    this.rel = init.rel;
    this.available = init.available.slice(0, LISTED_RELS_LIMIT);
  }
}

function listRels(rels: readonly string[]): string {
  if (!rels.length) return 'none';
  const shown = rels.slice(0, LISTED_RELS_LIMIT).map((r) => `"${escapeControls(r.slice(0, 200))}"`);
  const more = rels.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more.toLocaleString('en-US')} more` : '');
}

/**
 * A pack definition is invalid; `problems` lists every problem found.
 *
 * @example
 * try { new Pack(def, opts); } catch (e) { if (isPackDefinitionError(e)) e.problems.forEach((p) => console.error(p)); }
 */
export class PackDefinitionError extends FlyteError {
  /** Always `'PackDefinitionError'`. */
  override readonly name: string = 'PackDefinitionError';
  /** Every problem found, each saying where (`commands[1].outputEvents: ...`). */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid pack definition:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/**
 * An event could not be delivered: the server refused it for good, the retry budget was
 * spent, or the pack stopped first. The event is attached so that nothing is lost silently.
 *
 * @example
 * pack.errors$.subscribe((e) => { if (isDeliveryError(e)) store(e.event); });
 */
export class DeliveryError extends FlyteError {
  /** Always `'DeliveryError'`. */
  override readonly name: string = 'DeliveryError';
  /** The event that was not delivered (wire form). */
  readonly event: WireEvent;
  /** The action id when the event was an action's result. */
  readonly actionId?: string;

  constructor(init: {
    message: string;
    event: DeliveryError['event'];
    actionId?: string;
    url?: string;
    cause?: unknown;
  }) {
    super(init.message, { url: init.url, cause: init.cause });
    this.event = init.event;
    this.actionId = init.actionId;
  }
}

/**
 * A result was most likely delivered, but the server never said so: an attempt was lost
 * after it may have reached the server, then the server answered a bare 500 (its answer to
 * a result for an action that is no longer PENDING) twice around a healthy health check.
 * The SDK stops retrying and reports this on `errors$`, with the event and the action id,
 * so the inference can be checked (the action's state on the server).
 *
 * @example
 * pack.errors$.subscribe((e) => { if (isInferredDeliveryError(e)) audit(e.actionId, e.event); });
 */
export class InferredDeliveryError extends FlyteError {
  /** Always `'InferredDeliveryError'`. */
  override readonly name: string = 'InferredDeliveryError';
  /** The result that most likely landed (wire form). */
  readonly event: DeliveryError['event'];
  /** The action it answers. */
  readonly actionId: string;

  constructor(init: {
    message: string;
    event: DeliveryError['event'];
    actionId: string;
    url?: string;
    cause?: unknown;
  }) {
    super(init.message, { url: init.url, cause: init.cause });
    this.event = init.event;
    this.actionId = init.actionId;
  }
}

/**
 * `sendEvent` was refused at once, posting nothing: the outbox already holds `limit`
 * spontaneous events (queued or being posted), as many as `delivery.maxQueuedEvents` allows.
 * It fills when the server accepts events more slowly than they are sent (an outage, a 503, a
 * refused token): wait for earlier `sendEvent` promises to settle, or raise the limit.
 *
 * @example
 * await pack.sendEvent(event).catch((e) => { if (isOutboxFullError(e)) dropOrRetryLater(e.event); });
 */
export class OutboxFullError extends FlyteError {
  /** Always `'OutboxFullError'`. */
  override readonly name: string = 'OutboxFullError';
  /** The event refused (wire form). */
  readonly event: WireEvent;
  /** The most spontaneous events the outbox holds (`delivery.maxQueuedEvents`). */
  readonly limit: number;

  constructor(init: { pack: string; event: WireEvent; limit: number }) {
    super(
      `pack "${init.pack}" did not queue the event "${init.event.event}": its outbox already ` +
        `holds ${init.limit} events (delivery.maxQueuedEvents), the server is accepting them ` +
        'more slowly than they are sent; wait for earlier sendEvent promises or raise the limit',
    );
    this.event = init.event;
    this.limit = init.limit;
  }
}

/**
 * `sendEvent` was given an event the pack does not declare in its definition's `events`:
 * flows know a pack's events from its registration, so an undeclared one (often a typo) would
 * reach no flow. Nothing is posted.
 *
 * @example
 * await pack.sendEvent(event).catch((e) => { if (isUndeclaredEventError(e)) console.error(e.declared); });
 */
export class UndeclaredEventError extends FlyteError {
  /** Always `'UndeclaredEventError'`. */
  override readonly name: string = 'UndeclaredEventError';
  /** The name of the event refused. */
  readonly event: string;
  /** The names of the events the pack declares. */
  readonly declared: readonly string[];

  constructor(init: { pack: string; event: string; declared: readonly string[] }) {
    const declared = init.declared.length
      ? `its events: ${init.declared.join(', ')}`
      : 'it declares no events';
    super(
      `pack "${init.pack}" does not declare the event "${init.event}" (${declared}); ` +
        "add it to the definition's events to send it",
    );
    this.event = init.event;
    this.declared = init.declared;
  }
}

/**
 * The configuration given to the SDK is invalid; `problems` lists every problem found.
 *
 * @example
 * try { readConfig(process.env); } catch (e) { if (isConfigError(e)) console.error(e.message); }
 */
export class ConfigError extends FlyteError {
  /** Always `'ConfigError'`. */
  override readonly name: string = 'ConfigError';
  /** Every problem found, each naming the option or variable. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** @example if (isFlyteError(e)) console.error(e.url); */
export const isFlyteError = (e: unknown): e is FlyteError => e instanceof FlyteError;
/** @example if (isHttpError(e)) console.error(e.status); */
export const isHttpError = (e: unknown): e is HttpError => e instanceof HttpError;
/** @example if (isPackNotFoundError(e)) reRegister(); */
export const isPackNotFoundError = (e: unknown): e is PackNotFoundError =>
  e instanceof PackNotFoundError;
/** @example if (isUnauthorizedError(e)) refreshToken(); */
export const isUnauthorizedError = (e: unknown): e is UnauthorizedError =>
  e instanceof UnauthorizedError;
/** @example if (isNetworkError(e)) retry(); */
export const isNetworkError = (e: unknown): e is NetworkError => e instanceof NetworkError;
/** @example if (isTimeoutError(e)) retry(); */
export const isTimeoutError = (e: unknown): e is TimeoutError => e instanceof TimeoutError;
/** @example if (isLinkNotFoundError(e)) console.error(e.available); */
export const isLinkNotFoundError = (e: unknown): e is LinkNotFoundError =>
  e instanceof LinkNotFoundError;
/** @example if (isInvalidResponseError(e)) console.error(e.message); */
export const isInvalidResponseError = (e: unknown): e is InvalidResponseError =>
  e instanceof InvalidResponseError;
/** @example if (isPackDefinitionError(e)) console.error(e.problems); */
export const isPackDefinitionError = (e: unknown): e is PackDefinitionError =>
  e instanceof PackDefinitionError;
/** @example if (isDeliveryError(e)) store(e.event); */
export const isDeliveryError = (e: unknown): e is DeliveryError => e instanceof DeliveryError;
/** @example if (isInferredDeliveryError(e)) audit(e.actionId); */
export const isInferredDeliveryError = (e: unknown): e is InferredDeliveryError =>
  e instanceof InferredDeliveryError;
/** @example if (isUndeclaredEventError(e)) console.error(e.event, e.declared); */
export const isUndeclaredEventError = (e: unknown): e is UndeclaredEventError =>
  e instanceof UndeclaredEventError;
/** @example if (isConfigError(e)) process.exit(2); */
export const isConfigError = (e: unknown): e is ConfigError => e instanceof ConfigError;
/** @example if (isOutboxFullError(e)) console.warn(`outbox full (${e.limit})`); */
export const isOutboxFullError = (e: unknown): e is OutboxFullError => e instanceof OutboxFullError;

/**
 * What `Pack.errors$` carries: an error of the SDK, told apart by class (or `name`). Failed
 * registrations and takes ({@link HttpError}, {@link PackNotFoundError},
 * {@link UnauthorizedError}, {@link NetworkError}, {@link TimeoutError},
 * {@link InvalidResponseError}), a definition the server refused ({@link PackDefinitionError}),
 * results and events given up or refused ({@link DeliveryError}), landings inferred
 * ({@link InferredDeliveryError}); anything else thrown inside the pack comes wrapped in a
 * {@link FlyteError} whose `cause` is the original.
 *
 * @example
 * pack.errors$.subscribe((e: PackError) => (isDeliveryError(e) ? page(e.event) : log(e.message)));
 */
export type PackError =
  | HttpError
  | PackNotFoundError
  | UnauthorizedError
  | NetworkError
  | TimeoutError
  | InvalidResponseError
  | LinkNotFoundError
  | PackDefinitionError
  | DeliveryError
  | InferredDeliveryError
  | FlyteError;

/**
 * An error as `Pack.errors$` carries it: an SDK error as it is, anything else wrapped in a
 * {@link FlyteError} (same message, the original as `cause`).
 *
 * @param error - what was thrown, rejected or emitted.
 * @returns the {@link PackError}.
 * @example
 * toPackError(new Error('boom')).cause; // the Error
 */
export function toPackError(error: unknown): PackError {
  return error instanceof FlyteError
    ? error
    : new FlyteError(errorMessage(error), { cause: error });
}
