import { isHttpError } from '../model/errors.js';

/**
 * How the take loop treats a take that lost a race with another take (see {@link isTakeRace}):
 * a short jittered wait, and a health check of the server after a run of them, so that a real
 * outage answering bare 500s is not taken for contention.
 *
 * @example
 * const contention: TakeContentionConfig = { minWait: 10, maxWait: 40, checkHealthAfter: 10 };
 */
export interface TakeContentionConfig {
  /** The shortest wait before the take is retried, in ms. @default 10 */
  readonly minWait?: number;
  /** The longest wait before the take is retried, in ms. @default 40 */
  readonly maxWait?: number;
  /**
   * Bare 500s in a row after which the server's health is checked before the next one is
   * taken for contention; an unhealthy server makes it a failed take (with backoff). While the
   * server stays unhealthy, each further bare 500 checks again. @default 10
   */
  readonly checkHealthAfter?: number;
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
 * Fills in the defaults of a {@link TakeContentionConfig}: 10–40 ms, a health check after 10
 * bare 500s in a row, `Math.random`.
 *
 * @param config - the settings given, if any.
 * @returns every setting, defaults filled in.
 * @example
 * resolveTakeContention({ maxWait: 20 }).checkHealthAfter; // 10
 */
export function resolveTakeContention(
  config: TakeContentionConfig = {},
): Required<TakeContentionConfig> {
  const minWait = config.minWait ?? 10;
  return {
    minWait,
    maxWait: Math.max(minWait, config.maxWait ?? 40),
    checkHealthAfter: Math.max(1, config.checkHealthAfter ?? 10),
    random: config.random ?? Math.random,
  };
}

/**
 * The wait before a take that lost a race is retried: a random time between `minWait` and
 * `maxWait`, in whole milliseconds, so that racing takes spread apart.
 *
 * @param config - the contention settings.
 * @returns the wait in ms.
 * @example
 * contentionWaitMs({ random: () => 0.5 }); // 25 (10 + 0.5 * 30)
 */
export function contentionWaitMs(config: TakeContentionConfig = {}): number {
  const { minWait, maxWait, random } = resolveTakeContention(config);
  return Math.floor(minWait + random() * (maxWait - minWait));
}
