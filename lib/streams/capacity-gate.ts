import { BehaviorSubject, type Observable } from 'rxjs';

/**
 * Counts the free handler slots of a pack. The poller reserves a slot before it sends a take
 * and gives it back when the take returns nothing or when the action's result is produced,
 * so the pack never takes an action it cannot start (a take commits the action on the server).
 *
 * @example
 * const gate = new CapacityGate(10);
 * gate.free$.pipe(filter((n) => n > 0), take(1)).subscribe(() => gate.reserve() && takeOne());
 */
export class CapacityGate {
  private readonly slots: BehaviorSubject<number>;

  /** The number of free slots, replaying the current one. */
  readonly free$: Observable<number>;

  /**
   * @param capacity - the number of slots (handlers that may run at once), at least 1.
   */
  constructor(readonly capacity: number) {
    this.slots = new BehaviorSubject(capacity);
    this.free$ = this.slots.asObservable();
  }

  /** The number of free slots now. */
  get free(): number {
    return this.slots.getValue();
  }

  /**
   * Takes a slot if one is free.
   *
   * @returns whether a slot was reserved.
   * @example
   * if (gate.reserve()) takeOne();
   */
  reserve(): boolean {
    const free = this.free;
    if (free <= 0) return false;
    this.slots.next(free - 1);
    return true;
  }

  /**
   * Gives a slot back. Never raises the count above the capacity.
   *
   * @example
   * results$.subscribe(() => gate.release());
   */
  release(): void {
    this.slots.next(Math.min(this.capacity, this.free + 1));
  }
}
