import { UsageError } from './usage-error.js';

/**
 * Parses a flag value that must be a whole number in `[min, max]`; {@link parseFlags} turns
 * the thrown error into `option '--flag <n>' argument 'x' is invalid. <what is expected>`.
 *
 * @param min - the least value accepted.
 * @param max - the greatest value accepted.
 * @returns the parser called with the raw value.
 * @example
 * wholeNumber(0, 65535)('8080'); // 8080
 */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    throw new UsageError(`Expected a whole number from ${min} to ${max}.`);
  };
}

/**
 * Parses a flag value that must not be empty (nor only spaces).
 *
 * @param what - what the value is, for the message (e.g. `a host name or IP address`).
 * @returns the parser called with the raw value.
 * @example
 * nonEmpty('a host name or IP address')('0.0.0.0'); // '0.0.0.0'
 */
export function nonEmpty(what: string): (value: string) => string {
  return (value) => {
    if (value.trim() !== '') return value;
    throw new UsageError(`Expected ${what}, got an empty value.`);
  };
}
