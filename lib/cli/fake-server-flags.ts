import type { FakeFlyteServer, FakeFlyteServerOptions } from '../testing/fake-flyte-server.js';
import { nonEmpty, wholeNumber } from './option-values.js';
import type { FlagSpec } from './parse-flags.js';

/**
 * The flags of `flyte-client fake-server`, as {@link parseFlags} returns them.
 *
 * @example
 * const flags: FakeServerFlags = { port: 8080, host: '127.0.0.1', latencyMs: 0, storeLatencyMs: 0, seed: 1, quiet: false };
 */
export interface FakeServerFlags {
  readonly port: number;
  readonly host: string;
  readonly token?: string;
  readonly latencyMs: number;
  readonly storeLatencyMs: number;
  readonly seed: number;
  readonly quiet: boolean;
}

/** Largest delay a Node timer honours, in ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The flags of `fake-server`, each with its parser and default. A new flag is one entry here
 * and, when it configures the server, one line in {@link fakeServerOptions} or
 * {@link configureFakeServer}.
 *
 * @example
 * parseFlags(FAKE_SERVER_FLAGS, ['--port', '0'], 'fake-server');
 */
export const FAKE_SERVER_FLAGS: readonly FlagSpec[] = [
  {
    name: 'port',
    value: 'port',
    description: 'port to listen on; 0 picks a free one',
    parse: wholeNumber(0, 65535),
    default: 8080,
  },
  {
    name: 'host',
    value: 'host',
    description: 'interface to listen on',
    parse: nonEmpty('a host name or IP address'),
    default: '127.0.0.1',
  },
  {
    name: 'token',
    value: 'token',
    description: 'require "Authorization: Bearer <token>" on API requests',
    parse: nonEmpty('a token'),
  },
  {
    name: 'latency-ms',
    value: 'ms',
    description: 'delay before each API request is answered (the fault setting latencyMs)',
    parse: wholeNumber(0, MAX_TIMER_MS),
    default: 0,
  },
  {
    name: 'store-latency-ms',
    value: 'ms',
    description:
      'time of one store operation: takes race and results wait for the flow, as in flyte',
    parse: wholeNumber(0, MAX_TIMER_MS),
    default: 0,
  },
  {
    name: 'seed',
    value: 'n',
    description: 'seed of the fault PRNG (same seed, same faults)',
    parse: wholeNumber(-(2 ** 31), 2 ** 31 - 1),
    default: 1,
  },
  { name: 'quiet', description: 'do not print a line per API request' },
];

/**
 * The server options the flags ask for.
 *
 * @param flags - the parsed flags.
 * @returns the options of the {@link FakeFlyteServer}.
 * @example
 * new FakeFlyteServer(fakeServerOptions(flags));
 */
export function fakeServerOptions(flags: FakeServerFlags): FakeFlyteServerOptions {
  return {
    host: flags.host,
    port: flags.port,
    seed: flags.seed,
    storeLatencyMs: flags.storeLatencyMs,
  };
}

/**
 * Applies the flags that configure a created server (auth, faults).
 *
 * @param server - the server, started or not.
 * @param flags - the parsed flags.
 * @example
 * configureFakeServer(server, flags);
 */
export function configureFakeServer(server: FakeFlyteServer, flags: FakeServerFlags): void {
  if (flags.token !== undefined) server.requireToken(flags.token);
  if (flags.latencyMs > 0) server.setFaults({ latencyMs: flags.latencyMs });
}
