import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  EMPTY,
  exhaustMap,
  mergeMap,
  type Observable,
  of,
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

/**
 * Flows in one page of a scan (the audit's `limit`).
 *
 * @example
 * recoverStranded$(deps, { after, pageSize: RECOVERY_PAGE_SIZE });
 */
export const RECOVERY_PAGE_SIZE = 50;
/**
 * Pages one scan reads at most: a scan costs the server at most this many requests.
 *
 * @example
 * const maxRequestsPerHour = RECOVERY_MAX_PAGES * (3_600_000 / every);
 */
export const RECOVERY_MAX_PAGES = 4;
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
  /** Pages per scan; a scan that stops at this bound resumes there the next time. @default 4 */
  readonly maxPages?: number;
}

/**
 * What {@link recoverStranded$} needs.
 *
 * @example
 * recoverStranded$({ api, registration$, labels, isHandling: (id) => handling.has(id) }, { after: 600_000 });
 */
export interface RecoveryDeps {
  /** The audit reads. */
  readonly api: Pick<FlyteApi, 'auditFlows'>;
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
 * Finds this pack's stranded actions through the server's audit: a scan at once and then every
 * `every`, never two at once (`exhaustMap`: a tick during a scan is dropped). A scan reads the
 * audit filtered by the pack's name, newest flows first, `pageSize` flows a page, until a page
 * is short, a flow's latest state is older than `horizon`, or `maxPages` pages were read (the
 * next scan then resumes after them): at most `maxPages` requests per scan. The audit filters
 * by name only; labels are checked here, with the take's rule (the action's labels all among
 * the pack's), which the audit's label filter (every given label on the action) cannot express.
 * After a failed scan, ticks are skipped until the backoff has passed; a missing or refused
 * audit ({@link auditUnavailable}) emits `off` and completes.
 *
 * @param deps - the audit, the registrations, the labels and the handling check.
 * @param config - `after`, `every`, `horizon`, `pageSize`, `maxPages`.
 * @param scheduler - the scheduler of the ticks and of "now".
 * @returns the stranded actions and scan failures; completes only after `off`.
 * @example
 * recoverStranded$(deps, { after: 600_000, every: 300_000 })
 *   .pipe(filter((e) => e.kind === 'stranded'))
 *   .subscribe(({ action }) => run(action));
 */
export function recoverStranded$(
  deps: RecoveryDeps,
  config: RecoveryConfig,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<RecoveryEvent> {
  const every = config.every ?? PACK_DEFAULTS.recovery.every;
  const horizon = config.horizon ?? RECOVERY_HORIZON;
  const limit = config.pageSize ?? RECOVERY_PAGE_SIZE;
  const maxPages = config.maxPages ?? RECOVERY_MAX_PAGES;
  const auditFlows = deps.api.auditFlows?.bind(deps.api);
  return defer(() => {
    let resumeAt = 0;
    let failures = 0;
    let retryAt = -Infinity;
    let off = false;

    const scan$ = (): Observable<RecoveryEvent> =>
      deps.registration$.pipe(
        take(1),
        mergeMap((registration) => {
          const startedAt = scheduler.now();
          const seen = new Set<string>();
          const page$ = (start: number, page: number): Observable<RecoveryEvent> =>
            defer(() => {
              if (!auditFlows) throw new Error('this transport has no audit (auditFlows)');
              return auditFlows(registration.root, {
                actionPackName: registration.pack.name,
                start,
                limit,
              });
            }).pipe(
              take(1),
              mergeMap((flows) => {
                const found = flows.flatMap((flow) =>
                  strandedIn(flow, registration, deps, { after: config.after, startedAt, seen }),
                );
                const old = flows.some(
                  (f) => latestTime(f, registration.pack.name) < startedAt - horizon,
                );
                const end = flows.length < limit || old;
                const more = !end && page + 1 < maxPages;
                if (end) resumeAt = 0;
                else if (!more) resumeAt = start + limit; // the page budget is spent
                const found$ = of(
                  ...found.map((action) => ({ kind: 'stranded' as const, action })),
                );
                return more ? concat(found$, page$(start + limit, page + 1)) : found$;
              }),
            );
          return page$(resumeAt, 0);
        }),
        tap({ complete: () => (failures = 0) }),
        catchError((error: unknown) => {
          if (auditUnavailable(error) || !auditFlows) {
            off = true;
            return of<RecoveryEvent>({ kind: 'off', error });
          }
          failures += 1;
          retryAt = scheduler.now() + backoffMs(deps.backoff ?? {}, failures);
          return of<RecoveryEvent>({ kind: 'failed', error, failures });
        }),
      );

    return timer(0, every, scheduler).pipe(
      takeWhile(() => !off),
      exhaustMap(() => (scheduler.now() < retryAt ? EMPTY : scan$())),
      takeWhile((event) => event.kind !== 'off', true),
    );
  });
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
  scan: { after: number; startedAt: number; seen: Set<string> },
): Action[] {
  return flow.actions
    .filter((a) => isPacks(a, pack, deps.labels) && a.state.value === 'PENDING')
    .filter((a) => scan.startedAt - Date.parse(a.state.time) >= scan.after)
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
          strandedFor: scan.startedAt - Date.parse(a.state.time),
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
