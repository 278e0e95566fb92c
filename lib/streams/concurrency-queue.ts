import { type Observable, type Subscriber, Subscription } from 'rxjs';

/**
 * How a {@link ConcurrencyQueue} starts its values and whom it tells.
 *
 * @example
 * const options: ConcurrencyQueueOptions<Action> = { concurrency: 4, start: (action, done) => run(action).then(done) };
 */
export interface ConcurrencyQueueOptions<T> {
  /** Values started and not yet done at once, at least 1. */
  readonly concurrency: number;
  /** Starts a value; it holds its slot until it calls `done` (once; later calls do nothing). */
  readonly start: (value: T, done: () => void) => void;
  /** The priority of a value: 0 starts ahead of 1. @default every value 0 */
  readonly priority?: (value: T) => number;
  /** Told the number of values waiting or started, each time one comes or is done. */
  readonly onSize?: (size: number) => void;
  /** Told at the end of each pass that started what it could. */
  readonly onDrained?: () => void;
}

/**
 * Values waiting for one of `concurrency` slots: each is started once a slot is free, lower
 * priority first and in arrival order within a priority, and keeps its slot until it says it
 * is done. The one owner of "at most `concurrency` at once" for `dispatch` and
 * `prioritisedMerge`: what `mergeMap(project, concurrency)` does, without an observable per
 * value. Starting is a loop, not recursion: values done while they are being started (a
 * handler that answers at once, a delivery given up at once) use constant stack, however
 * many are queued.
 *
 * @example
 * const queue = new ConcurrencyQueue({ concurrency: 2, start: (job, done) => void job().finally(done) });
 * jobs.forEach((job) => queue.push(job)); // two run at once, the rest wait their turn
 */
export class ConcurrencyQueue<T> {
  private readonly queues = new Map<number, T[]>();
  /** The priorities met so far, lowest first (kept sorted as they come). */
  private readonly order: number[] = [];
  private readonly concurrency: number;
  private active = 0;
  private waiting = 0;
  private draining = false;
  private closed = false;

  constructor(private readonly options: ConcurrencyQueueOptions<T>) {
    this.concurrency = Math.max(1, options.concurrency);
  }

  /** The values waiting or started and not yet done. */
  get size(): number {
    return this.waiting + this.active;
  }

  /** Queues `value` and starts it at once when a slot is free. */
  push(value: T): void {
    const key = this.options.priority?.(value) ?? 0;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = [];
      this.queues.set(key, queue);
      const at = this.order.findIndex((k) => k > key);
      this.order.splice(at < 0 ? this.order.length : at, 0, key);
    }
    queue.push(value);
    this.waiting += 1;
    this.options.onSize?.(this.size);
    this.drain();
  }

  /** Starts nothing more (what was started is the caller's to end). */
  close(): void {
    this.closed = true;
  }

  private drain(): void {
    if (this.draining) return; // the loop below looks again after each start
    this.draining = true;
    while (!this.closed && this.active < this.concurrency && this.waiting > 0) {
      const value = this.next();
      this.waiting -= 1;
      this.active += 1;
      let done = false;
      this.options.start(value, () => {
        if (done) return;
        done = true;
        this.active -= 1;
        this.options.onSize?.(this.size);
        this.drain();
      });
    }
    this.draining = false;
    this.options.onDrained?.();
  }

  private next(): T {
    for (const key of this.order) {
      const queue = this.queues.get(key)!;
      if (queue.length > 0) return queue.shift()!;
    }
    throw new Error('ConcurrencyQueue: nothing is waiting'); // cannot happen: `waiting` > 0
  }
}

/**
 * The source side of an operator that starts each value through a {@link ConcurrencyQueue}:
 * subscribes `source$`, queues each value, passes its error on, and completes `subscriber`
 * once the source has completed and every value started is done. What `dispatch` and
 * `prioritisedMerge` each wrote around their queue.
 *
 * @param source$ - the values to start.
 * @param subscriber - the operator's subscriber (its error and completion).
 * @param options - the queue's options (its `onDrained` is this function's).
 * @returns the source's subscription; unsubscribing it also starts nothing more.
 * @example
 * new Observable((subscriber) => queueEach(jobs$, subscriber, { concurrency: 2, start: (job, done) => void job().finally(done) }));
 */
export function queueEach<T>(
  source$: Observable<T>,
  subscriber: Subscriber<unknown>,
  options: Omit<ConcurrencyQueueOptions<T>, 'onDrained'>,
): Subscription {
  let sourceDone = false;
  const finishIfDone = (): void => {
    if (sourceDone && queue.size === 0) subscriber.complete();
  };
  const queue = new ConcurrencyQueue<T>({ ...options, onDrained: finishIfDone });
  const source = source$.subscribe({
    next: (value) => queue.push(value),
    error: (error: unknown) => subscriber.error(error),
    complete: () => {
      sourceDone = true;
      finishIfDone();
    },
  });
  // Not the source's own teardown: a source that completes leaves its queued values to start.
  const feeding = new Subscription(() => queue.close());
  feeding.add(source);
  return feeding;
}
