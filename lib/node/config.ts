import { PACK_DEFAULTS } from '../model/defaults.js';
import { ConfigError } from '../model/errors.js';
import type { BurstPolling } from '../streams/burst-polling.js';
import { redact } from '../model/redact.js';
import {
  parseBoolean,
  parseChoice,
  parseHost,
  parseHttpUrl,
  parseLabels,
  parseSecret,
  type Parsed,
} from './config-parsers.js';
import {
  parseBurstPolling,
  parseMillis,
  parsePort,
  parseSeconds,
  parseWholeNumber,
} from './config-numbers.js';

/** The levels a pack logs at, most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The log formats: `auto` is `pretty` on a TTY and `json` otherwise. */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
/** A log format. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * What a pack process reads from its environment (see `docs/node-runtime.md`).
 *
 * @example
 * const config: PackRuntimeConfig = readConfig(process.env);
 */
export interface PackRuntimeConfig {
  /** `FLYTE_API`: base URL of the flyte server. */
  readonly url: string;
  /** `FLYTE_JWT`: bearer token; never logged. @default none */
  readonly token?: string;
  /** `FLYTE_LABELS`: pack labels. @default {} */
  readonly labels: Readonly<Record<string, string>>;
  /** `FLYTE_API_TIMEOUT` in ms, 0 for none. @default 10000 */
  readonly requestTimeout: number;
  /** `FLYTE_POLL_INTERVAL_MS`: wait after an empty take. @default the pack's (5000) */
  readonly pollInterval?: number;
  /**
   * `FLYTE_MAX_TAKES_IN_FLIGHT`: the most takes in flight at once (1 to 1024; 1 keeps one).
   * @default the pack's (min(concurrency, 8))
   */
  readonly maxTakesInFlight?: number;
  /**
   * `FLYTE_BURST_POLLING`: `off` (a fixed poll interval) or `<first>,<factor>` (e.g. `100,1.2`).
   * @default the pack's ({ first: 100, factor: 1.2 })
   */
  readonly burstPolling?: false | BurstPolling;
  /** `FLYTE_HEALTH_PORT`; `null` disables the health server, 0 (overrides only) picks a free port. @default 8090 */
  readonly healthPort: number | null;
  /** `FLYTE_HEALTH_HOST`: address the health server listens on. @default '0.0.0.0' */
  readonly healthHost: string;
  /** `FLYTE_LOG_LEVEL`. @default 'info' */
  readonly logLevel: LogLevel;
  /** `FLYTE_LOG_FORMAT`. @default 'auto' */
  readonly logFormat: LogFormat;
  /** `FLYTE_INSECURE_TLS`: skip TLS certificate verification. @default false */
  readonly insecureTls: boolean;
  /**
   * `FLYTE_V8_OPTIMISE_EARLY`: have V8 optimise code sooner where it would wait thousands of
   * calls (Node 20 to 22; see `EARLY_OPTIMISATION`); a flag on node's command line wins.
   * @default true
   */
  readonly v8OptimiseEarly: boolean;
  /**
   * `FLYTE_RECOVER_STRANDED_AFTER` and `FLYTE_RECOVER_STRANDED_EVERY` (whole seconds, here in
   * ms): recover actions stranded PENDING longer than `after`, scanning every `every` (default
   * 300 s). Absent (recovery off) when `FLYTE_RECOVER_STRANDED_AFTER` is unset or 0.
   */
  readonly recoverStranded?: {
    /** ms an action must have been PENDING to count as stranded. */
    readonly after: number;
    /** ms between two scans of the audit. */
    readonly every: number;
  };
}

/** The environment: variable names to values. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Health server port used when `FLYTE_HEALTH_PORT` is not set (the Go client's). */
export const DEFAULT_HEALTH_PORT = 8090;
/**
 * Address the health server listens on when `FLYTE_HEALTH_HOST` is not set: every interface,
 * so that probes from outside the container (Kubernetes, a load balancer) reach it.
 */
export const DEFAULT_HEALTH_HOST = '0.0.0.0';

type Parser<T> = (name: string, value: string) => Parsed<T>;

/**
 * Reads the pack's runtime configuration from environment variables. Unset and empty
 * variables take their defaults. Every malformed value is collected, so one error lists
 * them all; the token's value never appears in it.
 *
 * @param env - the environment. @default process.env
 * @param overrides - values that replace (and skip the checks of) their variables.
 * @returns the configuration.
 * @throws {ConfigError} naming each bad variable, its value and the expected form.
 * @example
 * const config = readConfig({ FLYTE_API: 'http://localhost:8080', FLYTE_LABELS: 'env=dev' });
 */
export function readConfig(
  env: Env = process.env,
  overrides: Partial<PackRuntimeConfig> = {},
): PackRuntimeConfig {
  const problems: string[] = [];
  const read = <K extends keyof PackRuntimeConfig>(
    key: K,
    name: string,
    parse: Parser<PackRuntimeConfig[K]>,
    fallback: PackRuntimeConfig[K],
  ): PackRuntimeConfig[K] => {
    if (key in overrides && overrides[key] !== undefined) return overrides[key];
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const parsed = parse(name, raw);
    if (parsed.ok) return parsed.value;
    problems.push(parsed.problem);
    return fallback;
  };
  const base: PackRuntimeConfig = {
    url: read('url', 'FLYTE_API', parseHttpUrl, ''),
    token: read('token', 'FLYTE_JWT', parseSecret, undefined),
    labels: read('labels', 'FLYTE_LABELS', parseLabels, {}),
    requestTimeout: read('requestTimeout', 'FLYTE_API_TIMEOUT', parseSeconds, 10_000),
    pollInterval: read('pollInterval', 'FLYTE_POLL_INTERVAL_MS', parseMillis, undefined),
    maxTakesInFlight: read(
      'maxTakesInFlight',
      'FLYTE_MAX_TAKES_IN_FLIGHT',
      (name, value) => parseWholeNumber(name, value, 1, 1024, 'takes'),
      undefined,
    ),
    burstPolling: read('burstPolling', 'FLYTE_BURST_POLLING', parseBurstPolling, undefined),
    healthPort:
      overrides.healthPort === null
        ? null
        : read('healthPort', 'FLYTE_HEALTH_PORT', parsePort, DEFAULT_HEALTH_PORT),
    healthHost: read('healthHost', 'FLYTE_HEALTH_HOST', parseHost, DEFAULT_HEALTH_HOST),
    logLevel: read('logLevel', 'FLYTE_LOG_LEVEL', parseChoice(LOG_LEVELS), 'info'),
    logFormat: read('logFormat', 'FLYTE_LOG_FORMAT', parseChoice(LOG_FORMATS), 'auto'),
    insecureTls: read('insecureTls', 'FLYTE_INSECURE_TLS', parseBoolean, false),
    v8OptimiseEarly: read('v8OptimiseEarly', 'FLYTE_V8_OPTIMISE_EARLY', parseBoolean, true),
  };
  const recoverStranded =
    'recoverStranded' in overrides ? overrides.recoverStranded : readRecoverStranded(env, problems);
  const config: PackRuntimeConfig = recoverStranded ? { ...base, recoverStranded } : base;
  if (!config.url && !env.FLYTE_API?.trim()) {
    problems.unshift(
      'FLYTE_API is not set; expected the absolute http(s) URL of the flyte server, e.g. http://flyte:8080',
    );
  }
  if (problems.length > 0) {
    // A token pasted into the wrong variable must not leak through the problem list either.
    throw new ConfigError(problems.map((p) => redact(p, [env.FLYTE_JWT?.trim()])));
  }
  return config;
}

/**
 * Default of `FLYTE_RECOVER_STRANDED_EVERY`, in seconds: the pack's recovery default.
 *
 * @example
 * readConfig({ FLYTE_API: url, FLYTE_RECOVER_STRANDED_AFTER: '600' }).recoverStranded?.every; // DEFAULT_RECOVER_STRANDED_EVERY * 1000
 */
export const DEFAULT_RECOVER_STRANDED_EVERY = PACK_DEFAULTS.recovery.every / 1000;

/**
 * Reads `FLYTE_RECOVER_STRANDED_AFTER` (whole seconds, 0 or unset = off) and
 * `FLYTE_RECOVER_STRANDED_EVERY` (whole seconds >= 1, default 300), in ms.
 *
 * @param env - the environment.
 * @param problems - each malformed value is added here, naming its variable.
 * @returns `{ after, every }` in ms, or `undefined` when recovery is off.
 * @example
 * readRecoverStranded({ FLYTE_RECOVER_STRANDED_AFTER: '5' }, []); // { after: 5000, every: 300000 }
 */
export function readRecoverStranded(
  env: Env,
  problems: string[],
): { readonly after: number; readonly every: number } | undefined {
  const max = Math.floor((2 ** 31 - 1) / 1000);
  const seconds = (name: string, min: number, unit: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const parsed = parseWholeNumber(name, raw, min, max, unit);
    if (parsed.ok) return parsed.value;
    problems.push(parsed.problem);
    return fallback;
  };
  const after = seconds('FLYTE_RECOVER_STRANDED_AFTER', 0, 'seconds (0 = off)', 0);
  const every = seconds(
    'FLYTE_RECOVER_STRANDED_EVERY',
    1,
    'seconds',
    DEFAULT_RECOVER_STRANDED_EVERY,
  );
  return after > 0 ? { after: after * 1000, every: every * 1000 } : undefined;
}
