import type { EndpointStats, FaultEndpoint, RequestLogEntry } from './fake-http-types.js';

type Patch = Partial<Pick<RequestLogEntry, 'status' | 'fault' | 'latencyMs' | 'race' | 'detail'>>;

/**
 * The fake server's log of API requests, oldest first. An entry is added when a request
 * arrives and updated when it is answered; every version is an immutable snapshot.
 *
 * @example
 * const log = new RequestLog(() => undefined);
 * const update = log.start({ method: 'GET', path: '/v1', query: {}, hasAuthorization: false, authorization: 'unchecked', at: new Date().toISOString() });
 * update({ status: 200 });
 */
export class RequestLog {
  private entries: readonly RequestLogEntry[] = [];
  private seq = 0;

  /** @param notify - called after every change. */
  constructor(private readonly notify: () => void) {}

  /**
   * Logs an arriving request (status `null`).
   *
   * @returns a function that updates this entry.
   */
  start(fields: Omit<RequestLogEntry, 'seq' | 'status'>): (patch: Patch) => void {
    const seq = ++this.seq;
    this.entries = [...this.entries, { seq, status: null, ...fields }];
    this.notify();
    return (patch) => {
      this.entries = this.entries.map((e) => (e.seq === seq ? { ...e, ...patch } : e));
      this.notify();
    };
  }

  /** Every entry, oldest first. */
  list(): readonly RequestLogEntry[] {
    return this.entries;
  }

  /** Per endpoint: requests, answers per status, races and faults (endpoints never called are absent). */
  stats(): Partial<Record<FaultEndpoint, EndpointStats>> {
    const stats: Partial<Record<FaultEndpoint, EndpointStats>> = {};
    for (const e of this.entries) {
      if (!e.endpoint) continue;
      const s = stats[e.endpoint] ?? { count: 0, statuses: {}, races: 0, faults: {} };
      stats[e.endpoint] = {
        count: s.count + 1,
        statuses: e.status === null ? s.statuses : bump(s.statuses, String(e.status)),
        races: s.races + (e.race ? 1 : 0),
        faults: e.fault ? bump(s.faults, e.fault) : s.faults,
      };
    }
    return stats;
  }

  /** Forgets every entry (sequence numbers keep counting up). */
  clear(): void {
    this.entries = [];
    this.notify();
  }
}

const bump = <T extends Readonly<Partial<Record<string, number>>>>(counts: T, key: string): T => ({
  ...counts,
  [key]: (counts[key] ?? 0) + 1,
});
