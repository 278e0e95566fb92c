import {
  asyncScheduler,
  catchError,
  defaultIfEmpty,
  defer,
  map,
  NEVER,
  type Observable,
  of,
  type OperatorFunction,
  race,
  type SchedulerLike,
  switchMap,
  take,
  timer,
} from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import {
  DeliveryError,
  errorMessage,
  InferredDeliveryError,
  isHttpError,
} from '../model/errors.js';
import { fatalEventFor } from '../model/fatal-payload.js';
import { RecoveredElsewhereError } from '../model/recovered-elsewhere-error.js';
import type { Action } from '../model/wire-types.js';
import { silentLogger, type Logger } from '../model/logger.js';
import { describeItem, type DeliveryReport, type OutboxItem } from '../model/outbox-item.js';
import { toWireEvent } from '../model/wire-event.js';
import { classifyAttempt } from './attempt-outcome.js';
import { type BackoffConfig, serverAskedWait } from './backoff.js';
import { prioritisedMerge } from './prioritised-merge.js';
import { reRegistration } from './re-registration.js';
import type { Registration } from './registration.js';

/**
 * What the delivery of an event needs.
 *
 * @example
 * deliverOne$(item, { api, registration$, reRegister: (stale) => notFound$.next(stale), attempts: 5 });
 */
export interface DeliveryDeps {
  /** The posts, and the server's health check (without it, no landing is ever inferred). */
  readonly api: Pick<FlyteApi, 'completeAction' | 'postEvent'> & Partial<Pick<FlyteApi, 'health'>>;
  /** The registrations, replaying the latest; events wait for the first one. */
  readonly registration$: Observable<Registration>;
  /** Told when a post answered 404 (the server no longer knows the registration's pack). */
  readonly reRegister?: (stale: Registration) => void;
  /** Attempts before giving up; waits the server asked for (`Retry-After`) spend none. @default 10 */
  readonly attempts?: number;
  /** The backoff between attempts; its `maxDelay` also caps a `Retry-After` wait. */
  readonly backoff?: BackoffConfig;
  /**
   * Once it emits (make it replay), no new attempt starts: a delivery waiting gives up at
   * once, a post in flight finishes and is reported by its real outcome.
   */
  readonly deadline$?: Observable<unknown>;
  /** @default silentLogger */
  readonly logger?: Logger;
  /**
   * Asked when a result's post answers a bare 500: `undefined` keeps the policy below;
   * otherwise an observable of the action's state when another client completed it (not
   * PENDING any more), or `null` when it did not. The pack sets it for recovered actions
   * (`recoveredElsewhere`). A state ends the delivery with a
   * {@link RecoveredElsewhereError}; `null`, an error or nothing keeps the policy.
   */
  readonly completedElsewhere?: (action: Action) => Observable<string | null> | undefined;
}

const LATE: unique symbol = Symbol('late');

/**
 * Bare 500s in a row (the first followed by a healthy health check) after which a result
 * whose earlier attempt was lost counts as landed. One is not enough: flyte answers a store
 * failure with the same bare 500, and a run of six such failures in a row is rare.
 */
export const BARE_500S_FOR_LANDING = 6;

/**
 * Delivers one event: posts it until the server accepts it with 202, backing off with jitter
 * between attempts (see `docs/guarantees.md` for the whole policy).
 *
 * - 404 asks for re-registration and retries with the new registration (a result keeps its
 *   action's result link), at once the first time ({@link reRegistration}).
 * - 429 and 503 are retried after the server's `Retry-After` (seconds or an HTTP date,
 *   capped at the backoff's `maxDelay`) when it sends one; such waits spend no attempt.
 * - An ambiguous failure (see {@link classifyAttempt}: the server may have applied it) is
 *   retried. A later bare 500 on a result is either "not PENDING any more" or a store failure:
 *   it is never taken for a landing by itself. The server's health link is asked; only when
 *   it answers 200 and {@link BARE_500S_FOR_LANDING} bare 500s come in a row does the
 *   delivery end, reported as an {@link InferredDeliveryError} (logged as a warning), never
 *   as a plain success.
 * - A permanent refusal (4xx other than 404, 408, 429; a 401 after a fresh token) of a result
 *   answers the action with a FATAL event saying so (reason `refused`), so the flow is not left
 *   waiting; the refusal is still reported as a {@link DeliveryError}. An event refused, a
 *   FATAL refused too, a spent budget or the deadline give up with a {@link DeliveryError}
 *   carrying the event, logged as an error.
 *
 * @param item - the result or event.
 * @param deps - the transport, the registrations, the budget, the deadline and the logger.
 * @param scheduler - the scheduler of the waits.
 * @returns one report (with the posts made and the time from the first to the end, measured
 *   with `scheduler`), then completes; never errors.
 * @example
 * deliverOne$({ kind: 'event', event: wire }, { api, registration$, attempts: 5 }).subscribe(({ error }) => error && alert(error));
 */
export function deliverOne$(
  item: OutboxItem,
  deps: DeliveryDeps,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<DeliveryReport> {
  return delivery$(item, deps, scheduler, undefined, { posts: 0 });
}

/** The posts made for an item so far, and when the first one was sent. */
interface Progress {
  posts: number;
  firstAt?: number;
}

/** What {@link delivery$} reports; it adds the item, the attempts and the times. */
type Ending = Omit<DeliveryReport, 'item' | 'attempts' | 'time' | 'ms'>;

function delivery$(
  item: OutboxItem,
  deps: DeliveryDeps,
  scheduler: SchedulerLike,
  refusal: DeliveryError | undefined,
  prior: Readonly<Progress>,
): Observable<DeliveryReport> {
  const logger = deps.logger ?? silentLogger;
  const attempts = Math.max(1, deps.attempts ?? 10);
  const late$ = (deps.deadline$ ?? NEVER).pipe(
    take(1),
    map((): typeof LATE => LATE),
  );
  /** `source$`'s first value, or LATE once the deadline has come. */
  const orLate = <T>(source$: Observable<T>): Observable<T | typeof LATE> =>
    race(late$, source$.pipe(take(1)));
  return defer(() => {
    const step = reRegistration(deps);
    let tries = 0;
    /** Every post, unlike `tries` (the budget spent), and those before a refusal. */
    const progress: Progress = { ...prior };
    let ambiguous = false;
    /** Bare 500s in a row since the health link answered 200 after a lost answer. */
    let bare500s = 0;
    let lastError: unknown;
    const original = refusal ? undefined : item;
    const fail = (message: string, cause: unknown): DeliveryError => {
      const url = item.kind === 'result' ? item.action.resultUrl : undefined;
      const actionId = item.kind === 'result' ? item.action.id : undefined;
      logger.error(message, { event: item.event, ...(actionId ? { actionId } : {}) });
      return new DeliveryError({ message, event: item.event, actionId, url, cause });
    };
    const done = (report: Ending): DeliveryReport => {
      const time = scheduler.now();
      const timing = {
        attempts: progress.posts,
        time,
        ms: progress.firstAt === undefined ? 0 : time - progress.firstAt,
      };
      if (!refusal) return { ...report, ...timing, item: original as OutboxItem };
      const reported = reportedItem(item, refusal);
      if (!report.error) {
        const replacement = item.event;
        return { item: reported, error: refusal, replacedByFatal: true, replacement, ...timing };
      }
      const message = `${refusal.message}, which failed too: ${report.error.message}`;
      const { event, actionId, url } = refusal;
      return {
        item: reported,
        error: new DeliveryError({ message, event, actionId, url, cause: report.error }),
        ...timing,
      };
    };
    const giveUpLate = (): DeliveryReport =>
      done({
        error: fail(
          `the pack stopped before ${describeItem(item)} was delivered` +
            (lastError === undefined ? '' : ` (last error: ${errorMessage(lastError)})`),
          lastError,
        ),
      });
    const post$ = ({ pack }: Registration): Observable<unknown> =>
      item.kind === 'result'
        ? deps.api.completeAction(item.action, item.event)
        : deps.api.postEvent(pack, item.event);
    /** Whether the server's health link answers 200. */
    const healthy$ = (registration: Registration): Observable<boolean> =>
      deps.api.health
        ? deps.api.health(registration.root).pipe(
            take(1),
            defaultIfEmpty(undefined),
            map(() => true),
            catchError(() => of(false)),
          )
        : of(false);
    const again$ = (wait: number): Observable<DeliveryReport> =>
      orLate(timer(wait, scheduler)).pipe(
        switchMap((tick) => (tick === LATE ? of(giveUpLate()) : attempt$())),
      );
    const failed$ = (error: unknown, registration: Registration): Observable<DeliveryReport> => {
      const check$ =
        item.kind === 'result' && classifyAttempt(error) === 'bare-500'
          ? deps.completedElsewhere?.(item.action)
          : undefined;
      if (!check$) return policy$(error, registration);
      return orLate(
        check$.pipe(
          defaultIfEmpty(null),
          catchError(() => of(null)),
        ),
      ).pipe(
        switchMap((state) => {
          if (state === LATE) return of(giveUpLate());
          if (state === null) return policy$(error, registration);
          return of(done({ elsewhere: elsewhere(state, error) }));
        }),
      );
    };
    const elsewhere = (state: string, cause: unknown): RecoveredElsewhereError => {
      const { action, event } = item as Extract<OutboxItem, { kind: 'result' }>;
      const message =
        `${describeItem(item)} was not needed: the action is ${state} in the audit, ` +
        `completed by another client first (recovered elsewhere)`;
      logger.info(message, { actionId: action.id, command: action.command, state });
      return new RecoveredElsewhereError({
        message,
        event,
        actionId: action.id,
        state,
        url: action.resultUrl,
        cause,
      });
    };
    const policy$ = (error: unknown, registration: Registration): Observable<DeliveryReport> => {
      lastError = error;
      const kind = classifyAttempt(error);
      if (kind === 'refused')
        return refused$(item, error, deps, scheduler, { refusal, progress, fail, done });
      const wait = step.failed(error, registration, tries);
      if (serverAskedWait(error) !== undefined) tries -= 1; // a wait the server asked for spends no attempt
      if (kind === 'ambiguous') ambiguous = true;
      const landedMaybe = kind === 'bare-500' && item.kind === 'result' && ambiguous;
      if (!landedMaybe) bare500s = 0;
      else if (bare500s > 0) bare500s += 1;
      if (bare500s >= BARE_500S_FOR_LANDING) return of(done({ inferred: inferred(error) }));
      const exhausted = tries >= attempts;
      const message = `gave up delivering ${describeItem(item)} after ${tries} attempts: ${errorMessage(error)}`;
      if (exhausted) return of(done({ error: fail(message, error) }));
      if (!landedMaybe || bare500s > 0) return again$(wait);
      // The first bare 500 after a lost answer: is the store healthy?
      return orLate(healthy$(registration)).pipe(
        switchMap((healthy) => {
          if (healthy === LATE) return of(giveUpLate());
          bare500s = healthy ? 1 : 0;
          return again$(wait);
        }),
      );
    };
    const inferred = (cause: unknown): InferredDeliveryError => {
      const { action, event } = item as Extract<OutboxItem, { kind: 'result' }>;
      const message =
        `${describeItem(item)} most likely landed: an attempt was lost after it may have reached ` +
        `the server, which now keeps answering a bare 500 (not PENDING) while its health check passes`;
      logger.warn(message, { event, actionId: action.id });
      return new InferredDeliveryError({
        message,
        event,
        actionId: action.id,
        url: action.resultUrl,
        cause,
      });
    };
    const attempt$ = (): Observable<DeliveryReport> =>
      orLate(step.current$).pipe(
        switchMap((registration) => {
          if (registration === LATE) return of(giveUpLate());
          tries += 1;
          progress.posts += 1;
          progress.firstAt ??= scheduler.now();
          return post$(registration).pipe(
            take(1),
            defaultIfEmpty(undefined),
            map(() => {
              step.succeeded();
              return done({});
            }),
            catchError((error: unknown) =>
              // The post ran to its end; after the deadline only its outcome is reported.
              orLate(of(0)).pipe(
                switchMap((now) =>
                  now === LATE && classifyAttempt(error) !== 'refused'
                    ? ((lastError = error), of(giveUpLate()))
                    : failed$(error, registration),
                ),
              ),
            ),
          );
        }),
      );
    return attempt$();
  });
}

/** The item a report names: the original result, not the FATAL that replaced it. */
function reportedItem(item: OutboxItem, refusal: DeliveryError): OutboxItem {
  return item.kind === 'result'
    ? { kind: 'result', action: item.action, event: refusal.event }
    : item;
}

/** A refusal for good: a result is answered with a FATAL event instead; anything else ends. */
function refused$(
  item: OutboxItem,
  error: unknown,
  deps: DeliveryDeps,
  scheduler: SchedulerLike,
  state: {
    readonly refusal: DeliveryError | undefined;
    readonly progress: Readonly<Progress>;
    readonly fail: (message: string, cause: unknown) => DeliveryError;
    readonly done: (report: Ending) => DeliveryReport;
  },
): Observable<DeliveryReport> {
  const { refusal, fail, done } = state;
  const message = `the server refused ${describeItem(item)}: ${errorMessage(error)}`;
  if (item.kind !== 'result' || refusal) return of(done({ error: fail(message, error) }));
  const status = isHttpError(error) ? error.status : 0;
  const body = isHttpError(error) ? error.bodyExcerpt : '';
  const fatal = fatalEventFor('refused', item.action, {
    refused: { event: item.event.event, status, body },
  });
  const replacement: OutboxItem = {
    kind: 'result',
    action: item.action,
    event: toWireEvent(fatal, scheduler.now()),
  };
  const refusedError = fail(`${message}; answering the action with FATAL instead`, error);
  return delivery$(replacement, deps, scheduler, refusedError, state.progress);
}

/**
 * Options of {@link deliver}: those of {@link deliverOne$}, plus the concurrency.
 *
 * @example
 * outbox$.pipe(deliver({ api, registration$, attempts: 10, concurrency: 4 }));
 */
export interface OutboxOptions extends DeliveryDeps {
  /** Deliveries under way at once; the rest wait their turn. @default 10 */
  readonly concurrency?: number;
  /** Told the number of items queued or being delivered each time it changes. */
  readonly onSize?: (size: number) => void;
}

/**
 * The outbox: delivers every item (action results and spontaneous events) with
 * {@link deliverOne$}, at most `concurrency` at once, results ahead of events waiting their
 * turn, and reports how each delivery ended — exactly one {@link DeliveryReport} per item,
 * never an error, so one undeliverable event never stops the others. Completes when the
 * source has completed and every delivery has ended; to flush at stop, complete the source
 * and make `deadline$` emit after the flush deadline.
 *
 * @param options - see {@link deliverOne$}, plus the concurrency and a size listener.
 * @param scheduler - the scheduler of the waits.
 * @returns the operator from items to reports.
 * @example
 * const outbox = new Subject<OutboxItem>();
 * outbox.pipe(deliver({ api, registration$, attempts: 10, logger })).subscribe(({ error }) => error && errors$.next(error));
 */
export function deliver(
  options: OutboxOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<OutboxItem, DeliveryReport> {
  return prioritisedMerge(
    (item) => deliverOne$(item, options, scheduler),
    (item) => (item.kind === 'result' ? 0 : 1),
    options.concurrency ?? 10,
    options.onSize,
  );
}
