import { isHttpError } from '../model/errors.js';

/**
 * How the take loop treats a take that lost a race with another take (see `isTakeRace` below):
 * a short jittered wait (a few ms: long enough for the racing takes to drift apart, short
 * against a take's round trip), doubling for each further race in a row up to `longestWait`,
 * and a health check of the server after a run of them, so that a real outage answering bare
 * 500s is not taken for contention.
 *
 * @example
 * const contention: TakeContentionConfig = { minWait: 1, maxWait: 4, longestWait: 40, checkHealthAfter: 10 };
 * // past 10 races in a row with a healthy server: 80, 160, 320, 640, then 1000 ms (longestWaitAfterCheck)
 */
export interface TakeContentionConfig {
  /** The shortest wait before the take is retried after a lone race, in ms. @default 1 */
  readonly minWait?: number;
  /** The longest wait before the take is retried after a lone race, in ms. @default 4 */
  readonly maxWait?: number;
  /** The most any wait grows to while races go on in a row, in ms. @default 40 */
  readonly longestWait?: number;
  /**
   * Bare 500s in a row after which the server's health is checked before the next one is
   * taken for contention; an unhealthy server makes it a failed take (with backoff). While the
   * server stays unhealthy, each further bare 500 checks again; while it stays healthy, the
   * next check comes after as many more. @default 10
   */
  readonly checkHealthAfter?: number;
  /**
   * The most the wait grows to once bare 500s in a row run on past a health check that passed,
   * in ms: past `checkHealthAfter` of them, the cap doubles from `longestWait` for each further
   * one up to this. A store that refuses every write while its health answers 200 then costs
   * at most about one take per `longestWaitAfterCheck` per replica (the races halve the takes
   * in flight to one), instead of a take every `longestWait`. @default 1000
   */
  readonly longestWaitAfterCheck?: number;
  /** Random source in [0, 1) for the jitter; inject a fixed one in tests. @default Math.random */
  readonly random?: () => number;
}

/**
 * Whether a take's failure is a lost race: a 500 with an empty body. Flyte's take reads the
 * oldest NEW action and updates it only if it is still NEW; when another take got it first,
 * the update matches nothing and the answer is a bare 500. Nothing changed on the server, so
 * the take may be retried at once. A 500 with a body (the server said what failed) is not one.
 *
 * @param error - what the take failed with.
 * @returns whether it is a bare 500.
 * @example
 * isTakeRace(new HttpError({ method: 'POST', url, status: 500 })); // true
 * isTakeRace(new HttpError({ method: 'POST', url, status: 500, body: 'db down' })); // false
 */
export function isTakeRace(error: unknown): boolean {
  return isHttpError(error) && error.status === 500 && error.bodyExcerpt.trim() === '';
}

/**
 * Fills in the defaults of a {@link TakeContentionConfig}: 1–4 ms, doubling per race in a row
 * up to 40 ms, a health check after 10 bare 500s in a row, past it up to 1000 ms, `Math.random`.
 *
 * @param config - the settings given, if any.
 * @returns every setting, defaults filled in.
 * @example
 * resolveTakeContention({ maxWait: 20 }).checkHealthAfter; // 10
 */
export function resolveTakeContention(
  config: TakeContentionConfig = {},
): Required<TakeContentionConfig> {
  const minWait = config.minWait ?? 1;
  const maxWait = Math.max(minWait, config.maxWait ?? 4);
  const longestWait = Math.max(maxWait, config.longestWait ?? 40);
  return {
    minWait,
    maxWait,
    longestWait,
    checkHealthAfter: Math.max(1, config.checkHealthAfter ?? 10),
    longestWaitAfterCheck: Math.max(longestWait, config.longestWaitAfterCheck ?? 1000),
    random: config.random ?? Math.random,
  };
}

/**
 * The wait before a take that lost a race is retried: a random time between `minWait` and
 * `maxWait`, doubled for each earlier race in a row, at most `longestWait` for the first
 * `checkHealthAfter` races in a row and, past them, a cap doubling per race up to
 * `longestWaitAfterCheck`, in whole milliseconds, so that racing takes spread apart at once
 * and a long run of bare 500s (a crowd of replicas, or a store failure the health check does
 * not show) costs few requests.
 *
 * @param config - the contention settings.
 * @param inRow - the races in a row, this one included. @default 1
 * @returns the wait in ms.
 * @example
 * contentionWaitMs({ random: () => 0.5 }); // 2 (1 + 0.5 * 3)
 * contentionWaitMs({ random: () => 0.5 }, 3); // 10 (2.5 * 4)
 * contentionWaitMs({ random: () => 0.5 }, 10); // 40
 * contentionWaitMs({ random: () => 0.5 }, 12); // 160
 * contentionWaitMs({ random: () => 0.5 }, 30); // 1000
 */
export function contentionWaitMs(config: TakeContentionConfig = {}, inRow = 1): number {
  const resolved = resolveTakeContention(config);
  const { minWait, maxWait, longestWait, checkHealthAfter, random } = resolved;
  const doublings = Math.min(Math.max(0, inRow - 1), 16);
  const pastCheck = Math.min(Math.max(0, inRow - checkHealthAfter), 16);
  const cap = Math.min(resolved.longestWaitAfterCheck, longestWait * 2 ** pastCheck);
  return Math.floor(Math.min(cap, (minWait + random() * (maxWait - minWait)) * 2 ** doublings));
}
