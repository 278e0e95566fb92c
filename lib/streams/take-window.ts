import type { PollOutcome } from '../model/outcomes.js';

/**
 * How fast the window of takes in flight grows while takes keep bringing actions: the window
 * gains `TAKE_WINDOW_GROWTH / lanes` per action, so one more take in flight after
 * `lanes / TAKE_WINDOW_GROWTH` actions in a row (10 at one take in flight, 20 at two). Takes
 * of one pack collide whenever two of them read the store at about the same time, so the
 * window must creep up to where collisions start rather than double towards it: one step of
 * growth per action (doubling per round trip) measured 30 take races per 100 takes against a
 * flyte-like store, this growth under 10.
 *
 * @example
 * nextTakeWindow(1, 'action', 8); // 1.1: ten actions in a row open a second lane
 */
export const TAKE_WINDOW_GROWTH = 0.1;

/**
 * The lanes (takes in flight) a fractional window allows: its whole part, at least one, with
 * the rounding error of summed growth steps forgiven.
 *
 * @param window - the window's size.
 * @returns the lanes in use.
 * @example
 * windowLanes(2.9999999999); // 3
 */
export const windowLanes = (window: number): number => Math.max(1, Math.floor(window + 1e-9));

/**
 * The next size of the window of takes in flight, an additive-increase /
 * multiplicative-decrease controller over a fractional size (the lanes in use are its whole
 * part): a little more after a take that brought an action (a backlog: take faster, up to
 * `max`, 0.1 per action at one lane by default), half the lanes after a take that lost a race (takes
 * collide: fewer), and back to one after an empty or failed take (no backlog, or trouble: a
 * quiet pack makes one take per interval). A lone race leaves two lanes at least: the take
 * policy spaces takes in flight after a race, which keeps two takes of one pack apart at the
 * store, and one lane would lose the overlap of round trips that two give; other races (in a
 * row, or frequent: the takes of other replicas, a store refusing every claim) halve it down
 * to one.
 *
 * @param window - the size now (from 1, fractional).
 * @param kind - how the latest take ended.
 * @param max - the largest size (`maxTakesInFlight`).
 * @param growth - the growth per action at one lane. @default 0.1
 * @param lone - with `contention`, whether the race is a lone one (the first in a row, races
 *   rare lately), which keeps two lanes. @default true
 * @returns the next size, between 1 and `max`.
 * @example
 * nextTakeWindow(1.95, 'action', 8); // 2.05: two takes in flight
 * nextTakeWindow(4.5, 'contention', 8); // 2
 * nextTakeWindow(2.5, 'contention', 8); // 2: a lone race
 * nextTakeWindow(2.5, 'contention', 8, 0.1, false); // 1: races in a row, or frequent
 * nextTakeWindow(4, 'empty', 8); // 1
 */
export function nextTakeWindow(
  window: number,
  kind: PollOutcome['kind'],
  max: number,
  growth = TAKE_WINDOW_GROWTH,
  lone = true,
): number {
  const top = Math.max(1, max);
  const lanes = windowLanes(window);
  switch (kind) {
    case 'action':
      return Math.min(top, window + growth / lanes);
    case 'contention':
      return Math.max(lone ? Math.min(2, lanes) : 1, Math.floor(lanes / 2));
    default:
      return 1;
  }
}
