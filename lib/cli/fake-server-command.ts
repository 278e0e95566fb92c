import { onShutdownSignals } from '../node/signals.js';
import { FakeFlyteServer } from '../testing/fake-flyte-server.js';
import type { CliIo } from './cli-io.js';
import { commandHelpText, type CommandHelp } from './command-help.js';
import {
  configureFakeServer,
  FAKE_SERVER_FLAGS,
  fakeServerOptions,
  type FakeServerFlags,
} from './fake-server-flags.js';
import { faultSettingsText } from './fault-settings.js';
import { parseFlags } from './parse-flags.js';
import { printRequests } from './print-requests.js';

/** The control endpoints, as the start-up text lists them. */
const CONTROL_ENDPOINTS = [
  'POST   /_fake/actions      {"packName","packLabels"?,"command","input"?} -> 201 action',
  'GET    /_fake/actions      GET /_fake/actions/:id   GET /_fake/events',
  'GET    /_fake/packs        GET /_fake/requests      DELETE /_fake/packs/:id',
  'POST   /_fake/faults       {"<setting>": value | null, ...}   PUT replaces   DELETE clears',
  'POST   /_fake/auth         {"token": "..." | null}',
  'POST   /_fake/health       {"healthy": false}',
  'POST   /_fake/reset',
  'GET    /_fake/wait?results=N&taken=N&events=N&timeoutMs=T   (200, or 408 on timeout)',
];

/**
 * The start-up text: where the API and the console are, and the control endpoints.
 *
 * @param url - the server's base URL.
 * @param flags - the parsed flags (the token itself is never printed).
 * @returns the lines, each ending with `\n`.
 * @example
 * io.write(startupText(server.url, flags));
 */
export function startupText(url: string, flags: FakeServerFlags): string {
  const lines = [
    `fake flyte server listening on ${url}  (API: ${url}/v1)`,
    `console: ${url}/_fake/ui`,
    ...(flags.token !== undefined ? ['API requests need the bearer token given with --token'] : []),
    ...(flags.latencyMs > 0 ? [`every API request waits ${flags.latencyMs} ms`] : []),
    'control endpoints (no auth, never faulted):',
    ...CONTROL_ENDPOINTS.map((line) => `  ${line.replace(/\/_fake/g, `${url}/_fake`)}`),
    'fault settings:',
    faultSettingsText('  '),
    'stop it with Ctrl-C (SIGINT) or SIGTERM',
  ];
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * Runs the fake server until SIGINT or SIGTERM, then closes it.
 *
 * @param flags - the parsed flags.
 * @param io - where to print and where signals come from.
 * @returns a promise that resolves once the server is closed.
 * @example
 * await serveFakeServer({ port: 0, host: '127.0.0.1', latencyMs: 0, seed: 1, quiet: true }, processIo());
 */
export async function serveFakeServer(flags: FakeServerFlags, io: CliIo): Promise<void> {
  const server = new FakeFlyteServer(fakeServerOptions(flags));
  configureFakeServer(server, flags);
  await server.start().catch((e: unknown) => {
    throw new Error(
      `fake flyte server failed to start on ${flags.host}:${flags.port}: ${e instanceof Error ? e.message : String(e)}`,
    );
  });
  io.write(startupText(server.url, flags));
  const stopPrinting = flags.quiet ? () => undefined : printRequests(server, io.write);
  await new Promise<void>((resolve) => {
    const release = onShutdownSignals(
      {
        first: (signal) => {
          io.write(`${signal}: closing the fake flyte server\n`);
          stopPrinting();
          release();
          void server.close().then(resolve);
        },
        again: () => undefined,
      },
      ['SIGINT', 'SIGTERM'],
      io.signals,
    );
  });
}

/**
 * What `fake-server --help` says: its flags, every fault setting and examples.
 *
 * @example
 * io.write(commandHelpText(FAKE_SERVER_HELP));
 */
export const FAKE_SERVER_HELP: CommandHelp = {
  usage: 'flyte-client fake-server [options]',
  description:
    'run a fake flyte server (the flyte API, control endpoints under /_fake/ and a web console at /_fake/ui)',
  flags: FAKE_SERVER_FLAGS,
  after: [
    `Fault settings:\n${faultSettingsText('  ')}`,
    [
      'Examples:',
      '  npx flyte-client fake-server                      http://127.0.0.1:8080, console at /_fake/ui',
      '  npx flyte-client fake-server --port 0 --quiet     a free port, no request lines',
      '  npx flyte-client fake-server --token dev-token    API requests need "Bearer dev-token"',
      '',
      'Point a pack at it with FLYTE_API=http://127.0.0.1:8080. See docs/fake-server.md.',
    ].join('\n'),
  ],
};

/**
 * The `fake-server` command: parses its flags, then shows its help or runs the server until
 * SIGINT or SIGTERM.
 *
 * @param args - the arguments after `fake-server`.
 * @param io - where to print and where signals come from.
 * @returns a promise that resolves once the help is shown or the server is closed.
 * @throws UsageError on a bad flag or value.
 * @example
 * await fakeServerCommand(['--port', '0'], processIo());
 */
export async function fakeServerCommand(args: readonly string[], io: CliIo): Promise<void> {
  const { values, help } = parseFlags(FAKE_SERVER_FLAGS, args, 'fake-server');
  if (help) return void io.write(commandHelpText(FAKE_SERVER_HELP));
  await serveFakeServer(values as unknown as FakeServerFlags, io);
}
