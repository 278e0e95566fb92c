import type {
  BodyFault,
  FaultConfig,
  FaultEndpoint,
  FaultPatch,
  RedirectFault,
} from './fake-http-types.js';

const ENDPOINTS: readonly FaultEndpoint[] = [
  'discover',
  'register',
  'take',
  'result',
  'event',
  'health',
  'packs',
  'audit',
];

/**
 * A tiny seeded PRNG (mulberry32): the same seed gives the same sequence, in Node and browsers.
 *
 * @param seed - any 32-bit integer.
 * @returns a function returning numbers in [0, 1).
 * @example
 * const rand = mulberry32(42);
 * rand(); // always the same first number for seed 42
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Checks a fault configuration (rates in [0, 1], known endpoints, ...).
 *
 * @param config - the configuration, e.g. a parsed `POST /_fake/faults` body.
 * @returns the problems found; empty when valid.
 * @example
 * faultConfigProblems({ errorRate: 2 }); // ['errorRate must be a number in [0, 1]']
 */
export function faultConfigProblems(config: unknown): string[] {
  if (!isObject(config)) return ['faults must be a JSON object'];
  const c = config;
  const problems: string[] = [];
  for (const key of ['errorRate', 'dropRate'])
    if (!isRate(c[key])) problems.push(`${key} must be a number in [0, 1]`);
  if (c.dropWhen !== undefined && !['before', 'after', 'hang'].includes(c.dropWhen as string)) {
    problems.push('dropWhen must be "before", "after" or "hang"');
  }
  if (c.latencyMs !== undefined && !(typeof c.latencyMs === 'number' && c.latencyMs >= 0)) {
    problems.push('latencyMs must be a number >= 0');
  }
  if (c.seed !== undefined && !Number.isInteger(c.seed)) problems.push('seed must be an integer');
  if (!isEndpoints(c.endpoints)) problems.push(`endpoints ${ENDPOINTS_PROBLEM}`);
  if (
    c.errorStatus !== undefined &&
    !(
      Number.isInteger(c.errorStatus) &&
      (c.errorStatus as number) >= 400 &&
      (c.errorStatus as number) <= 599
    )
  ) {
    problems.push('errorStatus must be a whole number from 400 to 599');
  }
  if (c.errorBody !== undefined && typeof c.errorBody !== 'string')
    problems.push('errorBody must be a string');
  if (
    c.retryAfter !== undefined &&
    !(Number.isInteger(c.retryAfter) && (c.retryAfter as number) >= 0)
  )
    problems.push('retryAfter must be a whole number of seconds >= 0');
  if (
    c.storeLatencyMs !== undefined &&
    !(typeof c.storeLatencyMs === 'number' && c.storeLatencyMs >= 0)
  )
    problems.push('storeLatencyMs must be a number >= 0');
  if (c.redirect !== undefined) problems.push(...redirectProblems(c.redirect));
  if (c.body !== undefined) problems.push(...bodyProblems(c.body));
  return problems;
}

/**
 * The faults in effect after a change: each setting of `patch` replaces the current one, `null`
 * removes it, a setting `patch` leaves out keeps its value. So a fault set at start (the CLI's
 * `--latency-ms`) survives a later change of another setting.
 *
 * | current                | patch                     | result                      |
 * |------------------------|---------------------------|-----------------------------|
 * | `{ latencyMs: 200 }`   | `{ errorRate: 0.2 }`      | `{ latencyMs: 200, errorRate: 0.2 }` |
 * | `{ latencyMs: 200 }`   | `{}`                      | `{ latencyMs: 200 }`        |
 * | `{ latencyMs: 200 }`   | `{ latencyMs: null }`     | `{}`                        |
 * | `{ latencyMs: 200 }`   | `{ latencyMs: 50 }`       | `{ latencyMs: 50 }`         |
 *
 * @param current - the faults in effect.
 * @param patch - the change.
 * @returns the merged faults (check them with {@link faultConfigProblems}).
 * @example
 * mergeFaults({ latencyMs: 200 }, { errorRate: 0.2 }); // { latencyMs: 200, errorRate: 0.2 }
 */
export function mergeFaults(current: FaultConfig, patch: FaultPatch): FaultConfig {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged as FaultConfig;
}

const ENDPOINTS_PROBLEM = `must be an array of ${ENDPOINTS.map((e) => `"${e}"`).join(', ')}`;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const BODY_MODES = ['huge', 'endless', 'truncated', 'gzip-bomb'];
const isEndpoints = (v: unknown) =>
  v === undefined || (Array.isArray(v) && v.every((e) => ENDPOINTS.includes(e as FaultEndpoint)));
const isRate = (v: unknown) => v === undefined || (typeof v === 'number' && v >= 0 && v <= 1);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The problems of a `redirect` fault, each prefixed with where it is. */
function redirectProblems(r: unknown): string[] {
  if (!isObject(r)) return ['redirect must be an object {status, location, endpoints?, rate?}'];
  const problems: string[] = [];
  if (!REDIRECT_STATUSES.includes(r.status as number))
    problems.push(`redirect.status must be one of ${REDIRECT_STATUSES.join(', ')}`);
  if (typeof r.location !== 'string' || r.location === '')
    problems.push('redirect.location must be a path or an absolute URL');
  if (!isEndpoints(r.endpoints)) problems.push(`redirect.endpoints ${ENDPOINTS_PROBLEM}`);
  if (!isRate(r.rate)) problems.push('redirect.rate must be a number in [0, 1]');
  return problems;
}

/** The problems of a `body` fault, each prefixed with where it is. */
function bodyProblems(b: unknown): string[] {
  if (!isObject(b)) return ['body must be an object {mode, bytes?, endpoints?, rate?}'];
  const problems: string[] = [];
  if (!BODY_MODES.includes(b.mode as string))
    problems.push(`body.mode must be one of ${BODY_MODES.map((m) => `"${m}"`).join(', ')}`);
  if (b.bytes !== undefined && !(Number.isSafeInteger(b.bytes) && (b.bytes as number) > 0))
    problems.push('body.bytes must be a whole number > 0');
  if (!isEndpoints(b.endpoints)) problems.push(`body.endpoints ${ENDPOINTS_PROBLEM}`);
  if (!isRate(b.rate)) problems.push('body.rate must be a number in [0, 1]');
  return problems;
}

/**
 * What to do with one request.
 *
 * @example
 * const d: FaultDecision = faults.decide('take'); // { latencyMs: 0 }
 */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly fault?: 'error' | 'drop-before' | 'drop-after' | 'hang';
  /** The answer of an injected error, when `fault` is `error`. */
  readonly error?: { readonly status: number; readonly body: string; readonly retryAfter?: number };
  /** Redirect the request, unless an error or a drop before struck. */
  readonly redirect?: RedirectFault;
  /** Send this body instead of the answer's. */
  readonly body?: BodyFault;
}

/** Bytes of a body fault that names none. */
export const DEFAULT_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Decides, request by request, which fault to inject, from a seeded PRNG.
 *
 * @example
 * const faults = new FaultInjector(1);
 * faults.configure({ errorRate: 1, endpoints: ['take'] });
 * faults.decide('take').fault; // 'error'
 */
export class FaultInjector {
  private config: FaultConfig = {};
  private random: () => number;

  /** @param defaultSeed - the seed used when a configuration names none. */
  constructor(private readonly defaultSeed: number) {
    this.random = mulberry32(defaultSeed);
  }

  /** Replaces the configuration and restarts the PRNG; `{}` clears. Throws on an invalid one. */
  configure(config: FaultConfig): void {
    const problems = faultConfigProblems(config);
    if (problems.length) throw new Error(`invalid faults: ${problems.join('; ')}`);
    this.config = { ...config };
    this.random = mulberry32(config.seed ?? this.defaultSeed);
  }

  /** Merges a change into the configuration ({@link mergeFaults}) and restarts the PRNG. Throws on an invalid result. */
  update(patch: FaultPatch): void {
    this.configure(mergeFaults(this.config, patch));
  }

  /** Removes every fault. */
  clear(): void {
    this.configure({});
  }

  /** The current configuration (`{}` when none). */
  current(): FaultConfig {
    return this.config;
  }

  /** The decision for one request to `endpoint`; draws from the PRNG only when it is faulted. */
  decide(endpoint: FaultEndpoint | undefined): FaultDecision {
    const { errorRate = 0, dropRate = 0, dropWhen = 'before', latencyMs = 0 } = this.config;
    const { endpoints, redirect, body } = this.config;
    if (!endpoint) return { latencyMs: 0 };
    const covers = (list = endpoints) => !list || list.includes(endpoint);
    const redirects = redirect !== undefined && covers(redirect.endpoints ?? endpoints);
    const bodies = body !== undefined && covers(body.endpoints ?? endpoints);
    const faulted = covers() && (errorRate > 0 || dropRate > 0 || latencyMs > 0);
    if (!faulted && !redirects && !bodies) return { latencyMs: 0 };
    const [errorDraw, dropDraw] = [this.random(), this.random()];
    const redirectDraw = redirects ? this.random() : 1;
    const bodyDraw = bodies ? this.random() : 1;
    const delay = covers() ? latencyMs : 0;
    if (faulted && errorDraw < errorRate)
      return { latencyMs: delay, fault: 'error', error: this.errorAnswer() };
    if (faulted && dropDraw < dropRate && dropWhen === 'before')
      return { latencyMs: delay, fault: 'drop-before' };
    const late =
      faulted && dropDraw < dropRate ? (dropWhen === 'after' ? 'drop-after' : 'hang') : undefined;
    return {
      latencyMs: delay,
      ...(late && { fault: late }),
      ...(redirectDraw < (redirect?.rate ?? 1) && { redirect }),
      ...(bodyDraw < (body?.rate ?? 1) && { body }),
    };
  }

  private errorAnswer(): NonNullable<FaultDecision['error']> {
    const { errorStatus = 500, errorBody = '', retryAfter } = this.config;
    return {
      status: errorStatus,
      body: errorBody,
      ...(retryAfter !== undefined && { retryAfter }),
    };
  }
}
