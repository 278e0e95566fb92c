/**
 * The waits between the runs of a failing handler: exponential, attempt `n` + 1 starting
 * `min(maxDelay, initialDelay * factor ** (n - 1))` ms after attempt `n` failed (with full
 * jitter when `random` is given), or a function of the retry's number (1 for the first) and
 * the error that returns the wait in ms.
 *
 * @example
 * const backoff: HandlerBackoff = { initialDelay: 500, factor: 3, maxDelay: 10_000 };
 * const fixed: HandlerBackoff = () => 2000;
 */
export type HandlerBackoff =
  | {
      /** The first wait, in ms. @default 1000 */
      readonly initialDelay?: number;
      /** Each wait is this many times the one before. @default 2 */
      readonly factor?: number;
      /** The longest wait, in ms. @default 60000 */
      readonly maxDelay?: number;
      /**
       * Random source in [0, 1) for full jitter (each wait random between 0 and its ceiling).
       * @default none: each wait is its ceiling, so a test knows when the next attempt runs
       */
      readonly random?: () => number;
    }
  | ((retry: number, error: unknown) => number);

/**
 * How a failing handler is run again before its action completes `FATAL`: the handler of a
 * command (or of every command of a pack, as the pack definition's default) that throws, whose
 * promise rejects or whose observable errors runs again after a backoff, up to `attempts` runs
 * in all. Its action keeps its slot meanwhile; `ActionResult.attempts` says how many runs it
 * took, and the handler's `context.attempt` which run it is.
 *
 * Not retried: an event the handler produced (a `FATAL` it returned included), an input its
 * schema refuses, an undeclared or invalid event, an empty observable — running again would
 * give the same answer — nor, unless `timeouts` is set, a run that ran out of time.
 *
 * @example
 * defineCommand({ name: 'Rota', outputEvents: [rotaRetrieved], handler,
 *   retry: { attempts: 3, backoff: { initialDelay: 500 }, retryIf: (e) => !(e instanceof RangeError) } });
 */
export interface HandlerRetry {
  /** Runs of the handler in all, the first included (1: no retry); a whole number >= 1. */
  readonly attempts: number;
  /** The waits between runs. @default { initialDelay: 1000, factor: 2, maxDelay: 60000 }, without jitter */
  readonly backoff?: HandlerBackoff;
  /**
   * Whether a run that failed with `error` may be retried (a timeout's error is a
   * `TimeoutError`); `attempt` is the number of the run that failed (1 for the first).
   * @default every error is retried
   */
  readonly retryIf?: (error: unknown, attempt: number) => boolean;
  /**
   * Whether a run that ran out of time (the command's `timeout`, else the pack's
   * `handlerTimeout`, which then bounds each run, not all of them) is retried.
   * @default false
   */
  readonly timeouts?: boolean;
}
