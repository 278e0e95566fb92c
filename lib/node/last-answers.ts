import { asyncScheduler, firstValueFrom, from, map, race, type SchedulerLike, timer } from 'rxjs';
import { type Health, type HealthCheck, runHealthCheck } from './health-check.js';

/** How long a health answer waits for its checks before serving their last answers, in ms. */
export const DEFAULT_ANSWER_WITHIN = 500;

/** The outcome shown for a check still running its first time. */
const FIRST_RUN: Health = { healthy: false, status: 'no answer yet: the check is running' };

/**
 * The health checks' outcomes for answers that never wait long: each answer starts a run of
 * every check not already running (concurrent answers share a run, so 300 probes cost one
 * request to flyte), waits up to `answerWithin` for them, and serves, for a check still
 * running, its last outcome. A slow check goes on in the background, bounded by its own
 * timeout, and its outcome serves the next answers: a probe is answered within a second
 * whatever a check (flyte's health link, say) does.
 *
 * @example
 * const answers = new LastAnswers(5000);
 * const outcomes = await answers.of(checks, 500); // [{ check, health }, ...]
 */
export class LastAnswers {
  private readonly last = new Map<string, Health>();
  private readonly running = new Map<string, Promise<Health>>();

  /**
   * @param checkTimeout - the timeout of checks without their own, in ms.
   * @param scheduler - the scheduler of the timeouts and of the wait. @default asyncScheduler
   */
  constructor(
    private readonly checkTimeout: number,
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {}

  /**
   * The outcome of each check: fresh when its run ends within `answerWithin`, else its last.
   *
   * @param checks - the checks to answer for.
   * @param answerWithin - the longest wait for the runs, in ms.
   * @returns each check with its outcome, in the order given.
   * @example
   * const outcomes = await answers.of([defaultHealthCheck()], 500);
   */
  async of(
    checks: readonly HealthCheck[],
    answerWithin: number,
  ): Promise<Array<{ check: HealthCheck; health: Health }>> {
    const runs = Promise.all(checks.map((check) => this.run(check)));
    await firstValueFrom(
      race(from(runs).pipe(map(() => undefined)), timer(answerWithin, this.scheduler)),
    );
    return checks.map((check) => ({ check, health: this.last.get(check.name) ?? FIRST_RUN }));
  }

  private run(check: HealthCheck): Promise<Health> {
    let run = this.running.get(check.name);
    if (!run) {
      const ms = check.timeout ?? this.checkTimeout;
      run = firstValueFrom(runHealthCheck(check, ms, this.scheduler))
        .then((health) => {
          this.last.set(check.name, health);
          return health;
        })
        .finally(() => this.running.delete(check.name));
      this.running.set(check.name, run);
    }
    return run;
  }
}
