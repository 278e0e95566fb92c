import { catchError, map, type Observable, of } from 'rxjs';
import type { HealthCheck } from './health-check.js';
import { errorMessage } from '../model/errors.js';

/**
 * The check every pack reports, as the Go flyte client does: the process answers.
 *
 * @returns a check named `DefaultCheck`, always healthy.
 * @example
 * startHealthServer({ checks: [defaultHealthCheck()] });
 */
export function defaultHealthCheck(): HealthCheck {
  return { name: 'DefaultCheck', check: () => ({ healthy: true, status: 'Pack is running.' }) };
}

/**
 * Options of {@link flyteApiHealthCheck}.
 *
 * @example
 * flyteApiHealthCheck(pack, { critical: true });
 */
export interface FlyteApiHealthCheckOptions {
  /**
   * Whether an unhealthy flyte server makes the pack unhealthy (HTTP 500). Off by default,
   * like the Go client: restarting packs does not mend the server, and the poll watchdog
   * already reports a pack that has been unable to poll for a while.
   * @default false
   */
  readonly critical?: boolean;
  /** Time the server's health endpoint gets, in ms. @default the health server's */
  readonly timeout?: number;
}

/**
 * A check that asks the flyte server's own health endpoint, through the pack.
 *
 * @param pack - anything with `flyteHealth()` (a `Pack`).
 * @param options - whether it is critical, and its timeout.
 * @returns a check named `FlyteApi`.
 * @example
 * startHealthServer({ checks: [defaultHealthCheck(), flyteApiHealthCheck(pack)] });
 */
export function flyteApiHealthCheck(
  pack: { flyteHealth(): Observable<void> },
  options: FlyteApiHealthCheckOptions = {},
): HealthCheck {
  return {
    name: 'FlyteApi',
    critical: options.critical ?? false,
    timeout: options.timeout,
    check: () =>
      pack.flyteHealth().pipe(
        map(() => ({ healthy: true, status: 'the flyte API is up' })),
        catchError((e: unknown) =>
          of({
            healthy: false,
            status: `the flyte API is not healthy: ${errorMessage(e)}`,
          }),
        ),
      ),
  };
}
