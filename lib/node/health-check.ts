import {
  asyncScheduler,
  catchError,
  defaultIfEmpty,
  defer,
  forkJoin,
  from,
  isObservable,
  map,
  type Observable,
  of,
  type SchedulerLike,
  take,
  timeout,
} from 'rxjs';
import { errorMessage } from '../model/errors.js';

/**
 * The outcome of one health check, as the health endpoint shows it.
 *
 * @example
 * const ok: Health = { healthy: true, status: 'connected to the rota service' };
 */
export interface Health {
  /** Whether the checked thing works. */
  readonly healthy: boolean;
  /** Anything JSON can carry that tells an operator what is going on. */
  readonly status: unknown;
}

/**
 * The probes a health server answers beside `/health` (which runs every check): `liveness`
 * (`GET /livez`) fails only when the process cannot make progress, so that restarting it
 * helps; `readiness` (`GET /readyz`) fails while the pack cannot do its work (not registered,
 * not polling, a dependency of yours down).
 *
 * @example
 * const probes: readonly Probe[] = ['readiness'];
 */
export type Probe = 'liveness' | 'readiness';

/**
 * A named health check. `check` may return the result, a promise of it or an observable
 * (its first value counts); throwing, rejecting or erroring makes it unhealthy with the
 * error's message, and so does taking longer than `timeout`.
 *
 * @example
 * const db: HealthCheck = { name: 'Database', check: async () => ({ healthy: await ping(), status: 'ping' }) };
 */
export interface HealthCheck {
  /** The check's name, the key of its answer in the report. */
  readonly name: string;
  /** Runs the check. */
  readonly check: () => Health | PromiseLike<Health> | Observable<Health>;
  /** Time the check may take, in ms. @default the server's `checkTimeout` (5000) */
  readonly timeout?: number;
  /** When false, the check is shown but its failure does not make the answer unhealthy (a 500 on `/health`, a 503 on a probe). @default true */
  readonly critical?: boolean;
  /**
   * The probes the check counts for besides `/health`. Liveness is for checks that only a
   * restart can mend: a check of something outside the process (a database, flyte) belongs
   * to readiness, or a restart loop follows every outage of it.
   * @default ['readiness']
   */
  readonly probes?: readonly Probe[];
}

/** Every check's outcome by name: the body of the health endpoint. */
export type HealthReport = Readonly<Record<string, Health>>;

/** Default time a check may take, in ms. */
export const DEFAULT_CHECK_TIMEOUT = 5000;

/**
 * Runs one check, bounded by its timeout: a throw, a rejection, an error, no value or a
 * malformed value is an unhealthy answer saying so, never an error.
 *
 * @param check - the check.
 * @param ms - its time limit, in ms.
 * @param scheduler - the scheduler of the timeout. @default asyncScheduler
 * @returns one health value, then completes.
 * @example
 * runHealthCheck({ name: 'Db', check: () => ping() }, 2000).subscribe((h) => console.log(h.healthy));
 */
export function runHealthCheck(
  check: HealthCheck,
  ms: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<Health> {
  return defer(() => {
    const result = check.check();
    if (isObservable(result)) return result;
    if (typeof (result as PromiseLike<Health>)?.then === 'function')
      return from(result as PromiseLike<Health>);
    return of(result as Health);
  }).pipe(
    take(1),
    map((h): Health => {
      if (typeof h?.healthy !== 'boolean')
        throw new Error('the check returned no { healthy, status }');
      return { healthy: h.healthy, status: showable(h.status ?? null) };
    }),
    timeout({
      first: ms,
      scheduler,
      with: () => of({ healthy: false, status: `timed out after ${ms} ms` }),
    }),
    defaultIfEmpty<Health, Health>({
      healthy: false,
      status: 'the check completed without a result',
    }),
    catchError((e: unknown) =>
      of({ healthy: false, status: `the check failed: ${errorMessage(e)}` }),
    ),
  );
}

/**
 * Runs every check at once, each bounded by its timeout, and reports whether the pack is
 * healthy: every critical check healthy.
 *
 * @param checks - the checks; names must be unique.
 * @param checkTimeout - the timeout of checks without their own, in ms. @default 5000
 * @param scheduler - the scheduler of the timeouts. @default asyncScheduler
 * @returns one `{ healthy, report }` value, then completes.
 * @example
 * runHealthChecks([{ name: 'DefaultCheck', check: () => ({ healthy: true, status: 'ok' }) }])
 *   .subscribe(({ healthy, report }) => console.log(healthy, report));
 */
export function runHealthChecks(
  checks: readonly HealthCheck[],
  checkTimeout: number = DEFAULT_CHECK_TIMEOUT,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<{
  /** Whether every critical check is healthy. */
  readonly healthy: boolean;
  /** Each check's answer, by name. */
  readonly report: HealthReport;
}> {
  if (checks.length === 0) return of({ healthy: true, report: {} });
  const runs = checks.map((c) => runHealthCheck(c, c.timeout ?? checkTimeout, scheduler));
  return forkJoin(runs).pipe(
    map((results) => ({
      healthy: results.every((h, i) => h.healthy || checks[i].critical === false),
      report: Object.fromEntries(results.map((h, i) => [checks[i].name, h])),
    })),
  );
}

/**
 * The `JSON.stringify` replacer of the health answer: a bigint becomes its decimal string.
 *
 * @param _key - unused.
 * @param value - the value to write.
 * @returns the value, JSON-ready.
 * @example
 * JSON.stringify({ n: 10n }, healthJsonReplacer); // '{"n":"10"}'
 */
export function healthJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** The status, or a message saying why it cannot be shown (a cycle), so one check cannot break the answer. */
function showable(status: unknown): unknown {
  try {
    JSON.stringify(status, healthJsonReplacer);
    return status;
  } catch (e) {
    return `the status cannot be shown as JSON: ${errorMessage(e)}`;
  }
}
