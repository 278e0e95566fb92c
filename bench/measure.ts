// Measuring helpers for bench/run.ts: a command that tracks concurrent runs, a way to await N
// results without scanning the server's state, and garbage collection for heap deltas.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { EventDef, PackDef } from '../lib/model/definitions.js';
import type { InMemoryFlyteApi } from '../lib/testing/in-memory-flyte-api.js';

export const done: EventDef<number> = { name: 'Done' };
export const seen: EventDef<number> = { name: 'Seen' };

/** Handler runs, and the most that ran at once. */
export interface Concurrency {
  running: number;
  peak: number;
  runs: number;
}

/**
 * A pack whose `Work` command answers at once (`delayMs` 0) or after `delayMs` of real time
 * (a promise, as an I/O-bound handler would), counting concurrent runs.
 */
export function benchPack(name: string, delayMs: number, stats: Concurrency): PackDef {
  return {
    name,
    events: [seen],
    commands: [
      {
        name: 'Work',
        outputEvents: [done],
        handler: (input: unknown) => {
          stats.runs++;
          stats.running++;
          stats.peak = Math.max(stats.peak, stats.running);
          const event = { eventDef: done, payload: Number(input) };
          if (delayMs === 0) {
            stats.running--;
            return event;
          }
          return new Promise((resolve) =>
            setTimeout(() => {
              stats.running--;
              resolve(event);
            }, delayMs),
          );
        },
      },
    ],
  };
}

/** A promise that resolves once `count()` reaches `n`, checked on every `subscribe` notification. */
export function reach(
  n: number,
  count: () => number,
  subscribe: (listener: () => void) => () => void,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs} ms at ${count()} of ${n}`));
    }, timeoutMs);
    const check = () => {
      if (count() < n) return;
      clearTimeout(timer);
      stop();
      resolve();
    };
    const stop = subscribe(check);
    check();
  });
}

/**
 * Calls `listener` after each answered call of the in-memory API (a result is counted from
 * `calls$`, which answers after the model changed, so the model's change listener would be
 * one step early).
 */
export function onCalls(api: InMemoryFlyteApi, listener: () => void): () => void {
  const subscription = api.calls$.subscribe(listener);
  return () => subscription.unsubscribe();
}

/** The garbage collector (exposed at run time, so `make bench` needs no node flag). */
export function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

/** `value` with `digits` decimals, right-aligned in `width`. */
export const fmt = (value: number, digits = 0, width = 8): string =>
  value.toFixed(digits).padStart(width);

/**
 * Prints one figure: what, the raw figure, the target and whether it is met; then a note if any.
 *
 * @example
 * line(say, 'ratio pack / bare loop', '85 %', { text: 'target >= 80 %', met: true });
 */
export function line(
  say: (l: string) => void,
  label: string,
  figure: string,
  target?: { text: string; met: boolean },
  note?: string,
): void {
  const verdict = target ? `${target.text.padEnd(20)}${target.met ? 'MET' : 'NOT MET'}` : '';
  say(`  ${label.padEnd(46)}${figure.padStart(16)}   ${verdict}`.trimEnd());
  if (note) say(`${' '.repeat(6)}(${note})`);
}
