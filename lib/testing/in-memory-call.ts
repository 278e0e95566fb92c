import { Observable, type SchedulerLike, Subject, type Subscription } from 'rxjs';
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
 * What an effect returns when the store takes time: wait `ms` on the scheduler, then go on
 * with `next` (the server does this work even when the caller stops waiting).
 *
 * @example
 * const later = new StoreStep(2, () => model.claimAction(packId, id));
 */
export class StoreStep<T> {
  constructor(
    readonly ms: number,
    readonly next: () => T | StoreStep<T>,
  ) {}
}

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
   * error its status stands for, a 500 with an empty body as flyte sends it); an effect that
   * returns a {@link StoreStep} goes on after that time on the scheduler; the answer follows
   * after the latency.
   */
  call<T>(
    method: ApiMethod,
    url: string,
    info: Partial<ApiCall>,
    effect: (note: (more: Partial<ApiCall>) => void) => T | StoreStep<T>,
  ): Observable<T> {
    return new Observable<T>((subscriber) => {
      const time = this.scheduler.now();
      const seq = this.log.start({ ...info, method, url, time });
      const fault = this.faults.next({ method, url, time, attempt: this.log.count(method) });
      const note = (more: Partial<ApiCall>) => this.log.update(seq, more);
      let open = true;
      let scheduled: Subscription | undefined;
      const answer = (outcome: { value: T } | { error: unknown }) => () => {
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
      const settle = (outcome: Outcome<T>) => {
        if (outcome === 'hang' || !open) return;
        const delay = typeof this.latency === 'number' ? this.latency : (this.latency[method] ?? 0);
        if (delay <= 0) answer(outcome)();
        else scheduled = this.scheduler.schedule(answer(outcome), delay);
      };
      const step = (f: () => T | StoreStep<T>, first: boolean) => {
        const outcome = this.run(first ? fault : undefined, fault, method, url, f);
        if (outcome instanceof StoreStep) {
          this.scheduler.schedule(() => step(outcome.next, false), outcome.ms);
        } else settle(outcome);
      };
      step(() => effect(note), true);
      return () => {
        open = false;
        scheduled?.unsubscribe();
        this.log.cancel(seq, this.scheduler.now());
      };
    });
  }

  /** Runs one step of `effect`, the fault striking before the first step or after the last. */
  private run<T>(
    before: Fault | undefined,
    fault: Fault | undefined,
    method: ApiMethod,
    url: string,
    effect: () => T | StoreStep<T>,
  ): Outcome<T> | StoreStep<T> {
    const strike = (kind: FaultKind): Outcome<T> =>
      kind === 'hang' ? 'hang' : { error: faultError(kind, method, url) };
    if (before && before.when !== 'after') return strike(before.fault);
    let value: T | StoreStep<T>;
    try {
      value = effect();
    } catch (e) {
      if (!(e instanceof ModelError)) return { error: e };
      // flyte's 500s are bare: the error carries no body, as the HTTP adapter would raise it
      return { error: faultError(e.status, method, url, e.status === 500 ? '' : e.message) };
    }
    if (value instanceof StoreStep) return value;
    return fault && fault.when === 'after' ? strike(fault.fault) : { value };
  }
}
