import {
  burstPollingProblems,
  burstWaitMs,
  DEFAULT_BURST_POLLING,
} from '../../lib/streams/burst-polling.js';

describe('burstWaitMs', () => {
  it('grows from `first` by `factor` per empty take since the activity, up to pollInterval', () => {
    const burst = { first: 100, factor: 2 };
    expect([0, 1, 2, 3, 5, 6].map((n) => burstWaitMs(burst, 5000, n))).toEqual([
      100, 200, 400, 800, 3200, 5000,
    ]);
    expect(burstWaitMs(burst, 5000, Number.POSITIVE_INFINITY)).toBe(5000); // quiet
  });

  it('rounds to whole ms', () => {
    expect(burstWaitMs(DEFAULT_BURST_POLLING, 5000, 1)).toBe(120);
    expect(burstWaitMs(DEFAULT_BURST_POLLING, 5000, 3)).toBe(173);
  });

  it('waits pollInterval every time with `false`', () => {
    expect([0, 1, 10].map((n) => burstWaitMs(false, 5000, n))).toEqual([5000, 5000, 5000]);
  });
});

describe('burstPollingProblems', () => {
  it('accepts false, undefined and a positive first with a factor above 1', () => {
    expect(burstPollingProblems(false, 'o')).toEqual([]);
    expect(burstPollingProblems(undefined, 'o')).toEqual([]);
    expect(burstPollingProblems({ first: 50, factor: 1.5 }, 'o')).toEqual([]);
  });

  it('names each bad field and its value', () => {
    expect(burstPollingProblems({ first: 0, factor: 1 }, 'options.burstPolling')).toEqual([
      'options.burstPolling.first: must be a number > 0, got 0',
      'options.burstPolling.factor: must be a number > 1, got 1',
    ]);
    expect(burstPollingProblems(true, 'options.burstPolling')).toEqual([
      'options.burstPolling: must be false or { first, factor }, got true',
    ]);
  });
});
