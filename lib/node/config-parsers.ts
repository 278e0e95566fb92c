import { isIP } from 'node:net';
import { credentialsProblem } from '../api/api-urls.js';

/**
 * The outcome of parsing one environment variable: a value, or a problem that names the
 * variable, shows the value (never a secret's) and says what was expected.
 */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/**
 * A successful parse.
 *
 * @param value - the parsed value.
 * @returns the outcome.
 * @example
 * ok(42); // { ok: true, value: 42 }
 */
export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

/**
 * A failed parse whose problem names the variable, its value and the expected form.
 *
 * @param name - the variable's name.
 * @param value - its value (never pass a secret's).
 * @param expected - the expected form.
 * @returns the outcome.
 * @example
 * bad('FLYTE_LOG_LEVEL', 'loud', 'one of error, warn, info, debug');
 */
export const bad = <T>(name: string, value: string, expected: string): Parsed<T> => ({
  ok: false,
  problem: `${name}=${JSON.stringify(value)} is invalid; expected ${expected}`,
});

/**
 * Parses an absolute http(s) URL without query or fragment.
 *
 * @param name - the variable's name, for the problem text.
 * @param value - its value.
 * @returns the URL as given (trimmed), or a problem.
 * @example
 * parseHttpUrl('FLYTE_API', 'http://flyte:8080'); // { ok: true, value: 'http://flyte:8080' }
 */
export function parseHttpUrl(name: string, value: string): Parsed<string> {
  const expected = 'an absolute http(s) URL without query or fragment, e.g. http://flyte:8080';
  const trimmed = value.trim();
  if (!URL.canParse(trimmed)) return bad(name, value, expected);
  const url = new URL(trimmed);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad(name, value, expected);
  if (url.search || url.hash) return bad(name, value, expected);
  // Not echoed: the value holds a password, and this problem is logged.
  if (url.username || url.password) return { ok: false, problem: credentialsProblem(name) };
  return ok(trimmed);
}

/** Label keys refused: they name Object's prototype machinery. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parses `key=value,key=value` (spaces around keys and values trimmed; an empty string is no
 * labels). An empty key, a pair without `=`, a repeated key and a reserved key (`__proto__`,
 * `constructor`, `prototype`) are problems.
 *
 * @param name - the variable's name.
 * @param value - its value.
 * @returns the labels, or a problem listing every bad pair.
 * @example
 * parseLabels('FLYTE_LABELS', 'env=prod, team = ops'); // { env: 'prod', team: 'ops' }
 */
export function parseLabels(name: string, value: string): Parsed<Record<string, string>> {
  // No prototype: a key such as "__proto__" is an ordinary (refused) key, never a setter.
  const labels = Object.create(null) as Record<string, string>;
  const faults: string[] = [];
  if (value.trim() === '') return ok({});
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (eq < 0) faults.push(`"${pair.trim()}" has no "="`);
    else if (key === '') faults.push(`"${pair.trim()}" has an empty key`);
    else if (RESERVED_KEYS.has(key)) faults.push(`key "${key}" is reserved`);
    else if (Object.prototype.hasOwnProperty.call(labels, key)) faults.push(`key "${key}" repeats`);
    else labels[key] = pair.slice(eq + 1).trim();
  }
  if (faults.length === 0) return ok({ ...labels });
  return bad(name, value, `key=value,key=value with unique, non-empty keys (${faults.join('; ')})`);
}

/**
 * A parser of one of a fixed set of words, case-insensitively.
 *
 * @param choices - the accepted words, in lower case.
 * @returns a parser giving the word in lower case, or a problem.
 * @example
 * parseChoice(['error', 'warn', 'info', 'debug'])('FLYTE_LOG_LEVEL', 'DEBUG'); // 'debug'
 */
export function parseChoice<T extends string>(
  choices: readonly T[],
): (name: string, value: string) => Parsed<T> {
  return (name, value) => {
    const found = choices.find((c) => c === value.trim().toLowerCase());
    return found ? ok(found) : bad(name, value, `one of ${choices.join(', ')}`);
  };
}

/**
 * Parses `true`/`false` (also `1`/`0`), case-insensitively.
 *
 * @param name - the variable's name.
 * @param value - its value.
 * @returns the boolean, or a problem.
 * @example
 * parseBoolean('FLYTE_INSECURE_TLS', 'true'); // { ok: true, value: true }
 */
export function parseBoolean(name: string, value: string): Parsed<boolean> {
  const word = parseChoice(['true', 'false', '1', '0'])(name, value);
  return word.ok
    ? ok(word.value === 'true' || word.value === '1')
    : bad(name, value, 'true or false');
}

/**
 * Parses a host name or IP address to listen on.
 *
 * @param name - the variable's name.
 * @param value - its value.
 * @returns the host, or a problem.
 * @example
 * parseHost('FLYTE_HEALTH_HOST', '127.0.0.1'); // { ok: true, value: '127.0.0.1' }
 */
export function parseHost(name: string, value: string): Parsed<string> {
  const host = value.trim();
  const hostname =
    /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
  if (isIP(host) !== 0 || hostname.test(host)) return ok(host);
  return bad(name, value, 'an IP address or host name to listen on, e.g. 0.0.0.0 or 127.0.0.1');
}

/**
 * Parses a bearer token (surrounding white space trimmed, empty = none). The problem text
 * never contains the value.
 *
 * @param name - the variable's name.
 * @param value - its value.
 * @returns the token, or a problem.
 * @example
 * parseSecret('FLYTE_JWT', 'eyJhbGciOi...\n'); // { ok: true, value: 'eyJhbGciOi...' }
 */
export function parseSecret(name: string, value: string): Parsed<string | undefined> {
  const token = value.trim();
  if (!/\s/.test(token)) return ok(token || undefined);
  const expected = 'a single bearer token without spaces or line breaks';
  return { ok: false, problem: `${name} (value hidden) is invalid; expected ${expected}` };
}
