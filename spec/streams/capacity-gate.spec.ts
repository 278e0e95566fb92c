import { CapacityGate } from '../../lib/streams/capacity-gate.js';

describe('CapacityGate', () => {
  it('reserves slots until none is free and frees them on release', () => {
    const gate = new CapacityGate(2);
    const seen: number[] = [];
    gate.free$.subscribe((n) => seen.push(n));
    expect([gate.reserve(), gate.reserve(), gate.reserve()]).toEqual([true, true, false]);
    gate.release();
    expect(gate.free).toBe(1);
    expect(seen).toEqual([2, 1, 0, 1]);
  });

  it('never counts more free slots than its capacity', () => {
    const gate = new CapacityGate(1);
    gate.release();
    expect(gate.free).toBe(1);
  });
});
