import {
  BehaviorSubject,
  filter,
  map,
  type Observable,
  ReplaySubject,
  Subject,
  takeUntil,
} from 'rxjs';
import type { Action, RegisteredPack } from '../model/wire-types.js';
import type { CapacityGate } from '../streams/capacity-gate.js';
import type { PackStatus } from './pack-options.js';
import type { ActionResult, PollOutcome } from '../model/outcomes.js';

/**
 * The observable state of a running pack: what a {@link Pack} exposes as `status$`,
 * `registered$`, `actions$`, `results$`, `errors$`, `polls$` and `inFlight$`. All of them
 * complete when the pack has stopped.
 *
 * @example
 * const channels = new PackChannels(gate);
 * channels.setStatus('registering');
 * channels.status$.subscribe(console.log); // 'registering'
 */
export class PackChannels {
  readonly status = new BehaviorSubject<PackStatus>('idle');
  readonly registered = new ReplaySubject<RegisteredPack>(1);
  readonly actions = new Subject<Action>();
  readonly results = new Subject<ActionResult>();
  readonly errors = new Subject<unknown>();
  readonly polls = new Subject<PollOutcome>();

  readonly status$: Observable<PackStatus> = this.status.asObservable();
  readonly registered$: Observable<RegisteredPack> = this.registered.asObservable();
  readonly actions$: Observable<Action> = this.actions.asObservable();
  readonly results$: Observable<ActionResult> = this.results.asObservable();
  readonly errors$: Observable<unknown> = this.errors.asObservable();
  readonly polls$: Observable<PollOutcome> = this.polls.asObservable();
  /** Slots in use: handlers running plus a take in flight, replaying the current count. */
  readonly inFlight$: Observable<number>;

  /**
   * @param gate - the pack's capacity gate.
   */
  constructor(gate: CapacityGate) {
    this.inFlight$ = gate.free$.pipe(
      map((free) => gate.capacity - free),
      takeUntil(this.status.pipe(filter((status) => status === 'stopped'))),
    );
  }

  /**
   * Moves to `status` unless the pack is stopping (only `stopped` follows `stopping`) or
   * stopped; repeats are dropped.
   *
   * @param status - the new status.
   * @example
   * channels.setStatus('running');
   */
  setStatus(status: PackStatus): void {
    const current = this.status.getValue();
    if (current === status || current === 'stopped') return;
    if (current === 'stopping' && status !== 'stopped') return;
    this.status.next(status);
  }

  /**
   * Completes every channel (after `stopped`).
   *
   * @example
   * channels.complete();
   */
  complete(): void {
    this.setStatus('stopped');
    for (const subject of [
      this.status,
      this.registered,
      this.actions,
      this.results,
      this.errors,
      this.polls,
    ]) {
      subject.complete();
    }
  }
}
