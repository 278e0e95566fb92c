import { retryAfterMs } from '../../lib/api/retry-after.js';

describe('retryAfterMs (finding 7)', () => {
  const now = Date.parse('2026-10-21T07:28:00Z');

  it('reads delay-seconds', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 120 ', now)).toBe(120_000);
    expect(retryAfterMs('0', now)).toBe(0);
  });

  it('reads an HTTP date, counted from now; a date in the past is 0', () => {
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
  });

  it('ignores an absent, empty or unreadable value', () => {
    for (const value of [null, '', '  ', 'soon', '-3', '1.5', '12:00'])
      expect(retryAfterMs(value, now)).withContext(String(value)).toBeUndefined();
  });
});
