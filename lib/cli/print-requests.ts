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
  /** Every request numbered up to this one is printed (or gone from the log). */
  let through = 0;
  /** The requests printed above `through`: answered while an older one was still in flight. */
  const printed = new Set<number>();
  // Each change reads only the log's tail from the oldest request not printed yet: a server
  // that runs for long does not walk its whole log at every request.
  return server.onChange(() => {
    const tail = server.requestsAfter(through);
    const first = tail[0]?.seq;
    if (first !== undefined && first > through + 1) {
      // Requests before the log's first are gone (cleared): none of them will be printed.
      through = first - 1;
      for (const seq of printed) if (seq <= through) printed.delete(seq);
    }
    for (const r of tail) {
      if (printed.has(r.seq) || (r.status === null && !r.fault)) continue;
      printed.add(r.seq);
      write(`${requestLine(r)}\n`);
    }
    while (printed.delete(through + 1)) through++;
  });
}
