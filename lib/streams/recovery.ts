import {
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  defer,
  EMPTY,
  from,
  mergeMap,
  type Observable,
  of,
  repeat,
  type SchedulerLike,
  take,
  takeWhile,
  tap,
  timer,
} from 'rxjs';
import { PACK_DEFAULTS } from '../model/defaults.js';
import type { FlyteApi } from '../api/flyte-api.js';
import type { AuditAction, AuditFlow } from '../model/audit.js';
import { isHttpError, isLinkNotFoundError } from '../model/errors.js';
import type { Action, RegisteredPack } from '../model/wire-types.js';
import { type BackoffConfig, backoffMs } from './backoff.js';
import type { Registration } from './registration.js';
import {
  afterPage,
  firstRequest,
  NO_SCAN_YET,
  type ScanCursor,
  type ScanLimits,
  type ScanMemory,
  type ScanReach,
  startScan,
} from './scan-plan.js';
import { scanDelay } from './scan-timing.js';

/**
 * Flows in one page of a scan (the audit's `limit`).
 *
 * @example
 * recoverStranded$(deps, { after, pageSize: RECOVERY_PAGE_SIZE });
 */
export const RECOVERY_PAGE_SIZE = 50;
/**
 * Requests one scan makes at most (pages read and pages read to find a depth): a scan costs
 * the server at most this many audit reads, plus one re-read per stranded action it finds.
 *
 * @example
 * const maxRequestsPerHour = RECOVERY_MAX_REQUESTS * (3_600_000 / every);
 */
export const RECOVERY_MAX_REQUESTS = 10;
/**
 * How far back a scan looks by default: flows whose latest state is older are not read, in ms.
 *
 * @example
 * recoverStranded$(deps, { after, horizon: 2 * RECOVERY_HORIZON });
 */
export const RECOVERY_HORIZON = 24 * 60 * 60 * 1000;

/**
 * When an action counts as stranded and how often to look.
 *
 * @example
 * const config: RecoveryConfig = { after: 600_000, every: 300_000 };
 */
export interface RecoveryConfig {
  /** Time an action must have been PENDING to count as stranded, in ms. */
  readonly after: number;
  /** Time between the starts of two scans, in ms. @default 300000 */
  readonly every?: number;
  /**
   * How far back a scan pages, in ms: it stops at the first flow whose latest state is older.
   * @default 86400000 (24 h)
   */
  readonly horizon?: number;
  /** Flows per page. @default 50 */
  readonly pageSize?: number;
  /**
   * Audit requests per scan; what a scan leaves unread, the next one reads (keys that became
   * old since come first). @default 10
   */
  readonly maxRequests?: number;
  /** Random source in [0, 1) of the scans' jitter; inject a fixed one in tests. @default Math.random */
  readonly random?: () => number;
}

/**
 * What {@link recoverStranded$} needs.
 *
 * @example
 * recoverStranded$({ api, registration$, labels, isHandling: (id) => handling.has(id) }, { after: 600_000 });
 */
export interface RecoveryDeps {
  /** The audit reads: the pages, and one flow to re-read a stranded action before it runs. */
  readonly api: Pick<FlyteApi, 'auditFlows' | 'auditFlow'>;
  /** The registrations, replaying the latest; each scan uses the latest one. */
  readonly registration$: Observable<Registration>;
  /** The pack's labels: only actions whose labels are all among them are the pack's. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Whether this process is handling the action, or settled it after `since` (a scan's page
   * may predate a result delivered while it was on its way): such an action is never recovered.
   */
  readonly isHandling: (actionId: string, since: number) => boolean;
  /** Backoff after failed scans. */
  readonly backoff?: BackoffConfig;
}

/**
 * What a scan reports.
 * - `stranded`: an action of the pack PENDING longer than `after`, which this process is not
 *   handling, as an {@link Action} to run (with `recovered` set);
 * - `scanned`: a scan ended, with how far it got ({@link ScanReach});
 * - `failed`: a scan failed; the next waits for the backoff (at least `every`);
 * - `off`: the audit is missing or refused (401, 403, 404): recovery has turned itself off;
 *   the stream then completes.
 *
 * @example
 * recovery$.subscribe((e: RecoveryEvent) => e.kind === 'off' && logger.warn(String(e.error)));
 */
export type RecoveryEvent =
  | {
      /** An action of this pack found stranded PENDING: handle it. */
      readonly kind: 'stranded';
      /** The stranded action, as a take would have returned it. */
      readonly action: Action;
    }
  | {
      /** A scan ended: how far it got. */
      readonly kind: 'scanned';
      /** Its requests, depth and the oldest flow it read. */
      readonly reach: ScanReach;
    }
  | {
      /** A scan failed; the next one waits for the backoff. */
      readonly kind: 'failed';
      /** What the scan failed with. */
      readonly error: unknown;
      /** Scans failed in a row, this one included. */
      readonly failures: number;
    }
  | {
      /** The audit is not available to this pack: recovery turned itself off. */
      readonly kind: 'off';
      /** The missing link or the 401/403/404 that showed it. */
      readonly error: unknown;
    };

/**
 * Whether an audit error means the audit is not available to this pack: no audit link, or a
 * 401, 403 or 404 (some deployments restrict the audit API).
 *
 * @param error - what a scan failed with.
 * @returns true when recovery should turn itself off.
 * @example
 * auditUnavailable(new HttpError({ method: 'GET', url, status: 403 })); // true
 */
export function auditUnavailable(error: unknown): boolean {
  return (
    isLinkNotFoundError(error) || (isHttpError(error) && [401, 403, 404].includes(error.status))
  );
}

/**
 * Finds this pack's stranded actions through the server's audit. Each replica scans on its own
 * jittered schedule (`scanDelay`), never two scans at once. A scan reads the audit
 * filtered by the pack's name as its plan (`scan-plan.ts`) says: first the flows that became older
 * than `after` since the last scan, wherever newer flows have pushed them, then on down
 * through the `horizon` where the last scan stopped, within `maxRequests` requests. Ages are
 * measured with the server's clock (each answer's `Date` header; the local clock when absent).
 * The audit filters by name only; labels are checked here, with the take's rule (the action's
 * labels all among the pack's). Just before a stranded action is emitted (and run), its flow
 * is read again (`GET <audit link>/<correlationId>`): an action that is no longer PENDING
 * (another replica finished it) is skipped. After a failed scan the next waits for the backoff;
 * a missing or refused audit (`auditUnavailable`: no audit link, or a 401, 403 or 404) emits
 * `off` and completes.
 *
 * @param deps - the audit, the registrations, the labels and the handling check.
 * @param config - `after`, `every`, `horizon`, `pageSize`, `maxRequests`, `random`.
 * @param scheduler - the scheduler of the waits and of the local clock.
 * @returns the stranded actions, each scan's reach and failures; completes only after `off`.
 * @example
 * recoverStranded$(deps, { after: 900_000, every: 300_000 })
 *   .pipe(filter((e) => e.kind === 'stranded'))
 *   .subscribe(({ action }) => run(action));
 */
export function recoverStranded$(
  deps: RecoveryDeps,
  config: RecoveryConfig,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<RecoveryEvent> {
  const every = config.every ?? PACK_DEFAULTS.recovery.every;
  const random = config.random ?? Math.random;
  const limits: ScanLimits = {
    after: config.after,
    horizon: config.horizon ?? RECOVERY_HORIZON,
    pageSize: config.pageSize ?? RECOVERY_PAGE_SIZE,
    maxRequests: config.maxRequests ?? RECOVERY_MAX_REQUESTS,
  };
  const auditFlows = deps.api.auditFlows?.bind(deps.api);
  return defer(() => {
    let memory: ScanMemory = NO_SCAN_YET;
    let failures = 0;
    let first = true;

    const scan$ = (registration: Registration): Observable<RecoveryEvent> =>
      defer(() => {
        if (!auditFlows) throw new Error('this transport has no audit (auditFlows)');
        const startedAt = scheduler.now();
        const seen = new Set<string>();
        let cursor: ScanCursor | undefined;
        const page$ = (start: number, limit: number): Observable<RecoveryEvent> =>
          auditFlows(registration.root, {
            actionPackName: registration.pack.name,
            start,
            limit,
          }).pipe(
            take(1),
            mergeMap(({ flows, serverTime }) => {
              const serverNow = serverTime ?? scheduler.now();
              cursor ??= startScan(memory, serverNow, limits);
              const keys = flows.map((f) => latestTime(f, registration.pack.name));
              const step = afterPage(cursor, { start, keys }, limits);
              const found$ = from(
                flows.flatMap((flow) =>
                  strandedIn(flow, registration, deps, {
                    after: limits.after,
                    serverNow,
                    startedAt,
                    seen,
                  }),
                ),
              ).pipe(concatMap((action) => stillPending$(deps.api, registration, action)));
              if ('next' in step) {
                cursor = step.cursor;
                return concat(found$, page$(step.next.start, step.next.limit));
              }
              return concat(
                found$,
                defer(() => {
                  memory = step.memory;
                  return of<RecoveryEvent>({ kind: 'scanned', reach: step.reach });
                }),
              );
            }),
          );
        const { start, limit } = firstRequest(memory, limits);
        return page$(start, limit);
      });

    const cycle$ = defer(() => {
      const backoff = failures ? backoffMs(deps.backoff ?? {}, failures) : 0;
      const wait = scanDelay({ every, random, first, backoff });
      first = false;
      return timer(wait, scheduler);
    }).pipe(
      mergeMap(() => deps.registration$.pipe(take(1))),
      mergeMap(scan$),
      tap((event) => event.kind === 'scanned' && (failures = 0)),
      catchError((error: unknown) => {
        if (auditUnavailable(error) || !auditFlows) {
          return of<RecoveryEvent>({ kind: 'off', error });
        }
        failures += 1;
        return of<RecoveryEvent>({ kind: 'failed', error, failures });
      }),
    );
    return cycle$.pipe(
      repeat(),
      takeWhile((event) => event.kind !== 'off', true),
    );
  });
}

/**
 * The stranded action, when a fresh read of its flow still shows it PENDING since the same
 * time; nothing when another replica finished (or took it anew) since the page was read.
 */
function stillPending$(
  api: RecoveryDeps['api'],
  registration: Registration,
  action: Action,
): Observable<RecoveryEvent> {
  const stranded = { kind: 'stranded' as const, action };
  const auditFlow = api.auditFlow?.bind(api);
  if (!auditFlow || !action.recovered) return of(stranded);
  const { correlationId, pendingSince } = action.recovered;
  return auditFlow(registration.root, correlationId).pipe(
    take(1),
    mergeMap((flow) => {
      const now = flow?.actions.find((a) => a.id === action.id)?.state;
      return now?.value === 'PENDING' && now.time === pendingSince ? of(stranded) : EMPTY;
    }),
  );
}

/** The latest state time of the flow's actions of this pack (the audit's sort key), in ms. */
function latestTime(flow: AuditFlow, packName: string): number {
  const times = flow.actions
    .filter((a) => a.packName === packName)
    .map((a) => Date.parse(a.state.time));
  return times.length ? Math.max(...times) : -Infinity;
}

/** The pack's actions of one flow that are stranded, as actions to run. */
function strandedIn(
  flow: AuditFlow,
  { root, pack }: Registration,
  deps: RecoveryDeps,
  scan: { after: number; serverNow: number; startedAt: number; seen: Set<string> },
): Action[] {
  return flow.actions
    .filter((a) => isPacks(a, pack, deps.labels) && a.state.value === 'PENDING')
    .filter((a) => scan.serverNow - Date.parse(a.state.time) >= scan.after)
    .filter((a) => !scan.seen.has(a.id) && !deps.isHandling(a.id, scan.startedAt))
    .map((a) => {
      scan.seen.add(a.id);
      const packUrl = pack.url ?? `${root.packsUrl}/${encodeURIComponent(pack.id)}`;
      const resultUrl = `${packUrl}/actions/${encodeURIComponent(a.id)}/result`;
      return {
        id: a.id,
        command: a.command,
        input: a.input,
        resultUrl,
        links: [{ href: resultUrl, rel: 'actionResult' }],
        recovered: {
          strandedFor: scan.serverNow - Date.parse(a.state.time),
          pendingSince: a.state.time,
          correlationId: a.correlationId,
        },
      };
    });
}

function isPacks(
  action: AuditAction,
  pack: RegisteredPack,
  labels: Readonly<Record<string, string>>,
): boolean {
  return (
    action.packName === pack.name &&
    Object.entries(action.packLabels).every(([k, v]) => labels[k] === v)
  );
}
