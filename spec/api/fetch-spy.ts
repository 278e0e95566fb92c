// Spec-local fetch wrappers around the real fetch (cross-fetch: node-fetch in Node, the native
// fetch in Chromium). They record what the HTTP adapter sends and can rewrite what it gets, so
// specs can check headers and feed malformed answers while a real loopback server answers.
import crossFetch from 'cross-fetch';

/** One request as the adapter made it. */
export interface SeenRequest {
  readonly method: string;
  /** The URL the adapter asked for (before any rewrite). */
  readonly url: string;
  readonly authorization?: string;
  readonly signal?: AbortSignal;
}

/** What a spy may change about a request or a response. */
export interface SpyOptions {
  /** Maps the URL the adapter asked for to the URL really called (e.g. a foreign origin back to the server). */
  readonly route?: (url: string) => string;
  /** Extra headers added to every request (e.g. X-Forwarded-Host). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Replaces the real response of a request; `undefined` keeps it. */
  readonly respond?: (
    request: SeenRequest,
    real: { status: number; text: string },
  ) => { status: number; body: string; headers?: Record<string, string> } | undefined;
  /** Fails a request as a transport would, before it is sent; `undefined` lets it through. */
  readonly fail?: (request: SeenRequest) => Error | undefined;
}

/**
 * A fetch that records every request and applies `options`.
 *
 * @example
 * const spy = fetchSpy({ headers: { 'X-Forwarded-Host': '127.0.0.1:1' } });
 * new HttpFlyteApi({ url, fetch: spy.fetch });
 * spy.requests.map((r) => r.url);
 */
export function fetchSpy(options: SpyOptions = {}): {
  fetch: typeof fetch;
  requests: SeenRequest[];
  /** Resolves with the first request, as soon as it is made. */
  firstRequest: Promise<SeenRequest>;
} {
  const requests: SeenRequest[] = [];
  let first: (request: SeenRequest) => void = () => undefined;
  const firstRequest = new Promise<SeenRequest>((resolve) => (first = resolve));
  const spy = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    const headers = { ...(init.headers as Record<string, string>), ...options.headers };
    const seen: SeenRequest = {
      method: init.method ?? 'GET',
      url,
      authorization: headers['Authorization'],
      signal: init.signal ?? undefined,
    };
    requests.push(seen);
    first(seen);
    const failure = options.fail?.(seen);
    if (failure) throw failure;
    const real = await crossFetch((options.route ?? ((u) => u))(url), { ...init, headers });
    if (!options.respond) return real as Response;
    const text = await real.text();
    const replaced = options.respond(seen, { status: real.status, text }) ?? {
      status: real.status,
      body: text,
      headers: Object.fromEntries([...real.headers.entries()]),
    };
    return new Response(replaced.status === 204 ? null : replaced.body, {
      status: replaced.status,
      headers: replaced.headers ?? { 'content-type': 'application/json' },
    });
  };
  return { fetch: spy as typeof fetch, requests, firstRequest };
}

/**
 * A logger that keeps every line, to check what was (and was not) logged.
 *
 * @example
 * const logger = recordingLogger();
 * expect(logger.lines.join('\n')).not.toContain(token);
 */
export function recordingLogger(): {
  lines: string[];
  warnings: string[];
  error: (m: string, meta?: unknown) => void;
  warn: (m: string, meta?: unknown) => void;
  info: (m: string, meta?: unknown) => void;
  debug: (m: string, meta?: unknown) => void;
} {
  const lines: string[] = [];
  const warnings: string[] = [];
  const line = (level: string, m: string, meta?: unknown) =>
    lines.push(`${level} ${m} ${JSON.stringify(meta ?? {})}`);
  return {
    lines,
    warnings,
    error: (m, meta) => line('error', m, meta),
    warn: (m, meta) => {
      warnings.push(m);
      line('warn', m, meta);
    },
    info: (m, meta) => line('info', m, meta),
    debug: (m, meta) => line('debug', m, meta),
  };
}

/**
 * Every string an error exposes: message, stack, own properties, and its cause's message and stack.
 *
 * @example
 * expect(exposedText(error)).not.toContain(token);
 */
export function exposedText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const own = Object.fromEntries(Object.entries(error).filter(([k]) => k !== 'cause'));
  return [
    error.message,
    error.stack ?? '',
    JSON.stringify(own),
    cause instanceof Error ? `${cause.message}\n${cause.stack ?? ''}` : String(cause ?? ''),
  ].join('\n');
}
