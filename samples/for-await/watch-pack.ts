/**
 * Consuming a running pack with `for await`, through `pack.actions()` and `pack.results()`
 * (by default lossless: every value is yielded, in order, even if the loop body is slow;
 * `'latest'` and `'drop'` skip what a slow body cannot keep up with). Every stream of a pack
 * completes when the pack stops, so these loops end by themselves; leaving a loop early
 * (`break`, `return`, a throw) unsubscribes.
 */
import type { Action, ActionResult, Pack } from 'flyte-client';

/** Counts of results by outcome. */
export interface Tally {
  readonly success: number;
  readonly fatal: number;
}

/**
 * Writes one line per action the pack takes, until the pack stops.
 *
 * @param pack - a pack (started or not: actions taken from now on are seen).
 * @param write - where lines go, e.g. `console.log`.
 * @returns how many actions were seen.
 * @example
 * const seen = logActions(pack, console.log); // runs alongside the pack
 * await pack.stop();
 * console.log(`${await seen} actions`);
 */
export async function logActions(pack: Pack, write: (line: string) => void): Promise<number> {
  let count = 0;
  for await (const action of pack.actions()) {
    count++;
    write(`took ${action.id}: ${action.command} ${JSON.stringify(action.input ?? null)}`);
  }
  return count;
}

/**
 * Writes one line per result, and tallies the outcomes, until the pack stops.
 *
 * @param pack - a pack.
 * @param write - where lines go.
 * @returns the tally of outcomes.
 * @example
 * const tally = await tallyResults(pack, console.log); // after pack.stop()
 */
export async function tallyResults(pack: Pack, write: (line: string) => void): Promise<Tally> {
  let success = 0;
  let fatal = 0;
  for await (const { action, event, outcome } of pack.results()) {
    if (outcome === 'success') success++;
    else fatal++;
    write(
      `${action.id} ${action.command} -> ${event.eventDef.name} ${JSON.stringify(event.payload)}`,
    );
  }
  return { success, fatal };
}

/**
 * The next `count` actions the pack takes; leaves the loop (and unsubscribes) once it has them.
 *
 * @param pack - a pack.
 * @param count - how many actions to wait for.
 * @returns the actions, or fewer if the pack stopped first.
 * @example
 * const [first] = await nextActions(pack, 1);
 */
export async function nextActions(pack: Pack, count: number): Promise<Action[]> {
  const actions: Action[] = [];
  if (count <= 0) return actions;
  for await (const action of pack.actions()) {
    actions.push(action);
    if (actions.length >= count) break;
  }
  return actions;
}

/**
 * Shows the newest result each time `show` is ready for one, until the pack stops: a slow
 * display (a dashboard, a status line) skips the results it could not keep up with, yet
 * always ends on the last one (`'latest'`; `'drop'` would skip that too).
 *
 * @param pack - a pack.
 * @param show - shows a result; the next one is fetched when its promise settles.
 * @returns the last result shown, if any.
 * @example
 * const last = await showLatestResult(pack, async (r) => dashboard.update(r));
 */
export async function showLatestResult(
  pack: Pack,
  show: (result: ActionResult) => Promise<void>,
): Promise<ActionResult | undefined> {
  let last: ActionResult | undefined;
  for await (const result of pack.results('latest')) {
    last = result;
    await show(result);
  }
  return last;
}
