import { nextTakeWindow, TAKE_WINDOW_GROWTH, windowLanes } from '../../lib/streams/take-window.js';

describe('nextTakeWindow', () => {
  /** The window after `n` actions in a row from `from`. */
  const afterActions = (n: number, from = 1, max = 8) => {
    let w = from;
    for (let i = 0; i < n; i++) w = nextTakeWindow(w, 'action', max);
    return w;
  };

  it('grows by one lane per 1/growth actions at one lane, per 2/growth at two, up to max', () => {
    const perLane = Math.round(1 / TAKE_WINDOW_GROWTH); // 10
    expect(windowLanes(afterActions(perLane - 1))).toBe(1);
    expect(windowLanes(afterActions(perLane))).toBe(2);
    expect(windowLanes(afterActions(perLane + 2 * perLane - 1))).toBe(2);
    expect(windowLanes(afterActions(perLane + 2 * perLane))).toBe(3);
    expect(afterActions(1000, 1, 4)).toBe(4);
    expect(nextTakeWindow(1, 'action', 8, 1)).toBe(2); // growth 1: a lane per action
  });

  it('halves the lanes after a race, never under one', () => {
    expect(nextTakeWindow(8, 'contention', 8)).toBe(4);
    expect(nextTakeWindow(5.9, 'contention', 8)).toBe(2);
    expect(nextTakeWindow(1.5, 'contention', 8)).toBe(1);
    expect(nextTakeWindow(3.5, 'contention', 8, TAKE_WINDOW_GROWTH, false)).toBe(1);
  });

  it('leaves two lanes after a lone race, one after races in a row or frequent ones', () => {
    expect(nextTakeWindow(2.5, 'contention', 8)).toBe(2);
    expect(nextTakeWindow(3.9, 'contention', 8, TAKE_WINDOW_GROWTH, true)).toBe(2);
    expect(nextTakeWindow(2.5, 'contention', 8, TAKE_WINDOW_GROWTH, false)).toBe(1);
    expect(nextTakeWindow(1.5, 'contention', 8, TAKE_WINDOW_GROWTH, true)).toBe(1); // never opens one
  });

  it('collapses to one after an empty or a failed take', () => {
    expect(nextTakeWindow(6, 'empty', 8)).toBe(1);
    expect(nextTakeWindow(6, 'error', 8)).toBe(1);
  });

  it('stays at one when max is one (one take in flight)', () => {
    expect(afterActions(100, 1, 1)).toBe(1);
  });
});
