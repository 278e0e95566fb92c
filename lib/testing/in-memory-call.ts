import { Observable, type SchedulerLike, Subject } from 'rxjs';
import { type ApiCall, CallLog } from './in-memory-call-log.js';
import {
  type ApiMethod,
  type Fault,
  type FaultKind,
  FaultScript,
  faultError,
} from './in-memory-faults.js';
import { ModelError } from './flyte-model-types.js';

/** Answer delay in ms: one for every call, or per method (missing methods answer at once). */
export type Latency = number | Partial<Record<ApiMethod, number>>;

type Outcome<T> = { value: T } | { error: unknown } | 'hang';

/**
 * Turns a model operation into a cold observable call: logged, subject to the fault script,
 * answered synchronously or after the latency on the scheduler. Internal to the testing kit;
 * `InMemoryFlyteApi` is built on it.
 *
 * @example
 * const calls = new CallRunner(scheduler, 0);
 * calls.call('health', 'http://flyte.test/v1/health', {}, () => undefined).subscribe();
 */
export class CallRunner {
  /** The scripted faults. */
  readonly faults = new FaultScript();
  /** The call log. */
  readonly log = new CallLog();
  /** Each call as it is answered. */
  readonly answered = new Subject<ApiCall>();

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly latency: Latency,
  ) {}

  /**
   * A cold observable of one call: on subscription the call is logged and, unless a fault
   * strikes `before`, `effect` runs against the model (a {@link ModelError} becomes the HTTP
   * error its status stands for); the answer follows after the latency.
   */
  call<T>(
    method: ApiMethod,
    url: string,
    info: Partial<ApiCall>,
    effect: (note: (more: Partial<ApiCall>) => void) => T,
  ): Observable<T> {
    return new Observable<T>((subscriber) => {
      const time = this.scheduler.now();
      const seq = this.log.start({ ...info, method, url, time });
      const fault = this.faults.next({ method, url, time, attempt: this.log.count(method) });
      const note = (more: Partial<ApiCall>) => this.log.update(seq, more);
      const outcome = this.run(fault, method, url, () => effect(note));
      const cancel = () => this.log.cancel(seq, this.scheduler.now());
      if (outcome === 'hang') return cancel;
      const answer = () => {
        const now = this.scheduler.now();
        if ('error' in outcome) {
          this.answered.next(this.log.finish(seq, 'error', now, outcome.error));
          subscriber.error(outcome.error);
          return;
        }
        const empty = method === 'take' && outcome.value === null;
        this.answered.next(this.log.finish(seq, empty ? 'empty' : 'ok', now));
        subscriber.next(outcome.value);
        subscriber.complete();
      };
      const delay = typeof this.latency === 'number' ? this.latency : (this.latency[method] ?? 0);
      if (delay <= 0) return answer();
      const scheduled = this.scheduler.schedule(answer, delay);
      return () => {
        scheduled.unsubscribe();
        cancel();
      };
    });
  }

  /** Runs `effect` with the fault, if any, striking before or after it. */
  private run<T>(
    fault: Fault | undefined,
    method: ApiMethod,
    url: string,
    effect: () => T,
  ): Outcome<T> {
    const strike = (kind: FaultKind): Outcome<T> =>
      kind === 'hang' ? 'hang' : { error: faultError(kind, method, url) };
    if (fault && fault.when !== 'after') return strike(fault.fault);
    let value: T;
    try {
      value = effect();
    } catch (e) {
      return { error: e instanceof ModelError ? faultError(e.status, method, url, e.message) : e };
    }
    return fault ? strike(fault.fault) : { value };
  }
}
