import { TestScheduler } from 'rxjs/testing';
import type { RecordedResult } from './server-records.js';

/**
 * An action result a marble test expects: a {@link RecordedResult} whose `payload` may be
 * left out to check the command and the event only.
 *
 * @example
 * const r: ExpectedResult = { command: 'Rota', event: 'RotaRetrieved' }; // whoever is on call
 */
export interface ExpectedResult {
  /** The command of the action. */
  readonly command: string;
  /** The result event's name. */
  readonly event: string;
  /** The result event's payload; not compared when absent. */
  readonly payload?: unknown;
}

/**
 * How to compare the results a server recorded with an expectation's marbles: a result is
 * compared without its payload where the value the marbles expect at its frame (and its place
 * in that frame) has none; every other result as it is.
 *
 * @param marbles - the expected marbles, in run mode (`TestScheduler.run`).
 * @param values - their values.
 * @param now - the current frame (the test scheduler's `now`).
 * @returns the projection to apply to each recorded result as it is recorded.
 * @example
 * results$.pipe(map(comparableTo('a', { a: { command: 'Rota', event: 'RotaRetrieved' } }, () => scheduler.now())));
 */
export function comparableTo(
  marbles: string,
  values: Readonly<Record<string, ExpectedResult>> | undefined,
  now: () => number,
): (result: RecordedResult) => ExpectedResult {
  const expected = TestScheduler.parseMarbles(marbles, values, undefined, false, true);
  const countAt = new Map<number, number>();
  return (result) => {
    const frame = now();
    const place = countAt.get(frame) ?? 0;
    countAt.set(frame, place + 1);
    const atFrame = expected.filter((m) => m.frame === frame && m.notification.kind === 'N');
    const notification = atFrame[place]?.notification;
    const value: unknown = notification?.kind === 'N' ? notification.value : undefined;
    return typeof value === 'object' && value !== null && !('payload' in value)
      ? { command: result.command, event: result.event }
      : result;
  };
}
