import type {
  EndpointStats,
  FaultEndpoint,
  InjectedFault,
  RequestLogEntry,
} from './fake-http-types.js';

type Patch = Partial<
  Pick<RequestLogEntry, 'status' | 'fault' | 'latencyMs' | 'race' | 'detail' | 'actionId'>
>;

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
  /** The entries, oldest first; an update replaces its entry in place. */
  private entries: RequestLogEntry[] = [];
  /** `list()`'s answer until the next change: a request costs no copy of the whole log. */
  private snapshot: readonly RequestLogEntry[] | null = null;
  private seq = 0;

  /** @param notify - called after every change. */
  constructor(private readonly notify: () => void) {}

  /**
   * Logs an arriving request (status `null`).
   *
   * @returns a function that updates this entry (nothing once the log is cleared).
   */
  start(fields: Omit<RequestLogEntry, 'seq' | 'status'>): (patch: Patch) => void {
    const { entries } = this;
    const at = entries.push({ seq: ++this.seq, status: null, ...fields }) - 1;
    this.changed();
    return (patch) => {
      if (this.entries !== entries) return;
      entries[at] = { ...entries[at]!, ...patch };
      this.changed();
    };
  }

  /** Every entry, oldest first: a snapshot that later changes leave as it is. */
  list(): readonly RequestLogEntry[] {
    return (this.snapshot ??= [...this.entries]);
  }

  /**
   * The entries numbered above `seq`, oldest first (every entry for 0): a copy of that tail
   * only, for a reader that follows the log as it grows.
   */
  after(seq: number): readonly RequestLogEntry[] {
    // Numbers are consecutive from the first entry kept: the tail starts at a known index.
    const first = this.entries[0]?.seq ?? this.seq + 1;
    return this.entries.slice(Math.max(0, seq - first + 1));
  }

  /**
   * Per endpoint: requests, answers per status, races and faults (endpoints never called are
   * absent); for takes, the actions whose take answer was lost after the server acted.
   */
  stats(): Partial<Record<FaultEndpoint, EndpointStats>> {
    // Counted in place: a spec may ask for the stats on every change of a long log.
    type Counts = {
      count: number;
      statuses: Record<string, number>;
      races: number;
      faults: Partial<Record<InjectedFault, number>>;
      lostTakes?: string[];
    };
    const stats: Partial<Record<FaultEndpoint, Counts>> = {};
    for (const e of this.entries) {
      if (!e.endpoint) continue;
      const s = (stats[e.endpoint] ??= {
        count: 0,
        statuses: {},
        races: 0,
        faults: {},
        ...(e.endpoint === 'take' && { lostTakes: [] }),
      });
      s.count += 1;
      if (e.status !== null) s.statuses[e.status] = (s.statuses[e.status] ?? 0) + 1;
      if (e.race) s.races += 1;
      if (e.fault) s.faults[e.fault] = (s.faults[e.fault] ?? 0) + 1;
      if (s.lostTakes && isLostTake(e)) s.lostTakes.push(e.actionId);
    }
    return stats;
  }

  /** Forgets every entry (sequence numbers keep counting up). */
  clear(): void {
    this.entries = [];
    this.changed();
  }

  private changed(): void {
    this.snapshot = null;
    this.notify();
  }
}

/** A take that handed out an action whose answer never reached the client. */
function isLostTake(e: RequestLogEntry): e is RequestLogEntry & { actionId: string } {
  const lost = e.fault === 'drop-after' || e.fault === 'hang' || !!e.fault?.startsWith('body-');
  return e.endpoint === 'take' && e.actionId !== undefined && lost;
}
