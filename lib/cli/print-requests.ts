import type { FakeFlyteServer } from '../testing/fake-flyte-server.js';
import type { RequestLogEntry } from '../testing/fake-http-types.js';

/**
 * One line for an API request the fake server answered (or faulted).
 *
 * @param r - the request log entry.
 * @returns e.g. `2024-05-01T10:00:00.000Z POST /v1/packs/Rota/actions/take -> 204`.
 * @example
 * requestLine(server.requests()[0]!);
 */
export function requestLine(r: RequestLogEntry): string {
  const query = new URLSearchParams(r.query).toString();
  const fault = r.fault ? ` [${r.fault}]` : '';
  return `${r.at} ${r.method} ${r.path}${query ? `?${query}` : ''} -> ${r.status ?? '-'}${fault}`;
}

/**
 * Prints a line per API request once it is answered or faulted, in order of completion.
 *
 * @param server - the server whose request log to follow.
 * @param write - where each line goes.
 * @returns a function that stops printing.
 * @example
 * const stop = printRequests(server, (line) => process.stdout.write(line));
 */
export function printRequests(server: FakeFlyteServer, write: (line: string) => void): () => void {
  const printed = new Set<number>();
  return server.onChange(() => {
    for (const r of server.requests()) {
      if (printed.has(r.seq) || (r.status === null && !r.fault)) continue;
      printed.add(r.seq);
      write(`${requestLine(r)}\n`);
    }
  });
}
