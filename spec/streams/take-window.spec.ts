import { TestScheduler } from 'rxjs/testing';
import type { PollOutcome } from '../../lib/model/outcomes.js';
import { nextTakeWindow, takeWindow } from '../../lib/streams/take-window.js';

describe('nextTakeWindow', () => {
  it('adds one after an action, up to max', () => {
    expect(nextTakeWindow(1, 'action', 8)).toBe(2);
    expect(nextTakeWindow(7, 'action', 8)).toBe(8);
    expect(nextTakeWindow(8, 'action', 8)).toBe(8);
  });

  it('halves after a race, never under one', () => {
    expect(nextTakeWindow(8, 'contention', 8)).toBe(4);
    expect(nextTakeWindow(5, 'contention', 8)).toBe(2);
    expect(nextTakeWindow(1, 'contention', 8)).toBe(1);
  });

  it('collapses to one after an empty or a failed take', () => {
    expect(nextTakeWindow(6, 'empty', 8)).toBe(1);
    expect(nextTakeWindow(6, 'error', 8)).toBe(1);
  });

  it('stays at one when max is one (one take in flight)', () => {
    expect(nextTakeWindow(1, 'action', 1)).toBe(1);
  });
});

describe('takeWindow', () => {
  it('starts at one and emits each change of the window over the outcomes', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(
      ({ cold, expectObservable }) => {
        const kinds: Record<string, PollOutcome['kind']> = {
          a: 'action',
          c: 'contention',
          e: 'empty',
          x: 'error',
        };
        const outcomes = Object.fromEntries(
          Object.entries(kinds).map(([k, kind]) => [k, { kind, time: 0 }]),
        ) as Record<string, PollOutcome>;
        const outcome$ = cold<PollOutcome>('-a-a-a-a-c-c-e-a-x', outcomes);
        expectObservable(outcome$.pipe(takeWindow(4))).toBe('12-3-4---2-1---2-1', {
          1: 1,
          2: 2,
          3: 3,
          4: 4,
        });
      },
    );
  });
});
