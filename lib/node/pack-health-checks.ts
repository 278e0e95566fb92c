import { catchError, map, type Observable, of, tap } from 'rxjs';
import type { Health, HealthCheck } from './health-check.js';
import { errorMessage } from '../model/errors.js';

/**
 * The check every pack reports, as the Go flyte client does: the process answers. It counts
 * for both probes: an event loop that cannot answer fails them by timing out.
 *
 * @returns a check named `DefaultCheck`, always healthy.
 * @example
 * startHealthServer({ checks: [defaultHealthCheck()] });
 */
export function defaultHealthCheck(): HealthCheck {
  return {
    name: 'DefaultCheck',
    probes: ['liveness', 'readiness'],
    check: () => ({ healthy: true, status: 'Pack is running.' }),
  };
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
  /** How long an answer of the flyte API is reused, in ms. @default `FLYTE_CHECK_CACHE_MS` */
  readonly cacheMs?: number;
  /** The clock of the cache, in ms. @default Date.now */
  readonly now?: () => number;
}

/** How long the flyte API check reuses its last answer, in ms: probes do not fan out to flyte. */
export const FLYTE_CHECK_CACHE_MS = 5000;

/**
 * A check that asks the flyte server's own health endpoint, through the pack. It is shown on
 * `/health` only, in no probe: restarting or unreadying packs does not mend flyte, and the
 * poll watchdog already tells readiness whether the pack can work.
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
  const cacheMs = options.cacheMs ?? FLYTE_CHECK_CACHE_MS;
  const now = options.now ?? Date.now;
  let cached: { at: number; health: Health } | undefined;
  return {
    name: 'FlyteApi',
    critical: options.critical ?? false,
    timeout: options.timeout,
    probes: [],
    check: () => {
      const time = now();
      if (cached && time - cached.at < cacheMs) return cached.health;
      return pack.flyteHealth().pipe(
        map(() => ({ healthy: true, status: 'the flyte API is up' })),
        catchError((e: unknown) =>
          of({
            healthy: false,
            status: `the flyte API is not healthy: ${errorMessage(e)}`,
          }),
        ),
        tap((health) => (cached = { at: now(), health })),
      );
    },
  };
}
