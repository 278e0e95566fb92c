import { RECOVERY_JITTER, scanDelay } from '../../lib/streams/scan-timing.js';

describe('scanDelay (a pure policy)', () => {
  const every = 1000;
  const cases: [what: string, first: boolean, random: number, backoff: number, wait: number][] = [
    ['the first scan, at the start of the period', true, 0, 0, 0],
    ['the first scan, at its own phase', true, 0.25, 0, 250],
    ['later, the shortest period', false, 0, 0, every * (1 - RECOVERY_JITTER)],
    ['later, the middle', false, 0.5, 0, every],
    ['later, the longest period', false, 1, 0, every * (1 + RECOVERY_JITTER)],
    ['after failures, the backoff when longer', false, 0.5, 5000, 5000],
    ['after failures, the period when longer', false, 0.5, 10, every],
  ];
  for (const [what, first, random, backoff, wait] of cases) {
    it(what, () => {
      expect(scanDelay({ every, random: () => random, first, backoff })).toBeCloseTo(wait, 6);
    });
  }
});
