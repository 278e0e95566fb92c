import { createRequire } from 'node:module';
import type * as Https from 'node:https';

/** Builtins resolve the same from anywhere: any absolute base serves. */
const requireBuiltin = createRequire('/');

let https: typeof Https | undefined;

/**
 * `node:https`, loaded at the first call: with it come `node:tls` and its crypto, about a
 * megabyte of memory that a pack whose flyte URL is http never needs. Synchronous, so that
 * `insecureTlsAgent()` stays a plain function.
 *
 * @returns the `node:https` module.
 * @example
 * const agent = new (httpsModule().Agent)({ keepAlive: true });
 */
export function httpsModule(): typeof Https {
  return (https ??= requireBuiltin('node:https') as typeof Https);
}
