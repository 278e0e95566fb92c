import {
  afterPage,
  firstRequest,
  NO_SCAN_YET,
  type ScanLimits,
  type ScanMemory,
  type ScanStep,
  startScan,
} from '../../lib/streams/scan-plan.js';

/** Keys from `newest` down by 1 per flow: `count` flows. */
const keysDown = (newest: number, count: number) =>
  Array.from({ length: count }, (_, i) => newest - i);

/**
 * An audit of `total` flows whose keys are 1000, 999, … (the flow at depth d has key 1000 − d),
 * scanned at server time `now` from `memory` until the plan ends. Answers the starts asked for
 * and the step that ended the scan.
 */
function scan(memory: ScanMemory, now: number, total: number, limits: ScanLimits) {
  const starts: number[] = [];
  let request = firstRequest(memory, limits);
  let cursor = startScan(memory, now, limits);
  for (;;) {
    starts.push(request.start);
    const count = Math.max(0, Math.min(request.limit, total - request.start));
    const step: ScanStep = afterPage(
      cursor,
      { start: request.start, keys: keysDown(1000 - request.start, count) },
      limits,
    );
    if (!('next' in step)) return { starts, step };
    ({ cursor } = step);
    request = step.next;
  }
}

describe('the scan plan (a pure policy)', () => {
  const limits: ScanLimits = { after: 100, horizon: 800, pageSize: 10, maxRequests: 20 };

  // The flow at depth d is keyed 1000 − d: it is old once 1000 − d ≤ now − after.
  const cases: {
    what: string;
    memory: ScanMemory;
    now: number;
    total: number;
    maxRequests?: number;
    starts: number[];
    unread: ScanMemory['unread'];
    hint: number;
  }[] = [
    {
      what: 'no flow at all: one request, nothing left',
      memory: NO_SCAN_YET,
      now: 1100,
      total: 0,
      starts: [0],
      unread: [],
      hint: 0,
    },
    {
      what: 'everything old and short: one page',
      memory: NO_SCAN_YET,
      now: 1100,
      total: 5,
      starts: [0],
      unread: [],
      hint: 0,
    },
    {
      what: 'everything old: reads from the top on to the end',
      memory: NO_SCAN_YET,
      now: 1135, // keys ≤ 1035 are old: all of them
      total: 30,
      starts: [0, 10, 20, 30],
      unread: [],
      hint: 0,
    },
    {
      what: 'the cutoff 70 deep: estimates and doublings find it, then reading on from there',
      memory: NO_SCAN_YET,
      now: 1030, // keys ≤ 930 are old: depth ≥ 70
      total: 100,
      starts: [0, 40, 100, 69, 79, 89, 99],
      unread: [],
      hint: 70,
    },
    {
      what: 'from the hint: the cutoff found at once, then what the last scan left',
      memory: { cutoff: 920, unread: [{ oldest: 905, newest: 910 }], hint: 70 },
      now: 1030, // cutoff 930; keys 921…930 became old since the last scan
      total: 100,
      starts: [68, 78, 88],
      unread: [],
      hint: 70,
    },
    {
      what: 'the budget spent: what is left is remembered, newest first',
      memory: NO_SCAN_YET,
      now: 1030,
      total: 100,
      maxRequests: 5,
      starts: [0, 40, 100, 69, 79],
      unread: [{ oldest: 230, newest: 912 }],
      hint: 70,
    },
  ];

  for (const c of cases) {
    it(c.what, () => {
      const l = { ...limits, maxRequests: c.maxRequests ?? limits.maxRequests };
      const { starts, step } = scan(c.memory, c.now, c.total, l);
      expect(starts).toEqual(c.starts);
      expect('memory' in step && step.memory).toEqual({
        cutoff: c.now - limits.after,
        unread: c.unread,
        hint: c.hint,
      });
    });
  }

  it('a scan starts with the keys that became old since the last one, before the rest', () => {
    const cursor = startScan(
      { cutoff: 900, unread: [{ oldest: 300, newest: 500 }], hint: 4 },
      1000,
      { after: 50, horizon: 600 },
    );
    expect(cursor.unread).toEqual([
      { oldest: 901, newest: 950 },
      { oldest: 400, newest: 500 }, // the horizon (1000 − 600) clips the rest
    ]);
  });

  it('reports how far the scan got', () => {
    const { step } = scan(NO_SCAN_YET, 1030, 100, { ...limits, maxRequests: 5 });
    expect('reach' in step && step.reach).toEqual({
      requests: 5,
      deepest: 89,
      oldest: 912,
      cutoff: 930,
      unreadMs: 683,
    });
  });
});
