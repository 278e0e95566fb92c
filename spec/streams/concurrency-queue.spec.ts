import { Observable, Subject } from 'rxjs';
import { ConcurrencyQueue, queueEach } from '../../lib/streams/concurrency-queue.js';

/** A queue whose started values are recorded, with their `done` kept for the spec to call. */
function recorded(concurrency: number, priority?: (value: string) => number) {
  const started: string[] = [];
  const dones = new Map<string, () => void>();
  const sizes: number[] = [];
  let drained = 0;
  const queue = new ConcurrencyQueue<string>({
    concurrency,
    priority,
    start: (value, done) => {
      started.push(value);
      dones.set(value, done);
    },
    onSize: (size) => sizes.push(size),
    onDrained: () => (drained += 1),
  });
  return {
    queue,
    started,
    done: (value: string) => dones.get(value)!(),
    sizes,
    drained: () => drained,
  };
}

describe('ConcurrencyQueue', () => {
  it('starts at most `concurrency` values, the next one as soon as one is done', () => {
    const { queue, started, done } = recorded(2);
    for (const v of ['a', 'b', 'c', 'd']) queue.push(v);
    expect(started).toEqual(['a', 'b']);
    done('b');
    expect(started).toEqual(['a', 'b', 'c']);
    done('a');
    done('c');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.size).toBe(1);
  });

  it('starts lower priorities first, in arrival order within one, whatever order they came in', () => {
    const { queue, started, done } = recorded(1, (v) => Number(v[0]));
    for (const v of ['1a', '2a', '1b', '0a', '2b', '0b']) queue.push(v);
    for (let i = 0; i < 5; i++) done(started[i]!);
    expect(started).toEqual(['1a', '0a', '0b', '1b', '2a', '2b']);
  });

  it('counts a value done once, however often it says so', () => {
    const { queue, started, done } = recorded(1);
    for (const v of ['a', 'b', 'c']) queue.push(v);
    done('a');
    done('a');
    expect(started).toEqual(['a', 'b']);
    expect(queue.size).toBe(2);
  });

  it('tells the size at each value come and done, and the end of each pass', () => {
    const { queue, done, sizes, drained } = recorded(1);
    queue.push('a');
    queue.push('b');
    done('a');
    done('b');
    expect(sizes).toEqual([1, 2, 1, 0]);
    expect(drained()).toBe(4);
  });

  it('uses constant stack for queued values that are done while they are started', () => {
    let count = 0;
    let releaseFirst = (): void => undefined;
    const queue = new ConcurrencyQueue<number>({
      concurrency: 1,
      start: (value, done) => {
        count += 1;
        if (value === 0)
          releaseFirst = done; // holds the one slot: the rest queue up
        else done();
      },
    });
    for (let i = 0; i <= 100_000; i++) queue.push(i);
    expect(count).toBe(1);
    releaseFirst(); // the other 100,000 start and end in one pass
    expect(count).toBe(100_001);
    expect(queue.size).toBe(0);
  });

  it('starts nothing more once closed', () => {
    const { queue, started, done } = recorded(1);
    queue.push('a');
    queue.push('b');
    queue.close();
    done('a');
    expect(started).toEqual(['a']);
  });
});

describe('queueEach', () => {
  /** An operator's observable over a source, whose started values wait for the spec's `done`. */
  function queued() {
    const source = new Subject<string>();
    const started: string[] = [];
    const dones = new Map<string, () => void>();
    const events: string[] = [];
    const result$ = new Observable<never>((subscriber) =>
      queueEach(source, subscriber, {
        concurrency: 1,
        start: (value, done) => {
          started.push(value);
          dones.set(value, done);
        },
      }),
    );
    const subscription = result$.subscribe({
      error: (error: unknown) => events.push(`error ${String(error)}`),
      complete: () => events.push('complete'),
    });
    return { source, started, done: (v: string) => dones.get(v)!(), events, subscription };
  }

  it('starts what was queued after the source completed, and completes once all are done', () => {
    const { source, started, done, events } = queued();
    source.next('a');
    source.next('b');
    source.complete();
    expect(started).toEqual(['a']);
    done('a');
    expect(started).toEqual(['a', 'b']);
    expect(events).toEqual([]);
    done('b');
    expect(events).toEqual(['complete']);
  });

  it("passes the source's error on", () => {
    const { source, events } = queued();
    source.error('boom');
    expect(events).toEqual(['error boom']);
  });

  it('starts nothing more once unsubscribed', () => {
    const { source, started, done, subscription } = queued();
    source.next('a');
    source.next('b');
    subscription.unsubscribe();
    done('a');
    expect(started).toEqual(['a']);
  });
});
