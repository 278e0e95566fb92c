import {
  asyncScheduler,
  catchError,
  defaultIfEmpty,
  defer,
  map,
  NEVER,
  Observable,
  of,
  type OperatorFunction,
  type SchedulerLike,
  Subscription,
  take,
  timer,
} from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import {
  DeliveryError,
  errorMessage,
  InferredDeliveryError,
  isHttpError,
  isInvalidResponseError,
  isUnauthorizedError,
} from '../model/errors.js';
import { fatalEventFor } from '../model/fatal-payload.js';
import { RecoveredElsewhereError } from '../model/recovered-elsewhere-error.js';
import type { Action } from '../model/wire-types.js';
import { silentLogger, type Logger } from '../model/logger.js';
import {
  describeItem,
  type DeliveryReport,
  type DeliveryTiming,
  type OutboxItem,
} from '../model/outbox-item.js';
import { toWireEvent } from '../model/wire-event.js';
import { classifyAttempt } from './attempt-outcome.js';
import { type BackoffConfig, serverAskedWait } from './backoff.js';
import {
  decideDelivery,
  type DeliveryDecision,
  type DeliveryOutcome,
  type DeliveryState,
  initialDeliveryState,
} from './delivery-policy.js';
import { prioritisedMerge } from './prioritised-merge.js';
import { unlessInterrupted } from './unless-interrupted.js';
import { reRegistration } from './re-registration.js';
import type { Registration } from './registration.js';

/**
 * What the delivery of an event needs.
 *
 * @example
 * deliverOne$(item, { api, registration$, reRegister: (stale) => notFound$.next(stale), eventAttempts: 5 });
 */
export interface DeliveryDeps {
  /** The posts, and the server's health check (without it, no landing is ever inferred). */
  readonly api: Pick<FlyteApi, 'completeAction' | 'postEvent'> & Partial<Pick<FlyteApi, 'health'>>;
  /** The registrations, replaying the latest; events wait for the first one. */
  readonly registration$: Observable<Registration>;
  /** Told when a post answered 404 (the server no longer knows the registration's pack). */
  readonly reRegister?: (stale: Registration) => void;
  /** Posts of a spontaneous event before it is given up; results have no budget. @default 10 */
  readonly eventAttempts?: number;
  /** The backoff between attempts; its `maxDelay` also caps a `Retry-After` wait. */
  readonly backoff?: BackoffConfig;
  /**
   * Once it emits (make it replay), no new attempt starts: a delivery waiting gives up at
   * once, a post in flight finishes and is reported by its real outcome. Its completion alone
   * is no deadline.
   */
  readonly deadline$?: Observable<unknown>;
  /** @default silentLogger */
  readonly logger?: Logger;
  /**
   * The action's state in the server's audit (`SUCCESS`, `FATAL`, `PENDING`), or `null` when
   * the audit does not list it; asked after a bare 500 that follows an ambiguous attempt. A
   * refusal (401/403), an unreadable answer or `null` leave only inference; other errors are
   * asked again at the next bare 500. Without it, only inference is left.
   */
  readonly actionState?: (action: Action, registration: Registration) => Observable<string | null>;
}

/** The deadline came first. */
const LATE: unique symbol = Symbol('late');

type Verdict = Extract<DeliveryOutcome, { kind: 'audit' }>['verdict'];

/**
 * Delivers one event: posts it until the server accepts it with 202, as the delivery policy
 * (`decideDelivery` in `delivery-policy.ts`) decides, and reports how it ended (see `docs/guarantees.md`).
 *
 * - A result is posted until it is delivered, refused for good, or the deadline comes; an
 *   event has `eventAttempts` posts (events carry no id: at-least-once).
 * - 404 asks for re-registration and retries with the new registration (a result keeps its
 *   action's result link), at once the first time.
 * - 429 and 503 are retried after the server's `Retry-After` (capped at the backoff's
 *   `maxDelay`) when it sends one; such waits spend no attempt.
 * - After an ambiguous attempt (the server may have applied it), a bare 500 on a result asks
 *   the audit ({@link DeliveryDeps.actionState}): SUCCESS or FATAL ends it `verified` (or
 *   `recovered-elsewhere` for a recovered action), PENDING posts again. Where the audit is
 *   refused or unreadable, the health link is asked before each bare 500 counted; six counted
 *   end it `inferred` (an {@link InferredDeliveryError}, logged as a warning).
 * - A result refused for good (4xx other than 404, 408, 429) is answered with a FATAL event
 *   saying so (reason `refused`): `replaced-by-fatal`. An event refused, a FATAL refused too,
 *   a spent budget or the deadline end it `given-up` with a {@link DeliveryError} carrying the
 *   event, logged as an error.
 *
 * @param item - the result or event.
 * @param deps - the transport, the registrations, the budget, the deadline and the logger.
 * @param scheduler - the scheduler of the waits.
 * @returns one report (with the posts made and the time from the first to the end, measured
 *   with `scheduler`), then completes; never errors.
 * @example
 * deliverOne$({ kind: 'event', event: wire }, { api, registration$ }).subscribe((r) => r.end === 'given-up' && alert(r.error));
 */
export function deliverOne$(
  item: OutboxItem,
  deps: DeliveryDeps,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<DeliveryReport> {
  return delivery$(item, deps, scheduler, { posts: 0 }, undefined);
}

/** The posts made for an item so far, and when the first one was sent. */
interface Progress {
  posts: number;
  firstAt?: number;
}

function delivery$(
  item: OutboxItem,
  deps: DeliveryDeps,
  scheduler: SchedulerLike,
  progress: Progress,
  replacing: DeliveryError | undefined,
): Observable<DeliveryReport> {
  const logger = deps.logger ?? silentLogger;
  const config = {
    eventAttempts: Math.max(1, deps.eventAttempts ?? 10),
    backoff: deps.backoff ?? {},
  };
  const deadline$ = deps.deadline$ ?? NEVER;
  return defer(() => {
    const step = reRegistration(deps);
    const recovered = item.kind === 'result' && item.action.recovered !== undefined;
    let state: DeliveryState = initialDeliveryState(item.kind, recovered);
    let lastError: unknown;
    /** The action's state in the audit, when it was read. */
    let auditState: string | undefined;
    const timing = (): DeliveryTiming => {
      const time = scheduler.now();
      const ms = progress.firstAt === undefined ? 0 : time - progress.firstAt;
      return { item, attempts: progress.posts, time, ms };
    };
    const fail = (message: string, cause: unknown): DeliveryError => {
      const url = item.kind === 'result' ? item.action.resultUrl : undefined;
      const actionId = item.kind === 'result' ? item.action.id : undefined;
      logger.error(message, { event: item.event, ...(actionId ? { actionId } : {}) });
      return new DeliveryError({ message, event: item.event, actionId, url, cause });
    };
    const givenUp = (message: string): DeliveryReport => ({
      ...timing(),
      end: 'given-up',
      error: fail(message, lastError),
    });
    const giveUpLate = (): DeliveryReport =>
      givenUp(
        `the pack stopped before ${describeItem(item)} was delivered` +
          (lastError === undefined ? '' : ` (last error: ${errorMessage(lastError)})`),
      );
    const unlessLate = <T>(
      source$: Observable<T>,
      then: (value: T) => Observable<DeliveryReport>,
    ): Observable<DeliveryReport> => firstUnlessLate(deadline$, source$, then, giveUpLate);

    const decide = (outcome: DeliveryOutcome, registration: Registration) => {
      const [next, decision] = decideDelivery(state, outcome, config);
      state = next;
      return act$(decision, registration);
    };
    const act$ = (
      decision: DeliveryDecision,
      registration: Registration,
    ): Observable<DeliveryReport> => {
      switch (decision.do) {
        case 'delivered':
          return of({ ...timing(), end: 'delivered' });
        case 'verified':
          return of(recovered ? elsewhere() : verified());
        case 'inferred':
          return of({ ...timing(), end: 'inferred', inferred: inferred() });
        case 'refused':
          return refused$();
        case 'give-up':
          return of(
            givenUp(
              `gave up delivering ${describeItem(item)} after ${state.spent} attempts: ${errorMessage(lastError)}`,
            ),
          );
        case 'retry':
          return unlessLate(timer(decision.after, scheduler), () => attempt$());
        case 'verify':
          return unlessLate(verdict$(registration), (verdict) =>
            decide({ kind: 'audit', verdict }, registration),
          );
        case 'check-health':
          return unlessLate(healthy$(registration), (healthy) =>
            decide({ kind: 'health', healthy }, registration),
          );
      }
    };

    const verdict$ = (registration: Registration): Observable<Verdict> => {
      const read =
        item.kind === 'result' ? deps.actionState?.(item.action, registration) : undefined;
      if (!read) return of('unusable');
      return read.pipe(
        take(1),
        defaultIfEmpty(null),
        map((s): Verdict => {
          auditState = s ?? undefined;
          return s === null ? 'unusable' : landed(s) ? 'landed' : 'pending';
        }),
        catchError((error: unknown) => of(auditFailure(error))),
      );
    };
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
    const post$ = ({ pack }: Registration): Observable<unknown> =>
      item.kind === 'result'
        ? deps.api.completeAction(item.action, item.event)
        : deps.api.postEvent(pack, item.event);
    const attempt$ = (): Observable<DeliveryReport> =>
      unlessLate(step.current$, (registration) => {
        progress.posts += 1;
        progress.firstAt ??= scheduler.now();
        return settled$(post$(registration), {
          accepted: () => {
            step.succeeded();
            return decide({ kind: 'accepted' }, registration);
          },
          failed: (error: unknown) => {
            lastError = error;
            const attempt = classifyAttempt(error);
            if (attempt === 'not-found') step.failed(error, registration, 1); // re-register
            const outcome = { kind: 'post', attempt, serverWait: serverAskedWait(error) } as const;
            // The post ran to its end; after the deadline only a refusal is still acted on.
            return attempt === 'refused'
              ? decide(outcome, registration)
              : unlessLate(of(0), () => decide(outcome, registration));
          },
        });
      });

    const result = item as Extract<OutboxItem, { kind: 'result' }>;
    const verified = (): DeliveryReport => {
      logger.info(
        `${describeItem(item)} landed: an answer was lost, and the audit shows the action completed`,
        { actionId: result.action.id },
      );
      return { ...timing(), end: 'verified' };
    };
    const elsewhere = (): DeliveryReport => {
      const { action, event } = result;
      const message =
        `${describeItem(item)} was not needed: the action is ${auditState ?? 'completed'} in the audit, ` +
        `completed by another client first (recovered elsewhere)`;
      logger.info(message, { actionId: action.id, command: action.command });
      const error = new RecoveredElsewhereError({
        message,
        event,
        actionId: action.id,
        state: auditState ?? 'completed',
        url: action.resultUrl,
        cause: lastError,
      });
      return { ...timing(), end: 'recovered-elsewhere', elsewhere: error };
    };
    const inferred = (): InferredDeliveryError => {
      const { action, event } = result;
      const message =
        `${describeItem(item)} most likely landed: an attempt was lost after it may have reached ` +
        `the server, which now keeps answering a bare 500 (not PENDING) while its health check ` +
        `passes, and its audit cannot be read`;
      logger.warn(message, { event, actionId: action.id });
      return new InferredDeliveryError({
        message,
        event,
        actionId: action.id,
        url: action.resultUrl,
        cause: lastError,
      });
    };
    /** A refusal for good: a result is answered with a FATAL event instead; anything else ends. */
    const refused$ = (): Observable<DeliveryReport> => {
      const message = `the server refused ${describeItem(item)}: ${errorMessage(lastError)}`;
      if (item.kind !== 'result' || replacing) return of(givenUp(message));
      const status = isHttpError(lastError) ? lastError.status : 0;
      const body = isHttpError(lastError) ? lastError.bodyExcerpt : '';
      const fatal = fatalEventFor('refused', item.action, {
        refused: { event: item.event.event, status, body },
      });
      const replacement: OutboxItem = {
        kind: 'result',
        action: item.action,
        event: toWireEvent(fatal, scheduler.now()),
      };
      const refusal = fail(`${message}; answering the action with FATAL instead`, lastError);
      return delivery$(replacement, deps, scheduler, progress, refusal).pipe(
        map((report): DeliveryReport => {
          const ended = { ...report, item };
          if (report.end !== 'given-up') {
            return { ...ended, end: 'replaced-by-fatal', refusal, replacement: replacement.event };
          }
          const { event, actionId, url } = refusal;
          const failedToo = `${refusal.message}, which failed too: ${report.error.message}`;
          const error = new DeliveryError({
            message: failedToo,
            event,
            actionId,
            url,
            cause: report.error,
          });
          return { ...ended, end: 'given-up', error };
        }),
      );
    };
    return attempt$();
  });
}

/** SUCCESS and FATAL: the action was completed, by this result or another. */
/**
 * `then(first value of source$)`, unless `late$` emits first: then `onLate()` and complete
 * (see {@link unlessInterrupted}; a deadline that ends without a value never makes it late).
 * It runs at every attempt of every delivery: no operator chain.
 */
function firstUnlessLate<T, R>(
  late$: Observable<unknown>,
  source$: Observable<T>,
  then: (value: T) => Observable<R>,
  onLate: () => R,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    let decided = false;
    // Closed at the first value: the source is unsubscribed with it, even a synchronous one.
    const first = new Subscription();
    first.add(
      unlessInterrupted(source$, late$, (): typeof LATE => LATE).subscribe({
        next: (value) => {
          if (decided) return;
          decided = true;
          first.unsubscribe();
          if (value !== LATE) return void subscriber.add(then(value).subscribe(subscriber));
          subscriber.next(onLate());
          subscriber.complete();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (!decided) subscriber.complete();
        },
      }),
    );
    return first;
  });
}

/**
 * `accepted()` once `post$` emits or completes, `failed(error)` if it errors: what `take(1)`,
 * `defaultIfEmpty`, `switchMap` and `catchError` do, with one subscriber for the post.
 */
function settled$<R>(
  post$: Observable<unknown>,
  on: { accepted: () => Observable<R>; failed: (error: unknown) => Observable<R> },
): Observable<R> {
  return new Observable<R>((subscriber) => {
    let settled = false;
    // Closed when settled: a post that settles synchronously is ended as soon as it is added.
    const post = new Subscription();
    const settle = (next: () => Observable<R>): void => {
      if (settled) return;
      settled = true;
      post.unsubscribe();
      let after: Observable<R>;
      try {
        after = next();
      } catch (error) {
        return subscriber.error(error);
      }
      subscriber.add(after.subscribe(subscriber));
    };
    post.add(
      post$.subscribe({
        next: () => settle(on.accepted),
        error: (error: unknown) => settle(() => on.failed(error)),
        complete: () => settle(on.accepted),
      }),
    );
    return post;
  });
}

const landed = (state: string): boolean => state === 'SUCCESS' || state === 'FATAL';

/** An audit refused or unreadable leaves only inference; anything else may pass. */
function auditFailure(error: unknown): Verdict {
  const refused = isUnauthorizedError(error) || (isHttpError(error) && error.status === 403);
  return refused || isInvalidResponseError(error) ? 'unusable' : 'unavailable';
}

/**
 * Options of {@link deliver}: those of {@link deliverOne$}, plus the concurrency.
 *
 * @example
 * outbox$.pipe(deliver({ api, registration$, eventAttempts: 10, concurrency: 4 }));
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
 * outbox.pipe(deliver({ api, registration$, logger })).subscribe((r) => r.end === 'given-up' && errors$.next(r.error));
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
