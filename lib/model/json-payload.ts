import { errorMessage } from './errors.js';

/**
 * Why `payload` cannot travel as JSON, or `undefined` when it can. An `undefined` payload is
 * fine (the server receives none); a function, a symbol, a BigInt or a cycle is not, since
 * `JSON.stringify` would drop it silently or throw on every attempt to deliver it.
 *
 * @param payload - an event's payload.
 * @returns the problem in a few words, or `undefined`.
 * @example
 * payloadProblem({ onCall: 'Ann' }); // undefined
 * payloadProblem(10n); // 'Do not know how to serialize a BigInt'
 */
export function payloadProblem(payload: unknown): string | undefined {
  if (payload === undefined) return undefined;
  try {
    return JSON.stringify(payload) === undefined ? `a ${typeof payload} is not JSON` : undefined;
  } catch (error) {
    return errorMessage(error);
  }
}
