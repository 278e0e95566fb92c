import type { Health, HealthCheck, HealthReport, Probe } from './health-check.js';

/**
 * What a health server answers: `health` (every check, the Go flyte client's endpoint) or
 * one of the probes.
 *
 * @example
 * const answer: HealthAnswerKind = 'liveness';
 */
export type HealthAnswerKind = 'health' | Probe;

/** The paths a health server answers, and what each answers. */
const PATHS: Readonly<Record<string, HealthAnswerKind>> = {
  '/': 'health',
  '/health': 'health',
  '/livez': 'liveness',
  '/readyz': 'readiness',
};

/** The probes of a check that does not say. */
const DEFAULT_PROBES: readonly Probe[] = ['readiness'];

/**
 * What a request path asks for.
 *
 * @param path - the path, without the query.
 * @returns the kind of answer, or `undefined` for a path the health server does not serve.
 * @example
 * answerKindOf('/livez'); // 'liveness'
 */
export function answerKindOf(path: string): HealthAnswerKind | undefined {
  return Object.hasOwn(PATHS, path) ? PATHS[path] : undefined;
}

/**
 * Whether a check is run and shown for an answer: `health` shows every check; a probe only
 * the checks that list it (`['readiness']` when they list nothing).
 *
 * @param kind - the answer.
 * @param check - the check.
 * @returns whether the check belongs to the answer.
 * @example
 * countsFor('liveness', { name: 'Db', check }); // false: a database outage is no reason to restart
 */
export function countsFor(kind: HealthAnswerKind, check: Pick<HealthCheck, 'probes'>): boolean {
  return kind === 'health' || (check.probes ?? DEFAULT_PROBES).includes(kind);
}

/**
 * The status code and body of an answer from its checks' outcomes: healthy when every
 * critical check is. An unhealthy `/health` is a 500, as the Go client's; an unhealthy probe
 * a 503, the "not now" that Kubernetes and load balancers expect.
 *
 * @param kind - the answer.
 * @param outcomes - each check of the answer (see {@link countsFor}) with its outcome.
 * @returns whether it is healthy, the status code and the report (the body).
 * @example
 * probeVerdict('readiness', [{ check: { name: 'PollWatchdog' }, health: { healthy: false, status: 'no poll' } }]);
 * // { healthy: false, code: 503, report: { PollWatchdog: { healthy: false, status: 'no poll' } } }
 */
export function probeVerdict(
  kind: HealthAnswerKind,
  outcomes: ReadonlyArray<{
    /** The check. */
    readonly check: Pick<HealthCheck, 'name' | 'critical'>;
    /** Its outcome. */
    readonly health: Health;
  }>,
): {
  /** Whether every critical check is healthy. */
  readonly healthy: boolean;
  /** The HTTP status code. */
  readonly code: number;
  /** Each check's outcome by name. */
  readonly report: HealthReport;
} {
  const healthy = outcomes.every(({ check, health }) => health.healthy || check.critical === false);
  const code = healthy ? 200 : kind === 'health' ? 500 : 503;
  const report = Object.fromEntries(outcomes.map(({ check, health }) => [check.name, health]));
  return { healthy, code, report };
}
