import type { WireEvent } from '../model/wire-types.js';
import type { ApiMethod } from './in-memory-faults.js';

/**
 * One call made to an in-memory API, as its log keeps it.
 *
 * @example
 * api.calls.filter((c: ApiCall) => c.method === 'take' && c.outcome === 'empty').map((c) => c.time);
 */
export interface ApiCall {
  /** Order of the call, from 0 (kept across {@link InMemoryFlyteApi.clearCalls}). */
  readonly seq: number;
  /** Which method of the API was called. */
  readonly method: ApiMethod;
  /** The (synthetic) URL called. */
  readonly url: string;
  /** `scheduler.now()` when the call was made (subscribed). */
  readonly time: number;
  /** `scheduler.now()` when it was answered or cancelled. */
  readonly endedAt?: number;
  /**
   * `pending` until answered; `ok`; `empty` (a take that found nothing, 204); `error`;
   * `cancelled` (unsubscribed before the answer).
   */
  readonly outcome: 'pending' | 'ok' | 'empty' | 'error' | 'cancelled';
  /** What the call failed with, when `outcome` is `error`. */
  readonly error?: unknown;
  /** The pack concerned, for calls about a registered pack. */
  readonly packId?: string;
  /** The action taken (take) or completed (complete). */
  readonly actionId?: string;
  /** The command asked for (take with a filter) or taken. */
  readonly command?: string;
  /** The event sent (complete, event). */
  readonly event?: WireEvent;
}

/**
 * The call log of an in-memory API. Internal to the testing kit; read it through
 * `InMemoryFlyteApi.calls`.
 *
 * @example
 * const log = new CallLog();
 * const seq = log.start({ method: 'take', url: 'u', time: 0 });
 * log.finish(seq, 'empty', 0).outcome; // 'empty'
 */
export class CallLog {
  private readonly bySeq = new Map<number, ApiCall>();
  private readonly counts = new Map<ApiMethod, number>();
  private nextSeq = 0;

  /** Logs a new call; returns its `seq`. */
  start(call: Omit<ApiCall, 'seq' | 'outcome'>): number {
    const seq = this.nextSeq++;
    this.bySeq.set(seq, { ...call, seq, outcome: 'pending' });
    this.counts.set(call.method, (this.counts.get(call.method) ?? 0) + 1);
    return seq;
  }

  /** Adds details learnt while the call ran (e.g. the action taken). */
  update(seq: number, more: Partial<ApiCall>): ApiCall {
    const call = { ...this.bySeq.get(seq)!, ...more, seq };
    if (this.bySeq.has(seq)) this.bySeq.set(seq, call);
    return call;
  }

  /** Records the answer; returns the finished call. */
  finish(seq: number, outcome: ApiCall['outcome'], endedAt: number, error?: unknown): ApiCall {
    return this.update(seq, { outcome, endedAt, ...(error === undefined ? {} : { error }) });
  }

  /** Marks the call cancelled, unless it was answered already. */
  cancel(seq: number, endedAt: number): void {
    if (this.bySeq.get(seq)?.outcome === 'pending')
      this.update(seq, { outcome: 'cancelled', endedAt });
  }

  /** Forgets the calls that have ended (the counts per method stay). */
  clear(): void {
    for (const [seq, call] of this.bySeq) if (call.outcome !== 'pending') this.bySeq.delete(seq);
  }

  /** How many calls of `method` were made so far. */
  count(method: ApiMethod): number {
    return this.counts.get(method) ?? 0;
  }

  /** Every call kept, oldest first (a copy). */
  all(): readonly ApiCall[] {
    return [...this.bySeq.values()];
  }
}
