import { HttpError } from '../../lib/model/errors.js';
import {
  contentionWaitMs,
  isTakeRace,
  resolveTakeContention,
} from '../../lib/streams/take-contention.js';

describe('contentionWaitMs', () => {
  it('waits a few ms after a lone race: between minWait and maxWait (1–4 ms by default)', () => {
    expect(contentionWaitMs({ random: () => 0 })).toBe(1);
    expect(contentionWaitMs({ random: () => 0.5 })).toBe(2);
    expect(contentionWaitMs({ random: () => 0.999 })).toBe(3);
  });

  it('doubles the wait for each race in a row, up to longestWait until checkHealthAfter races', () => {
    const half = { random: () => 0.5 }; // 2.5 ms before doubling
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => contentionWaitMs(half, n))).toEqual([
      2, 5, 10, 20, 40, 40, 40,
    ]);
    expect(contentionWaitMs({ ...half, longestWait: 12 }, 4)).toBe(12);
  });

  it('past checkHealthAfter races in a row, doubles the cap per race up to longestWaitAfterCheck', () => {
    const half = { random: () => 0.5 };
    // A store refusing writes while healthy: about one take a second per replica at most.
    expect([11, 12, 13, 14, 15, 50].map((n) => contentionWaitMs(half, n))).toEqual([
      80, 160, 320, 640, 1000, 1000,
    ]);
    const shorter = { ...half, checkHealthAfter: 2, longestWait: 4, longestWaitAfterCheck: 10 };
    expect([2, 3, 4, 9].map((n) => contentionWaitMs(shorter, n))).toEqual([4, 8, 10, 10]);
  });

  it('fills in defaults and never lets a bound cross another', () => {
    expect(resolveTakeContention()).toEqual(
      jasmine.objectContaining({
        minWait: 1,
        maxWait: 4,
        longestWait: 40,
        checkHealthAfter: 10,
        longestWaitAfterCheck: 1000,
      }),
    );
    const r = resolveTakeContention({ minWait: 30, maxWait: 5, longestWait: 10 });
    expect([r.minWait, r.maxWait, r.longestWait]).toEqual([30, 30, 30]);
  });
});

describe('isTakeRace', () => {
  const url = 'http://flyte/v1/packs/p/actions/take';
  it('is a 500 with an empty body, not a 500 that says what failed nor another status', () => {
    expect(isTakeRace(new HttpError({ method: 'POST', url, status: 500 }))).toBeTrue();
    expect(isTakeRace(new HttpError({ method: 'POST', url, status: 500, body: 'db' }))).toBeFalse();
    expect(isTakeRace(new HttpError({ method: 'POST', url, status: 503 }))).toBeFalse();
    expect(isTakeRace(new Error('500'))).toBeFalse();
  });
});
