import type { Observable } from 'rxjs';
import type { Health, HealthCheck, Probe } from './health-check.js';
import { errorMessage } from '../model/errors.js';

/**
 * A health check fed by a stream, with a subscription to end.
 *
 * @example
 * const check: LiveHealthCheck = streamHealthCheck('PollWatchdog', watchdog$);
 * check.unsubscribe();
 */
export interface LiveHealthCheck extends HealthCheck {
  /** Stops following the stream. */
  unsubscribe(): void;
}

/**
 * A health check that answers with the latest value of a health stream (such as the
 * {@link pollWatchdog}'s). It subscribes at once, so the stream's clock runs from now.
 * Before the first value it is unhealthy; if the stream errors, it stays unhealthy with
 * the error's message.
 *
 * @param name - the check's name in the report.
 * @param health$ - the stream of health values.
 * @param critical - whether its failure makes the answer unhealthy. @default true
 * @param probes - the probes it counts for besides `/health`. @default ['readiness']
 * @returns the check; call `unsubscribe()` when done.
 * @example
 * const check = streamHealthCheck('PollWatchdog', pollWatchdog(pack, { pollInterval: 5000 }));
 */
export function streamHealthCheck(
  name: string,
  health$: Observable<Health>,
  critical = true,
  probes: readonly Probe[] = ['readiness'],
): LiveHealthCheck {
  let latest: Health = { healthy: false, status: 'no reading yet' };
  const subscription = health$.subscribe({
    next: (h) => (latest = h),
    error: (e: unknown) =>
      (latest = {
        healthy: false,
        status: `the check stopped: ${errorMessage(e)}`,
      }),
  });
  return {
    name,
    critical,
    probes,
    check: () => latest,
    unsubscribe: () => subscription.unsubscribe(),
  };
}
