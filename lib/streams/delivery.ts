import {
  asyncScheduler,
  mergeMap,
  type OperatorFunction,
  catchError,
  defaultIfEmpty,
  defer,
  map,
  NEVER,
  type Observable,
  of,
  race,
  retry,
  type SchedulerLike,
  switchMap,
  take,
  throwError,
  timer,
} from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import {
  DeliveryError,
  errorMessage,
  type HttpError,
  isHttpError,
  isNetworkError,
  isPackNotFoundError,
  isTimeoutError,
} from '../model/errors.js';
import { silentLogger, type Logger } from '../model/logger.js';
import { describeItem, type DeliveryReport, type OutboxItem } from '../model/outbox-item.js';
import type { BackoffConfig } from './backoff.js';
import { reRegistration } from './re-registration.js';
import type { Registration } from './registration.js';

/**
 * What the delivery of an event needs.
 *
 * @example
 * deliverOne$(item, { api, registration$, reRegister: (stale) => notFound$.next(stale), attempts: 5 });
 */
export interface DeliveryDeps {
  readonly api: Pick<FlyteApi, 'completeAction' | 'postEvent'>;
  /** The registrations, replaying the latest; events wait for the first one. */
  readonly registration$: Observable<Registration>;
  /** Told when a post answered 404 (the server no longer knows the registration's pack). */
  readonly reRegister?: (stale: Registration) => void;
  /** Attempts before giving up. @default 10 */
  readonly attempts?: number;
  readonly backoff?: BackoffConfig;
  /** Once it emits (make it replay), deliveries still pending give up. */
  readonly deadline$?: Observable<unknown>;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/**
 * Delivers one event: posts it until the server accepts it, backing off with jitter between
 * attempts. A 404 asks for re-registration and retries with the new registration (a result
 * keeps its action's result link): at once the first time, after the backoff wait when it
 * repeats ({@link reRegistration}). A permanent refusal (4xx other than 404, 408, 429; a 401 is final
 * because the transport already retried it with a fresh token), a spent `attempts` budget or
 * `deadline$` gives up with a {@link DeliveryError} carrying the event, logged as an error.
 *
 * Contract quirk: the server answers 500 to a result for an action that is no longer PENDING
 * (the flyte server sends it with an empty body; the fake server says "not PENDING"). When an
 * earlier attempt for the same result failed ambiguously (network error or timeout: the
 * server may have applied it), such a 500 most likely means the result landed: it counts as
 * delivered, with a warning. A 500 whose body says something else is retried. (A store
 * failure answered with an empty 500 right after a lost answer would be taken for a landed
 * result: the contract leaves no way to tell them apart.)
 *
 * @param item - the result or event.
 * @param deps - the transport, the registrations, the budget, the deadline and the logger.
 * @param scheduler - the scheduler of the backoff waits.
 * @returns one report, then completes; never errors.
 * @example
 * deliverOne$({ kind: 'event', event: wire }, { api, registration$, attempts: 5 }).subscribe(({ error }) => error && alert(error));
 */
export function deliverOne$(
  item: OutboxItem,
  deps: DeliveryDeps,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<DeliveryReport> {
  const logger = deps.logger ?? silentLogger;
  const attempts = Math.max(1, deps.attempts ?? 10);
  return defer(() => {
    const step = reRegistration(deps);
    let tries = 0;
    let ambiguous = false;
    let wait = 0;
    let lastError: unknown;
    const give = (message: string, cause: unknown): DeliveryReport => {
      const url = item.kind === 'result' ? item.action.resultUrl : undefined;
      const actionId = item.kind === 'result' ? item.action.id : undefined;
      const error = new DeliveryError({ message, event: item.event, actionId, url, cause });
      logger.error(message, { event: item.event, ...(actionId ? { actionId } : {}) });
      return { item, error };
    };
    const post$ = ({ pack }: Registration): Observable<unknown> =>
      item.kind === 'result'
        ? deps.api.completeAction(item.action, item.event)
        : deps.api.postEvent(pack, item.event);
    const attempt$ = defer(() => {
      tries += 1;
      return step.current$;
    }).pipe(
      switchMap((registration) =>
        post$(registration).pipe(
          take(1),
          defaultIfEmpty(undefined),
          catchError((error: unknown) => {
            lastError = error;
            if (item.kind === 'result' && ambiguous && looksNotPending(error)) {
              logger.warn(`${describeItem(item)} most likely landed: ${error.message}`, {
                event: item.event,
                actionId: item.action.id,
              });
              return of(undefined);
            }
            if (isNetworkError(error) || isTimeoutError(error)) ambiguous = true;
            if (!isPermanent(error)) wait = step.failed(error, registration, tries);
            return throwError(() => error);
          }),
        ),
      ),
      retry({
        count: attempts - 1,
        // A server that keeps answering 404 (it keeps losing the pack, or the action is unknown:
        // the same status) is backed off by the step, not hammered with registrations.
        delay: (error: unknown) =>
          isPermanent(error) ? throwError(() => error) : timer(wait, scheduler),
      }),
      map((): DeliveryReport => ({ item })),
      catchError((error: unknown) =>
        of(
          isPermanent(error)
            ? give(`the server refused ${describeItem(item)}: ${errorMessage(error)}`, error)
            : give(
                `gave up delivering ${describeItem(item)} after ${tries} attempts: ${errorMessage(error)}`,
                error,
              ),
        ),
      ),
    );
    const deadline$ = (deps.deadline$ ?? NEVER).pipe(
      take(1),
      map(() =>
        give(
          `the pack stopped before ${describeItem(item)} was delivered` +
            (lastError === undefined ? '' : ` (last error: ${errorMessage(lastError)})`),
          lastError,
        ),
      ),
    );
    return race(deadline$, attempt$);
  });
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
}

/**
 * The outbox: delivers every item (action results and spontaneous events, fed through one
 * `Subject`) with {@link deliverOne$}, at most `concurrency` at once, and reports how each
 * delivery ended — exactly one {@link DeliveryReport} per item, never an error, so one
 * undeliverable event never stops the others. Completes when the source has completed and
 * every delivery has ended; to flush at stop, complete the source and make `deadline$` emit
 * after the flush deadline.
 *
 * @param options - see {@link deliverOne$}, plus the concurrency.
 * @param scheduler - the scheduler of the backoff waits.
 * @returns the operator from items to reports.
 * @example
 * const outbox = new Subject<OutboxItem>();
 * outbox.pipe(deliver({ api, registration$, attempts: 10, logger })).subscribe(({ error }) => error && errors$.next(error));
 */
export function deliver(
  options: OutboxOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<OutboxItem, DeliveryReport> {
  return mergeMap((item) => deliverOne$(item, options, scheduler), options.concurrency ?? 10);
}

/** A 500 as the server answers a result for an action that is no longer PENDING. */
function looksNotPending(error: unknown): error is HttpError {
  if (!isHttpError(error) || error.status !== 500) return false;
  const body = error.bodyExcerpt.trim();
  return body === '' || /not pending/i.test(body);
}

/** Errors that another attempt cannot fix. */
function isPermanent(error: unknown): boolean {
  if (isPackNotFoundError(error) || isNetworkError(error) || isTimeoutError(error)) return false;
  if (isHttpError(error))
    return error.status >= 400 && error.status < 500 && ![408, 429].includes(error.status);
  return false;
}
