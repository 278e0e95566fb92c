import type { SchedulerLike } from 'rxjs';
import { SlotLedger } from '../../lib/streams/slot-ledger.js';
import { countIterations } from '../support/count-iterations.js';

/** A clock that says what the spec sets: virtual time, no timers. */
function clock(): SchedulerLike & { at: number } {
  const c = {
    at: 0,
    now: () => c.at,
    schedule: () => {
      throw new Error('the ledger schedules nothing');
    },
  };
  return c as unknown as SchedulerLike & { at: number };
}

describe('SlotLedger', () => {
  const action = (id: string) => ({ id });

  it('reserves slots until none is free; an empty or failed take frees its reservation at once', () => {
    const ledger = new SlotLedger(2);
    const seen: number[] = [];
    ledger.free$.subscribe((n) => seen.push(n));
    const first = ledger.reserve();
    const second = ledger.reserve();
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(ledger.reserve()).toBeUndefined();
    first!.free();
    first!.free(); // twice: still one slot back
    expect(ledger.free).toBe(1);
    expect(seen).toEqual([2, 1, 0, 1]);
  });

  it('holds a bound slot until the action is settled: the reservation can no longer free it', () => {
    const ledger = new SlotLedger(1);
    const slot = ledger.reserve()!;
    slot.bind(action('42'));
    slot.free(); // too late: only the end of the result's delivery frees an action's slot
    expect(ledger.free).toBe(0);
    expect(ledger.handling).toBe(1);
    ledger.settle(action('42'));
    expect(ledger.free).toBe(1);
    expect(ledger.handling).toBe(0);
  });

  it('tells freed$ of each slot freed (an empty take, a settled action), never of a reservation', () => {
    const ledger = new SlotLedger(2);
    const told: number[] = [];
    ledger.freed$.subscribe(() => told.push(ledger.free)); // the new count is in place
    const empty = ledger.reserve()!;
    const taken = ledger.reserve()!;
    taken.bind(action('7'));
    expect(told).toEqual([]);
    empty.free();
    ledger.settle(action('7'));
    ledger.settle(action('7')); // settled already: nothing freed
    expect(told).toEqual([1, 2]);
  });

  it('frees nothing for an action that holds no slot: unknown, or settled already', () => {
    const ledger = new SlotLedger(2);
    ledger.reserve()!.bind(action('a'));
    ledger.reserve(); // a take in flight
    ledger.settle(action('unknown'));
    expect(ledger.free).toBe(0);
    ledger.settle(action('a'));
    ledger.settle(action('a')); // reported twice: one slot back, not two
    expect(ledger.free).toBe(1);
  });

  it('counts a slot per binding when one id is bound twice', () => {
    const ledger = new SlotLedger(3);
    ledger.reserve()!.bind(action('same'));
    ledger.reserve()!.bind(action('same'));
    ledger.settle(action('same'));
    expect(ledger.free).toBe(2);
    expect(ledger.isHandling('same', 0)).toBeTrue();
    ledger.settle(action('same'));
    expect(ledger.free).toBe(3);
  });

  it('reports an action as handled from its binding until settled, and after that to scans that started before', () => {
    const scheduler = clock();
    const ledger = new SlotLedger(2, { remember: 1000, scheduler });
    ledger.reserve()!.bind(action('a'));
    expect(ledger.isHandling('a', 0)).toBeTrue();
    expect(ledger.isHandling('b', 0)).toBeFalse();
    scheduler.at = 500;
    ledger.settle(action('a'));
    // A scan that started at 400 may have read a page from before the delivery: leave it alone.
    expect(ledger.isHandling('a', 400)).toBeTrue();
    // A scan that started after the delivery reads the action's real state.
    expect(ledger.isHandling('a', 501)).toBeFalse();
  });

  it('forgets settled actions `remember` ms after their settlement', () => {
    const scheduler = clock();
    const ledger = new SlotLedger(3, { remember: 1000, scheduler });
    ledger.reserve()!.bind(action('a'));
    ledger.reserve()!.bind(action('b'));
    ledger.settle(action('a')); // at 0
    scheduler.at = 2000;
    ledger.reserve()!.bind(action('c'));
    ledger.settle(action('c')); // forgets a, settled more than 1000 ago
    expect(ledger.isHandling('a', -1)).toBeFalse();
    expect(ledger.isHandling('b', 5000)).toBeTrue();
    expect(ledger.isHandling('c', 2000)).toBeTrue();
  });

  it('with `remember` 0 reports only the actions holding a slot', () => {
    const ledger = new SlotLedger(1);
    ledger.reserve()!.bind(action('a'));
    ledger.settle(action('a'));
    expect(ledger.isHandling('a', Number.NEGATIVE_INFINITY)).toBeFalse();
  });

  it('settles in constant time: at 1,000 actions/s in virtual time, each settle visits a bounded number of entries', () => {
    const scheduler = clock();
    // Settled ids kept 10 s: 10,000 of them at this rate, as a scan every 5 s would need.
    const ledger = new SlotLedger(1, { remember: 10_000, scheduler });
    let settles = 0;
    let visited = 0;
    let most = 0;
    for (let n = 0; n < 30_000; n += 1) {
      scheduler.at = n; // one action a millisecond
      ledger.reserve()!.bind(action(String(n)));
      const counted = countIterations(() => ledger.settle(action(String(n))));
      settles += 1;
      visited += counted.visited;
      most = Math.max(most, counted.visited);
    }
    expect(settles).toBe(30_000);
    expect(most).toBeLessThanOrEqual(8);
    expect(visited / settles).toBeLessThanOrEqual(2);
    // What it remembers is what `remember` asks for, and no more.
    expect(ledger.isHandling('19999', 19_999)).toBeTrue();
    expect(ledger.isHandling('19998', 0)).toBeFalse();
  });
});
