import {
  asyncScheduler,
  BehaviorSubject,
  type Observable,
  type SchedulerLike,
  Subject,
} from 'rxjs';
import type { Action } from '../model/wire-types.js';

/**
 * A slot reserved before a take ({@link SlotLedger.reserve}). The take decides what becomes of
 * it: an action binds it ({@link SlotReservation.bind}), after which only the end of that
 * action's result delivery frees it ({@link SlotLedger.settle}); an empty or failed take frees
 * it at once ({@link SlotReservation.free}).
 *
 * @example
 * const slot = ledger.reserve();
 * if (slot) api.takeAction(pack).subscribe((action) => (action ? slot.bind(action) : slot.free()));
 */
export interface SlotReservation {
  /**
   * The take brought `action`: the slot is its own until {@link SlotLedger.settle} is told
   * that its result's delivery ended. Does nothing on a reservation already bound or freed.
   *
   * @param action - the action taken (or recovered) into this slot.
   * @example
   * slot.bind(action);
   */
  bind(action: Pick<Action, 'id'>): void;
  /**
   * The take brought nothing or failed: the slot is free again. Does nothing once bound (an
   * action's slot is freed only by its settlement) or already freed.
   *
   * @example
   * slot.free();
   */
  free(): void;
}

/**
 * The options of a {@link SlotLedger}.
 *
 * @example
 * new SlotLedger(10, { remember: 660_000, scheduler });
 */
export interface SlotLedgerOptions {
  /**
   * How long a settled action is still reported by {@link SlotLedger.isHandling}, in ms: longer
   * than an audit scan can take to come back (its page may predate the delivery). 0 remembers
   * nothing. @default 0
   */
  readonly remember?: number;
  /** The clock of settlements. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/**
 * The one owner of a pack's handler slots (invariant 1: never take an action you cannot start,
 * or cannot deliver). A slot is reserved before a take, bound to the action the take brought,
 * and freed only when that action's result delivery has ended (delivered, refused and replaced
 * by FATAL, or given up): a pack whose results cannot be delivered stops taking. It also
 * answers whether an action is being handled, or was settled recently, so that a scan of the
 * audit never recovers the pack's own action. Every operation costs constant time (amortised):
 * settled actions are forgotten from the front of a queue ordered by settlement time.
 *
 * @example
 * const ledger = new SlotLedger(10);
 * const slot = ledger.reserve(); // before the take
 * slot?.bind(action); // the take brought an action
 * // ... its handler ran, its result was posted until the server accepted it:
 * ledger.settle(action);
 */
export class SlotLedger {
  private readonly slots: BehaviorSubject<number>;
  /** Bound slots per action id (one, unless a transport hands out one id twice). */
  private readonly bound = new Map<string, number>();
  /** When each recently settled action was settled (its latest settlement). */
  private readonly settledAt = new Map<string, number>();
  /** Settlements in time order, forgotten from `head` on: the queue that keeps settle O(1). */
  private readonly queue: Array<{ readonly id: string; readonly at: number }> = [];
  private head = 0;
  /** Slots reserved for a take that has not answered yet. */
  private reservedOnly = 0;
  private readonly remember: number;
  private readonly scheduler: SchedulerLike;

  /** The number of free slots, replaying the current one. */
  readonly free$: Observable<number>;
  /**
   * Emits each time a slot is freed (a take that brought nothing, a result's delivery ended),
   * after `free$` has the new count: what waits for a slot listens to, since a reservation
   * never lets anything on.
   */
  readonly freed$: Observable<void>;
  private readonly freedSlots = new Subject<void>();

  /**
   * @param capacity - the number of slots (handlers that may run at once), at least 1.
   * @param options - how long settled actions are remembered, and the clock.
   */
  constructor(
    readonly capacity: number,
    options: SlotLedgerOptions = {},
  ) {
    this.slots = new BehaviorSubject(capacity);
    this.free$ = this.slots.asObservable();
    this.freed$ = this.freedSlots.asObservable();
    this.remember = options.remember ?? 0;
    this.scheduler = options.scheduler ?? asyncScheduler;
  }

  /** The number of free slots now. */
  get free(): number {
    return this.slots.getValue();
  }

  /** The number of actions bound to a slot and not settled yet. */
  get handling(): number {
    return this.capacity - this.free - this.reservedOnly;
  }

  /**
   * Reserves a slot, if one is free: do it before a take.
   *
   * @returns the reservation, or `undefined` when every slot is in use.
   * @example
   * const slot = ledger.reserve();
   * if (!slot) return; // no take: an action taken now could not start
   */
  reserve(): SlotReservation | undefined {
    const free = this.free;
    if (free <= 0) return undefined;
    this.reservedOnly += 1;
    this.slots.next(free - 1);
    let state: 'reserved' | 'bound' | 'freed' = 'reserved';
    return {
      bind: (action) => {
        if (state !== 'reserved') return;
        state = 'bound';
        this.reservedOnly -= 1;
        this.bound.set(action.id, (this.bound.get(action.id) ?? 0) + 1);
      },
      free: () => {
        if (state !== 'reserved') return;
        state = 'freed';
        this.reservedOnly -= 1;
        this.release();
      },
    };
  }

  /**
   * The delivery of `action`'s result has ended (delivered, refused and replaced by FATAL, or
   * given up): its slot is free again. Call it from the delivery's report, never when the
   * result is produced: a result waiting in the outbox still holds its slot. Does nothing for
   * an action that holds no slot (never bound, or settled already).
   *
   * @param action - the action whose result delivery ended.
   * @example
   * deliveries$.subscribe((report) => report.item.kind === 'result' && ledger.settle(report.item.action));
   */
  settle(action: Pick<Action, 'id'>): void {
    const holding = this.bound.get(action.id);
    if (holding === undefined) return;
    if (holding > 1) this.bound.set(action.id, holding - 1);
    else this.bound.delete(action.id);
    if (this.remember > 0) this.recordSettled(action.id, this.scheduler.now());
    this.release();
  }

  /**
   * Whether `actionId` holds a slot now, or was settled at or after `since` (a scan that
   * started before the delivery may have read the action still PENDING).
   *
   * @param actionId - the action id.
   * @param since - when the scan asking started.
   * @returns true when a scan must leave the action alone.
   * @example
   * ledger.isHandling(auditAction.id, scanStartedAt);
   */
  isHandling(actionId: string, since: number): boolean {
    if (this.bound.has(actionId)) return true;
    const at = this.settledAt.get(actionId);
    return at !== undefined && at >= since;
  }

  private release(): void {
    this.slots.next(Math.min(this.capacity, this.free + 1));
    this.freedSlots.next();
  }

  /** Remembers one settlement and forgets, from the front, those older than `remember`. */
  private recordSettled(id: string, now: number): void {
    this.settledAt.set(id, now);
    this.queue.push({ id, at: now });
    const horizon = now - this.remember;
    while (this.head < this.queue.length && this.queue[this.head]!.at < horizon) {
      const { id: old, at } = this.queue[this.head]!;
      // A later settlement of the same id keeps it.
      if (this.settledAt.get(old) === at) this.settledAt.delete(old);
      this.head += 1;
    }
    // Drop the forgotten front once it is half the queue: amortised constant time.
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
