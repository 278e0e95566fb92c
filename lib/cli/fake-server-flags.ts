import type { Command } from 'commander';
import type { FakeFlyteServer, FakeFlyteServerOptions } from '../testing/fake-flyte-server.js';
import { nonEmpty, wholeNumber } from './option-values.js';

/**
 * The flags of `flyte-client fake-server`, as commander parsed them.
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
 * Declares the flags of `fake-server` on a command. A new flag is one `.option(...)` here and,
 * when it configures the server, one line in {@link fakeServerOptions} or
 * {@link configureFakeServer}.
 *
 * @param command - the `fake-server` command.
 * @returns the same command.
 * @example
 * declareFakeServerFlags(new Command('fake-server')).parse(['--port', '0'], { from: 'user' });
 */
export function declareFakeServerFlags(command: Command): Command {
  return command
    .option('--port <port>', 'port to listen on; 0 picks a free one', wholeNumber(0, 65535), 8080)
    .option(
      '--host <host>',
      'interface to listen on',
      nonEmpty('a host name or IP address'),
      '127.0.0.1',
    )
    .option(
      '--token <token>',
      'require "Authorization: Bearer <token>" on API requests',
      nonEmpty('a token'),
    )
    .option(
      '--latency-ms <ms>',
      'delay before each API request is answered',
      wholeNumber(0, MAX_TIMER_MS),
      0,
    )
    .option(
      '--store-latency-ms <ms>',
      'time of one store operation: takes race and results wait for the flow, as in flyte',
      wholeNumber(0, MAX_TIMER_MS),
      0,
    )
    .option(
      '--seed <n>',
      'seed of the fault PRNG (same seed, same faults)',
      wholeNumber(-(2 ** 31), 2 ** 31 - 1),
      1,
    )
    .option('--quiet', 'do not print a line per API request', false);
}

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
