import type { FaultConfig, FaultEndpoint } from './fake-http-types.js';

const ENDPOINTS: readonly FaultEndpoint[] = [
  'discover',
  'register',
  'take',
  'result',
  'event',
  'health',
  'packs',
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
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    return ['faults must be a JSON object'];
  const c = config as Record<string, unknown>;
  const isRate = (v: unknown) => v === undefined || (typeof v === 'number' && v >= 0 && v <= 1);
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
  if (
    c.endpoints !== undefined &&
    !(
      Array.isArray(c.endpoints) && c.endpoints.every((e) => ENDPOINTS.includes(e as FaultEndpoint))
    )
  ) {
    problems.push(`endpoints must be an array of ${ENDPOINTS.map((e) => `"${e}"`).join(', ')}`);
  }
  return problems;
}

/**
 * What to do with one request.
 *
 * @example
 * const d: FaultDecision = faults.decide('take'); // { latencyMs: 0, fault: undefined }
 */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly fault?: 'error' | 'drop-before' | 'drop-after' | 'hang';
}

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
    const {
      errorRate = 0,
      dropRate = 0,
      dropWhen = 'before',
      latencyMs = 0,
      endpoints,
    } = this.config;
    const active = errorRate > 0 || dropRate > 0 || latencyMs > 0;
    if (!active || !endpoint || (endpoints && !endpoints.includes(endpoint)))
      return { latencyMs: 0 };
    const [errorDraw, dropDraw] = [this.random(), this.random()];
    if (errorDraw < errorRate) return { latencyMs, fault: 'error' };
    if (dropDraw < dropRate)
      return {
        latencyMs,
        fault: dropWhen === 'before' ? 'drop-before' : dropWhen === 'after' ? 'drop-after' : 'hang',
      };
    return { latencyMs };
  }
}
