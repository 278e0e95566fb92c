/**
 * The plan of a recovery scan through the audit, as a pure policy: given what a scan knows and
 * the page the server just answered, which page to ask for next, or that the scan is over.
 *
 * The audit pages by offset (`start`) through flows sorted newest first by their **key**: the
 * latest state time of the pack's actions in the flow. Offsets shift as flows come and go; keys
 * do not. So the plan keeps its bookkeeping in keys: the spans of keys not read yet. A flow
 * whose key is older than `now − after` holds only states older than `after`: a PENDING action
 * in it is stranded. New flows only ever get keys near `now`, so a span of old keys, once read,
 * gains no flow (a flow that changes leaves it for the newest). Each scan therefore reads the
 * keys that became old since the last scan first, whatever number of newer flows lies above
 * them (it finds their depth by galloping and bisection on `start`), then goes on down through
 * the rest of the horizon within its request budget, where the last one stopped.
 */

/**
 * Keys (ms) from `oldest` to `newest`, both included.
 *
 * @example
 * const lastHour: KeySpan = { oldest: now - 3_600_000, newest: now };
 */
export interface KeySpan {
  /** The oldest key of the span, in ms since the epoch. */
  readonly oldest: number;
  /** The newest key of the span, in ms since the epoch. */
  readonly newest: number;
}

/**
 * What one scan leaves to the next.
 *
 * @example
 * let memory: ScanMemory = NO_SCAN_YET;
 */
export interface ScanMemory {
  /** The cutoff (`now − after`, server ms) of the last scan; absent before the first. */
  readonly cutoff?: number;
  /** The keys of old flows not read yet, newest first. */
  readonly unread: readonly KeySpan[];
  /** The depth where the last scan found its cutoff: where the next one looks first. */
  readonly hint: number;
}

/**
 * The memory before any scan: everything within the horizon is to be read.
 *
 * @example
 * firstRequest(NO_SCAN_YET, limits); // { start: 0, limit: 50 }
 */
export const NO_SCAN_YET: ScanMemory = { unread: [], hint: 0 };

/**
 * The bounds of a scan.
 *
 * @example
 * const limits: ScanLimits = { after: 600_000, horizon: 86_400_000, pageSize: 50, maxRequests: 10 };
 */
export interface ScanLimits {
  /** Age from which a flow is old (its PENDING actions stranded), in ms. */
  readonly after: number;
  /** Age beyond which flows are not read, in ms. */
  readonly horizon: number;
  /** Flows per request (the audit's `limit`). */
  readonly pageSize: number;
  /** Requests per scan at most. */
  readonly maxRequests: number;
}

/**
 * Where a scan is: its spans still to read and where the next page is.
 *
 * @example
 * const cursor: ScanCursor = startScan(memory, serverNow, limits);
 */
export interface ScanCursor {
  /** `serverNow − after`: flows with keys up to this are old. */
  readonly cutoff: number;
  /** The keys still to read, newest first. */
  readonly unread: readonly KeySpan[];
  /** Requests answered in this scan. */
  readonly requests: number;
  /** Reading on: every flow above this depth with a key ≤ the newest unread key was read. */
  readonly at?: number;
  /** While locating: the deepest depth known to hold a key newer than the target (−1: none). */
  readonly above: number;
  /** While locating: the shallowest depth known to hold a key ≤ the target. */
  readonly below: number;
  /** While locating: the key at depth `above`. */
  readonly aboveKey?: number;
  /** Ms of keys per flow on the last page (0: unknown): where a key should be. */
  readonly slope: number;
  /** Requests made to find the current target: estimates and halvings take turns. */
  readonly probes: number;
  /** Where the next scan looks first. */
  readonly hint: number;
  /** Whether this scan has found its first target yet. */
  readonly located: boolean;
  /** One past the deepest flow read. */
  readonly deepest: number;
  /** The oldest key read, in ms (absent when nothing was). */
  readonly oldest?: number;
}

/**
 * How far a scan got: its log line and metrics.
 *
 * @example
 * logger.info(`scan: ${reach.requests} requests, ${reach.deepest} flows deep`);
 */
export interface ScanReach {
  /** Requests the scan made. */
  readonly requests: number;
  /** How many flows deep it read. */
  readonly deepest: number;
  /** The oldest flow key it read, in server ms; absent when it read none. */
  readonly oldest?: number;
  /** Its cutoff (`serverNow − after`), in server ms. */
  readonly cutoff: number;
  /** Time (ms of keys) within the horizon still to read: 0 when the scan read all of it. */
  readonly unreadMs: number;
}

/**
 * What to do after a page: ask for the next, or end the scan.
 *
 * @example
 * const step = afterPage(cursor, { start: 0, keys }, limits);
 * if ('next' in step) ask(step.next); else remember(step.memory);
 */
export type ScanStep =
  | {
      /** The next page to ask for. */
      readonly next: { readonly start: number; readonly limit: number };
      /** The scan's state with this page in it. */
      readonly cursor: ScanCursor;
    }
  | {
      /** What the next scan starts from. */
      readonly memory: ScanMemory;
      /** How far this scan got. */
      readonly reach: ScanReach;
    };

/**
 * The first page of a scan: where the last scan found its cutoff (it is known only once the
 * server's clock is, from this answer).
 *
 * @param memory - what the last scan left.
 * @param limits - the page size.
 * @returns the first request.
 * @example
 * firstRequest(NO_SCAN_YET, limits); // { start: 0, limit: 50 }
 */
export function firstRequest(
  memory: ScanMemory,
  limits: Pick<ScanLimits, 'pageSize'>,
): { start: number; limit: number } {
  // A little above the hint: the page then usually holds the cutoff and a newer flow, which
  // places the cutoff without another request.
  return {
    start: Math.max(0, memory.hint - Math.floor(limits.pageSize / 5)),
    limit: limits.pageSize,
  };
}

/**
 * A scan's starting state at the server's time: the keys that became old since the last scan
 * first, then what the last one left unread; a fresh pass over the whole horizon when the last
 * pass was complete. Keys older than the horizon are dropped.
 *
 * @param memory - what the last scan left.
 * @param serverNow - the server's clock, in ms.
 * @param limits - `after` and `horizon`.
 * @returns the cursor before any page.
 * @example
 * const cursor = startScan(NO_SCAN_YET, Date.parse(dateHeader), limits);
 */
export function startScan(
  memory: ScanMemory,
  serverNow: number,
  limits: Pick<ScanLimits, 'after' | 'horizon'>,
): ScanCursor {
  const cutoff = serverNow - limits.after;
  const floor = serverNow - limits.horizon;
  const spans: KeySpan[] =
    memory.cutoff === undefined || memory.unread.length === 0
      ? [{ oldest: floor, newest: cutoff }]
      : [{ oldest: memory.cutoff + 1, newest: cutoff }, ...memory.unread];
  const unread = spans
    .map((s) => ({ oldest: Math.max(s.oldest, floor), newest: s.newest }))
    .filter((s) => s.oldest <= s.newest);
  return {
    cutoff,
    unread,
    requests: 0,
    above: -1,
    below: Infinity,
    slope: 0,
    probes: 0,
    hint: memory.hint,
    located: false,
    deepest: 0,
  };
}

/**
 * The step after one answered page: the page's keys mark what is read (a page read from a
 * known position covers every key from its last one up to the target), and the next request
 * either reads on, or locates the next unread span's newest key by galloping (doubling the
 * depth) and bisection. The scan ends when nothing is left to read or its budget is spent.
 *
 * @param cursor - the scan's state.
 * @param page - the page's `start` and its flows' keys, in the server's order.
 * @param limits - the page size and request budget.
 * @returns the next request, or the end of the scan.
 * @example
 * afterPage(startScan(NO_SCAN_YET, now, limits), { start: 0, keys: [] }, limits); // ends: no flow at all
 */
export function afterPage(
  cursor: ScanCursor,
  page: { readonly start: number; readonly keys: readonly number[] },
  limits: Pick<ScanLimits, 'pageSize' | 'maxRequests'>,
): ScanStep {
  const { start, keys } = page;
  const limit = limits.pageSize;
  const last = keys[keys.length - 1];
  const slope = keys.length > 1 ? (keys[0]! - last!) / (keys.length - 1) : cursor.slope;
  let c: ScanCursor = {
    ...cursor,
    slope,
    probes: cursor.probes + 1,
    requests: cursor.requests + 1,
    deepest: keys.length ? Math.max(cursor.deepest, start + keys.length) : cursor.deepest,
    ...(last !== undefined && { oldest: Math.min(cursor.oldest ?? Infinity, last) }),
  };
  const target = c.unread[0]?.newest;
  if (target !== undefined) {
    const end = keys.length < limit; // nothing lies deeper than this page
    const first = keys.findIndex((k) => k <= target);
    const from =
      c.at === start ? 0 : first > 0 || (first === 0 && start === c.above + 1) ? first : undefined;
    if (from !== undefined) {
      c = readFrom(c, start + from, start + keys.length, last!, end);
    } else if (keys.length === 0 && start === c.above + 1) {
      c = { ...c, unread: [] }; // every flow there is is newer than the target
    } else if (first === 0 || keys.length === 0) {
      c = { ...c, below: Math.min(c.below, start) };
    } else if (end) {
      c = { ...c, unread: [] }; // no key at or below the target exists
    } else {
      const above = start + keys.length - 1;
      const below = c.below <= above ? Infinity : c.below; // the list shifted
      c = { ...c, above, aboveKey: last, below };
    }
  }
  if (c.unread.length === 0 || c.requests >= limits.maxRequests) {
    return { memory: memoryOf(c), reach: reachOf(c) };
  }
  return { next: { start: nextStart(c, limit), limit }, cursor: c };
}

/**
 * The cursor after reading from depth `at` (no unread flow lies above it) to `pageEnd`, whose
 * last key is `last`: every key in (`last`, target] is read, all of them when `end`.
 */
function readFrom(
  c: ScanCursor,
  at: number,
  pageEnd: number,
  last: number,
  end: boolean,
): ScanCursor {
  const target = c.unread[0]!.newest;
  const unread = end ? [] : without(c.unread, last, target);
  const located = { located: true, hint: c.located ? c.hint : at };
  const next = unread[0]?.newest;
  const reset = { probes: 0, below: Infinity };
  // Reading on is cheaper than looking when the next unread key is less than a page away.
  if (next !== undefined && next >= last - c.slope * (pageEnd - at)) {
    return { ...c, ...located, ...reset, unread, at: pageEnd, above: -1 };
  }
  return { ...c, ...located, ...reset, unread, at: undefined, above: pageEnd - 1, aboveKey: last };
}

/** The spans without the keys in (`after`, `upTo`]. */
function without(spans: readonly KeySpan[], after: number, upTo: number): KeySpan[] {
  return spans.flatMap((s) =>
    [
      { oldest: s.oldest, newest: Math.min(s.newest, after) },
      { oldest: Math.max(s.oldest, upTo + 1), newest: s.newest },
    ].filter((part) => part.oldest <= part.newest),
  );
}

/**
 * Where to look for the target: the page after `above` once the target must be on it; else, in
 * turns, where the last page's spacing of keys puts it (flows come at a fairly steady rate),
 * and a halving (a doubling while nothing deeper is known), so that a skewed estimate still
 * converges.
 */
function nextStart(c: ScanCursor, limit: number): number {
  if (c.at !== undefined) return c.at;
  if (c.below - c.above - 1 <= limit) return c.above + 1;
  const target = c.unread[0]!.newest;
  const high = c.below === Infinity ? Math.max(limit, 4 * (c.above + 1)) : c.below - 1;
  if (c.probes % 2 === 1 && c.slope > 0 && c.aboveKey !== undefined) {
    const estimate = c.above + 1 + Math.floor((c.aboveKey - target) / c.slope);
    return Math.min(high, Math.max(c.above + 1, estimate - Math.floor(limit / 5)));
  }
  if (c.below === Infinity) return Math.max(limit, 2 * (c.above + 1));
  return Math.floor((c.above + 1 + c.below) / 2);
}

function memoryOf(c: ScanCursor): ScanMemory {
  return { cutoff: c.cutoff, unread: c.unread, hint: c.hint };
}

function reachOf(c: ScanCursor): ScanReach {
  return {
    requests: c.requests,
    deepest: c.deepest,
    ...(c.oldest !== undefined && { oldest: c.oldest }),
    cutoff: c.cutoff,
    unreadMs: c.unread.reduce((ms, s) => ms + (s.newest - s.oldest + 1), 0),
  };
}
