import type { FaultConfig } from '../testing/fake-http-types.js';

/**
 * Every setting of `POST /_fake/faults`, with what it does in a line: the start-up text and
 * `fake-server --help` list them all. Typed by {@link FaultConfig}'s keys, so a new setting
 * that is not described here does not compile.
 *
 * @example
 * Object.keys(FAULT_SETTINGS).length; // 12
 */
export const FAULT_SETTINGS: Readonly<Record<keyof FaultConfig, string>> = {
  errorRate: 'share of requests answered with errorStatus, in [0, 1]',
  errorStatus: 'status of an injected error, 400-599 (default 500)',
  errorBody: "body of an injected error (default '', as flyte's)",
  retryAfter: 'Retry-After seconds on injected errors',
  dropRate: 'share of requests whose connection is dropped, in [0, 1]',
  dropWhen: '"before" (state untouched), "after" (applied, answer lost) or "hang"',
  latencyMs: 'delay before each faulted request, in ms',
  redirect: '{status, location, endpoints?, rate?}: redirect requests',
  body: '{mode: "huge"|"endless"|"truncated"|"gzip-bomb", bytes?, endpoints?, rate?}',
  storeLatencyMs: 'time of one store operation, in ms (takes can race)',
  endpoints:
    'only these are faulted: discover, register, take, result, event, health, packs, audit',
  seed: 'seed of the fault PRNG (same seed, same faults)',
};

/**
 * The fault settings as aligned lines, with how a change applies.
 *
 * @param indent - put before each line.
 * @returns the lines, without a final newline.
 * @example
 * io.write(`${faultSettingsText('  ')}\n`);
 */
export function faultSettingsText(indent: string): string {
  const width = Math.max(...Object.keys(FAULT_SETTINGS).map((k) => k.length));
  return [
    `${indent}POST /_fake/faults merges the settings given into those in effect ("setting": null`,
    `${indent}removes one); PUT /_fake/faults replaces them all; DELETE /_fake/faults clears them.`,
    ...Object.entries(FAULT_SETTINGS).map(
      ([key, what]) => `${indent}  ${key.padEnd(width)}  ${what}`,
    ),
  ].join('\n');
}
