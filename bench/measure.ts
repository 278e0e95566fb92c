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

/** A target of issue 22 and whether this run met it. */
export interface Target {
  readonly text: string;
  readonly met: boolean;
}

/** Every issue-22 target printed by {@link line} in this run, in order: the closing tally. */
export const targetsSeen: Array<Target & { readonly label: string }> = [];

/**
 * Prints one figure: what, the raw figure, the issue-22 target (marked `#22`) and whether it
 * is met; then a note if any. Targets of earlier issues go in the note, without a verdict, so
 * that every MET / NOT MET is one of issue 22's.
 *
 * @example
 * line(say, 'ratio pack / bare loop', '85 %', { text: '>= 80 %', met: true });
 */
export function line(
  say: (l: string) => void,
  label: string,
  figure: string,
  target?: Target,
  note?: string,
): void {
  if (target) targetsSeen.push({ label, ...target });
  const verdict = target ? `#22 ${target.text.padEnd(22)}${target.met ? 'MET' : 'NOT MET'}` : '';
  say(`  ${label.padEnd(46)}${figure.padStart(16)}   ${verdict}`.trimEnd());
  if (note) say(`${' '.repeat(6)}(${note})`);
}

/**
 * Prints the tally of the issue-22 targets seen so far, the unmet ones named.
 *
 * @example
 * tally(say); // "issue 22 targets: 7 of 9 MET; NOT MET: ..."
 */
export function tally(say: (l: string) => void): void {
  const unmet = targetsSeen.filter((t) => !t.met);
  say(
    `issue 22 targets: ${targetsSeen.length - unmet.length} of ${targetsSeen.length} MET` +
      (unmet.length ? `; NOT MET: ${unmet.map((t) => t.label).join('; ')}` : ''),
  );
}
