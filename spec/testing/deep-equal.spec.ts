import { assertDeepEqual, deepEqual } from '../../lib/testing/deep-equal.js';

describe('deepEqual', () => {
  it('compares plain data structurally', () => {
    expect(deepEqual({ a: [1, { b: 'x' }], n: NaN }, { a: [1, { b: 'x' }], n: NaN })).toBeTrue();
    expect(deepEqual({ a: [1, 2] }, { a: [1, 2, 3] })).toBeFalse();
    expect(deepEqual({ a: 1 }, { a: '1' })).toBeFalse();
    expect(deepEqual([1], { 0: 1 })).toBeFalse();
    expect(deepEqual(null, {})).toBeFalse();
  });

  it('treats a key holding undefined as missing (marble notifications carry such keys)', () => {
    expect(deepEqual({ kind: 'N', error: undefined }, { kind: 'N' })).toBeTrue();
  });

  it('compares dates by time and errors by class, name and message', () => {
    expect(deepEqual(new Date(5), new Date(5))).toBeTrue();
    expect(deepEqual(new Date(5), new Date(6))).toBeFalse();
    expect(deepEqual(new TypeError('x'), new TypeError('x'))).toBeTrue();
    expect(deepEqual(new TypeError('x'), new Error('x'))).toBeFalse();
  });

  it('assertDeepEqual throws showing both sides', () => {
    expect(() => assertDeepEqual({ a: 1 }, { a: 2 })).toThrowError(
      /expected\s+\{"a":2\}\s+but got\s+\{"a":1\}/,
    );
    expect(() => assertDeepEqual([1], [1])).not.toThrow();
  });
});
