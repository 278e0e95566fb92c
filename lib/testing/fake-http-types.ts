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
}

/**
 * The flyte API endpoints, as named by fault filters and the request log.
 * `discover` is `GET /` and `GET /v1`; `packs` is listing, reading and deleting packs.
 *
 * @example
 * server.setFaults({ errorRate: 1, endpoints: ['take'] satisfies FaultEndpoint[] });
 */
export type FaultEndpoint =
  'discover' | 'register' | 'take' | 'result' | 'event' | 'health' | 'packs';

/**
 * Faults the fake server injects into API requests (never into `/_fake/*`), drawn from a seeded
 * PRNG so a failing run replays. Each faulted request draws twice (error, drop) in order.
 *
 * @example
 * server.setFaults({ errorRate: 0.2, dropRate: 0.1, dropWhen: 'after', endpoints: ['take'], seed: 7 });
 */
export interface FaultConfig {
  /** Share of requests answered 500 without touching state. @default 0 */
  readonly errorRate?: number;
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
  /** Only these endpoints are faulted. @default every API endpoint */
  readonly endpoints?: readonly FaultEndpoint[];
  /** PRNG seed; setting faults restarts the sequence. @default the server's seed */
  readonly seed?: number;
}

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
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Undefined for paths that are no API endpoint. */
  readonly endpoint?: FaultEndpoint;
  /** The status answered (or that would have been, when dropped after); null while in flight or when dropped before. */
  readonly status: number | null;
  readonly hasAuthorization: boolean;
  /** `unchecked` when no token is required. */
  readonly authorization: 'absent' | 'matched' | 'unmatched' | 'unchecked';
  /** The fault injected, if any. */
  readonly fault?: 'error' | 'drop-before' | 'drop-after' | 'hang';
  /** The latency injected, in ms, if any. */
  readonly latencyMs?: number;
  /** RFC 3339 arrival time. */
  readonly at: string;
}
