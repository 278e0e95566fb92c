import type { BurstPolling } from '../streams/burst-polling.js';
import { bad, ok, type Parsed } from './config-parsers.js';

/** Largest delay a Node timer honours, in ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Parses a whole number in `[min, max]`.
 *
 * @param name - the variable's name.
 * @param value - its value.
 * @param min - the least value accepted.
 * @param max - the greatest value accepted.
 * @param unit - what the number counts, for the problem text (e.g. `seconds`).
 * @returns the number, or a problem.
 * @example
 * parseWholeNumber('FLYTE_API_TIMEOUT', '30', 0, 2147483, 'seconds'); // { ok: true, value: 30 }
 */
export function parseWholeNumber(
  name: string,
  value: string,
  min: number,
  max: number,
  unit: string,
): Parsed<number> {
  const trimmed = value.trim();
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return ok(n);
  return bad(name, value, `a whole number of ${unit} from ${min} to ${max}`);
}

/**
 * Parses a timeout in whole seconds (0 = none) into milliseconds.
 *
 * @param name - the variable's name.
 * @param value - its value.
 * @returns the timeout in ms, or a problem.
 * @example
 * parseSeconds('FLYTE_API_TIMEOUT', '10'); // { ok: true, value: 10000 }
 */
export function parseSeconds(name: string, value: string): Parsed<number> {
  const max = Math.floor(MAX_TIMER_MS / 1000);
  const parsed = parseWholeNumber(name, value, 0, max, 'seconds (0 = no timeout)');
  return parsed.ok ? ok(parsed.value * 1000) : parsed;
}

/**
 * Parses a positive number of milliseconds.
 *
 * @param name - the variable's name.
 * @param value - its value.
 * @returns the number, or a problem.
 * @example
 * parseMillis('FLYTE_POLL_INTERVAL_MS', '5000'); // { ok: true, value: 5000 }
 */
export function parseMillis(name: string, value: string): Parsed<number> {
  return parseWholeNumber(name, value, 1, MAX_TIMER_MS, 'milliseconds');
}

/**
 * Parses a port to listen on (1–65535); `0` and `off` give `null` (disabled).
 *
 * @param name - the variable's name.
 * @param value - its value.
 * @returns the port or `null`, or a problem.
 * @example
 * parsePort('FLYTE_HEALTH_PORT', 'off'); // { ok: true, value: null }
 */
export function parsePort(name: string, value: string): Parsed<number | null> {
  const word = value.trim().toLowerCase();
  if (word === '0' || word === 'off') return ok(null);
  const port = /^\d+$/.test(word) ? Number(word) : NaN;
  if (port >= 1 && port <= 65535) return ok(port);
  return bad(name, value, 'a port from 1 to 65535, or 0 or off to disable the health server');
}

/**
 * Parses a burst polling setting: `off` (a fixed poll interval) or `<first>,<factor>`, the
 * first wait in whole ms (>= 1) and the growth of each next one (a number > 1), e.g. `100,1.2`.
 *
 * @param name - the variable's name.
 * @param value - its value.
 * @returns `false` or `{ first, factor }`, or a problem.
 * @example
 * parseBurstPolling('FLYTE_BURST_POLLING', '200,1.5'); // { ok: true, value: { first: 200, factor: 1.5 } }
 * parseBurstPolling('FLYTE_BURST_POLLING', 'off'); // { ok: true, value: false }
 */
export function parseBurstPolling(name: string, value: string): Parsed<false | BurstPolling> {
  const word = value.trim().toLowerCase();
  if (word === 'off') return ok(false);
  const match = /^(\d+)\s*,\s*(\d+(?:\.\d+)?)$/.exec(word);
  const first = match ? Number(match[1]) : NaN;
  const factor = match ? Number(match[2]) : NaN;
  if (first >= 1 && first <= MAX_TIMER_MS && factor > 1 && Number.isFinite(factor)) {
    return ok({ first, factor });
  }
  return bad(
    name,
    value,
    'off, or <first>,<factor>: the first wait in whole milliseconds (>= 1) and a factor > 1, e.g. 100,1.2',
  );
}
