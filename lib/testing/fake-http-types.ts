/**
 * A request as the fake server's transport-free handlers see it.
 *
 * @example
 * const req: FakeRequest = { method: 'GET', path: '/v1', query: new URLSearchParams(), headers: {}, body: '' };
 */
export interface FakeRequest {
  readonly method: string;
  /** The decoded-on-demand path, without query and without the server's path prefix. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/**
 * A response from the fake server's transport-free handlers.
 *
 * @example
 * const res: FakeResponse = { status: 204 };
 */
export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Not sent: the take lost a race (its update matched nothing). Logged. */
  readonly race?: true;
  /** Not sent: what went wrong, for the request log (flyte's 500s are bare). */
  readonly detail?: string;
  /** Not sent: the action a take handed out (now PENDING), for the request log. */
  readonly actionId?: string;
}

/**
 * The flyte API endpoints, as named by fault filters and the request log.
 * `discover` is `GET /` and `GET /v1`; `packs` is listing, reading and deleting packs; `audit`
 * is the flow audit (`GET /v1/audit/flows[/<correlationId>]`).
 *
 * @example
 * server.setFaults({ errorRate: 1, endpoints: ['take'] satisfies FaultEndpoint[] });
 */
export type FaultEndpoint =
  'discover' | 'register' | 'take' | 'result' | 'event' | 'health' | 'packs' | 'audit';

/**
 * A redirect a proxy in front of flyte might answer with.
 *
 * @example
 * server.setFaults({ redirect: { status: 307, location: '/v1/packs/Slack/actions/take', endpoints: ['take'] } satisfies RedirectFault });
 */
export interface RedirectFault {
  /** 301, 302, 303, 307 or 308. */
  readonly status: 301 | 302 | 303 | 307 | 308;
  /**
   * The `Location` header: a path on the fake (sent as it is, relative) or an absolute URL.
   * A request already at this path and query is never redirected, so following it ends.
   */
  readonly location: string;
  /** Only these endpoints are redirected. @default the faults' `endpoints` */
  readonly endpoints?: readonly FaultEndpoint[];
  /** Share of those requests redirected. @default 1 */
  readonly rate?: number;
}

/**
 * A broken response body, for testing a client's size caps and body timeouts. The request is
 * applied first (the state changes), then its answer is sent with this body instead:
 * - `huge`: the answer padded with spaces to `bytes`, with that `Content-Length`;
 * - `endless`: the answer followed by spaces, chunked, until the client goes away;
 * - `truncated`: a `Content-Length` of `bytes`, half of that sent, then the connection closed;
 * - `gzip-bomb`: `Content-Encoding: gzip` of a few KB that inflate to `bytes`.
 *
 * A 204 answer becomes a 200 so it can carry a body. The server streams: memory stays small.
 *
 * @example
 * server.setFaults({ body: { mode: 'huge', bytes: 50_000_000, endpoints: ['take'] } satisfies BodyFault });
 */
export interface BodyFault {
  /** How the body misbehaves: too large, never ending, cut short, or a gzip bomb. */
  readonly mode: 'huge' | 'endless' | 'truncated' | 'gzip-bomb';
  /** Size of the body (inflated, for `gzip-bomb`). @default 10485760 (10 MiB) */
  readonly bytes?: number;
  /** Only these endpoints get the body. @default the faults' `endpoints` */
  readonly endpoints?: readonly FaultEndpoint[];
  /** Share of those requests that get it. @default 1 */
  readonly rate?: number;
}

/**
 * Faults the fake server injects into API requests (never into `/_fake/*`), drawn from a seeded
 * PRNG so a failing run replays. Each faulted request draws twice (error, drop) in order, then
 * once for `redirect` and once for `body` when they are set and cover its endpoint.
 *
 * @example
 * server.setFaults({ errorRate: 0.2, errorStatus: 503, retryAfter: 2, dropRate: 0.1, endpoints: ['take'], seed: 7 });
 */
export interface FaultConfig {
  /** Share of requests answered with `errorStatus` without touching state. @default 0 */
  readonly errorRate?: number;
  /** The status of an injected error: 400 to 599 (500, 502, 503, 504, 429...). @default 500 */
  readonly errorStatus?: number;
  /** The body of an injected error (sent as text/plain); flyte's are empty. @default '' */
  readonly errorBody?: string;
  /** Adds `Retry-After: <seconds>` to injected errors. @default none */
  readonly retryAfter?: number;
  /** Share of requests whose connection is dropped. @default 0 */
  readonly dropRate?: number;
  /**
   * `before`: drop without touching state; `after`: apply the request, then drop the connection
   * without answering (a lost response); `hang`: apply it and never answer until the client
   * gives up or the server closes. @default 'before'
   */
  readonly dropWhen?: 'before' | 'after' | 'hang';
  /** Delay before each faulted request is handled, in ms. @default 0 */
  readonly latencyMs?: number;
  /** Redirect requests, as a proxy might. @default none */
  readonly redirect?: RedirectFault;
  /** Send a huge, endless, truncated or gzip-bomb body. @default none */
  readonly body?: BodyFault;
  /**
   * Time of one store operation, in ms, for every API request (not only faulted ones): above 0
   * takes can lose races and results wait for the flow's work. Overrides the server's
   * `storeLatencyMs` while set. @default the server's
   */
  readonly storeLatencyMs?: number;
  /** Only these endpoints are faulted. @default every API endpoint */
  readonly endpoints?: readonly FaultEndpoint[];
  /** PRNG seed; setting faults restarts the sequence. @default the server's seed */
  readonly seed?: number;
}

/**
 * A change to the faults in effect (`POST /_fake/faults`): each setting given replaces that
 * setting, `null` removes it, and a setting left out keeps its value.
 *
 * @example
 * const patch: FaultPatch = { errorRate: 0.2, latencyMs: null }; // 20 % errors, no more latency
 */
export type FaultPatch = { readonly [K in keyof FaultConfig]?: FaultConfig[K] | null };

/**
 * One API request as the fake server logged it. Token values are never stored, only whether
 * the Authorization header was there and whether it matched the required token.
 *
 * @example
 * server.requests().filter((r: RequestLogEntry) => r.endpoint === 'take' && r.status === 204).length;
 */
export interface RequestLogEntry {
  /** Order of arrival, from 1. */
  readonly seq: number;
  /** The HTTP method. */
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  /** The query parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** Undefined for paths that are no API endpoint. */
  readonly endpoint?: FaultEndpoint;
  /** The status answered (or that would have been, when dropped after); null while in flight or when dropped before. */
  readonly status: number | null;
  /** Whether the request carried an `Authorization` header (its value is never logged). */
  readonly hasAuthorization: boolean;
  /** `unchecked` when no token is required. */
  readonly authorization: 'absent' | 'matched' | 'unmatched' | 'unchecked';
  /** The fault injected, if any. */
  readonly fault?: InjectedFault;
  /** The take lost a race: its update matched nothing, it answered an empty 500. */
  readonly race?: true;
  /** What went wrong, when the answer is a bare error (flyte's 500s are empty). */
  readonly detail?: string;
  /** The action a take handed out (it is PENDING now), whether or not the answer arrived. */
  readonly actionId?: string;
  /** The latency injected, in ms, if any. */
  readonly latencyMs?: number;
  /** RFC 3339 arrival time. */
  readonly at: string;
}

/**
 * A fault as the request log names it.
 *
 * @example
 * server.requests().filter((r) => r.fault === ('redirect' satisfies InjectedFault)).length;
 */
export type InjectedFault =
  'error' | 'drop-before' | 'drop-after' | 'hang' | 'redirect' | `body-${BodyFault['mode']}`;

/**
 * What `GET /_fake/stats` reports for one endpoint.
 *
 * @example
 * server.stats().take satisfies EndpointStats; // { count: 12, statuses: { 200: 5, 204: 6, 500: 1 }, races: 1, faults: {} }
 */
export interface EndpointStats {
  /** Requests logged. */
  readonly count: number;
  /** Answers per status (requests dropped before an answer have none). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Takes that lost a race. */
  readonly races: number;
  /** Requests per injected fault. */
  readonly faults: Readonly<Partial<Record<InjectedFault, number>>>;
  /**
   * Takes only: the actions handed out by takes whose answer was lost after the server acted
   * (dropped, hung, or a broken body), in order. Each stays PENDING and no client knows it:
   * the contract's unavoidable case.
   */
  readonly lostTakes?: readonly string[];
}
