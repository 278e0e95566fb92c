import {
  asyncScheduler,
  catchError,
  defaultIfEmpty,
  map,
  Observable,
  of,
  type OperatorFunction,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
  take,
  timer,
} from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import { PACK_DEFAULTS } from '../model/defaults.js';
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
import type { Action, WireEvent } from '../model/wire-types.js';
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
import { type ReRegistration, type ReRegistrationDeps, reRegistration } from './re-registration.js';
import type { Registration } from './registration.js';

/**
 * What the delivery of an event needs. With `latest` (the registration known at once) a post
 * goes at once; it waits on `registration$` only when there is none yet or it answered 404.
 *
 * @example
 * deliverOne$(item, { api, registration$, reRegister: (stale) => notFound$.next(stale), eventAttempts: 5 });
 */
export interface DeliveryDeps extends ReRegistrationDeps {
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
  return new Observable<DeliveryReport>((subscriber) => {
    const delivery = new Delivery(item, deps, scheduler, progress, replacing, subscriber);
    delivery.start();
    return () => delivery.end();
  });
}

/**
 * One item's delivery, from its first post to its report: the driver of `decideDelivery`,
 * holding in one object what an operator chain per attempt would spread over a dozen
 * subscribers (it runs for every result). One step runs at a time: a wait for a usable
 * registration, a post, the wait before the next post, an audit read or a health check. The
 * deadline is heard once for the whole delivery: it ends a wait at once; a post in flight
 * runs to its end, and only a refusal is still acted on after it.
 */
class Delivery {
  private readonly logger: Logger;
  private readonly config: { eventAttempts: number; backoff: BackoffConfig };
  private readonly recovered: boolean;
  private readonly step: ReRegistration;
  private state: DeliveryState;
  private lastError: unknown;
  /** The action's state in the audit, when it was read. */
  private auditState: string | undefined;
  /** The deadline has come. */
  private late = false;
  /** The step under way, when it can be ended by the deadline (every step but a post). */
  private waiting: Subscription | undefined;
  /** The step under way: a wait, a post, or the replacement's delivery. */
  private current: Subscription | undefined;
  private deadline: Subscription | undefined;
  private ended = false;

  constructor(
    private readonly item: OutboxItem,
    private readonly deps: DeliveryDeps,
    private readonly scheduler: SchedulerLike,
    private readonly progress: Progress,
    private readonly replacing: DeliveryError | undefined,
    private readonly subscriber: Subscriber<DeliveryReport>,
  ) {
    this.logger = deps.logger ?? silentLogger;
    this.config = {
      eventAttempts: Math.max(1, deps.eventAttempts ?? PACK_DEFAULTS.delivery.eventAttempts),
      backoff: deps.backoff ?? {},
    };
    this.recovered = item.kind === 'result' && item.action.recovered !== undefined;
    this.state = initialDeliveryState(item.kind, this.recovered);
    this.step = reRegistration(deps);
  }

  start(): void {
    if (this.deps.deadline$) {
      const deadline = this.deps.deadline$.subscribe({
        next: () => this.onLate(),
        error: (error: unknown) => this.fail(error),
      });
      if (this.ended) return deadline.unsubscribe();
      this.deadline = deadline;
    }
    this.attempt();
  }

  /** Ends the delivery (reported or not): every step and the deadline are let go. */
  end(): void {
    this.ended = true;
    this.current?.unsubscribe();
    this.deadline?.unsubscribe();
  }

  private onLate(): void {
    if (this.late) return;
    this.late = true;
    if (this.waiting) this.report(this.giveUpLate());
  }

  /** A post, once a usable registration is known (at once without a subscription, if it is). */
  private attempt(): void {
    const post = (registration: Registration) => this.post(registration);
    const now = this.step.usableNow();
    if (now === undefined) return this.wait(this.step.current$, post);
    if (this.late) return this.report(this.giveUpLate());
    this.advance(() => post(now));
  }

  private post(registration: Registration): void {
    const { item, deps, progress } = this;
    progress.posts += 1;
    progress.firstAt ??= this.scheduler.now();
    const post$ =
      item.kind === 'result'
        ? deps.api.completeAction(item.action, item.event)
        : deps.api.postEvent(registration.pack, item.event);
    let settled = false;
    const settle = (then: () => void): void => {
      if (settled) return;
      settled = true;
      this.current?.unsubscribe();
      this.guard(then);
    };
    const accepted = () => {
      this.step.succeeded();
      this.decide({ kind: 'accepted' }, registration);
    };
    const subscription = post$.subscribe({
      next: () => settle(accepted),
      error: (error: unknown) => settle(() => this.postFailed(error, registration)),
      complete: () => settle(accepted),
    });
    this.begin(subscription, settled, false);
  }

  private postFailed(error: unknown, registration: Registration): void {
    this.lastError = error;
    const attempt = classifyAttempt(error);
    if (attempt === 'not-found') this.step.failed(error, registration, 1); // re-register
    const outcome = { kind: 'post', attempt, serverWait: serverAskedWait(error) } as const;
    // The post ran to its end; after the deadline only a refusal is still acted on.
    if (attempt !== 'refused' && this.late) return this.report(this.giveUpLate());
    this.decide(outcome, registration);
  }

  private decide(outcome: DeliveryOutcome, registration: Registration): void {
    const [next, decision] = decideDelivery(this.state, outcome, this.config);
    this.state = next;
    this.act(decision, registration);
  }

  private act(decision: DeliveryDecision, registration: Registration): void {
    switch (decision.do) {
      case 'delivered':
        return this.report(this.timing('delivered'));
      case 'verified':
        return this.report(this.recovered ? this.elsewhere() : this.verified());
      case 'inferred':
        return this.report(Object.assign(this.timing('inferred'), { inferred: this.inferred() }));
      case 'refused':
        return this.refused();
      case 'give-up':
        return this.report(
          this.givenUp(
            `gave up delivering ${describeItem(this.item)} after ${this.state.spent} attempts: ${errorMessage(this.lastError)}`,
          ),
        );
      case 'retry':
        return this.wait(timer(decision.after, this.scheduler), () => this.attempt());
      case 'verify':
        return this.wait(this.verdict$(registration), (verdict) =>
          this.decide({ kind: 'audit', verdict }, registration),
        );
      case 'check-health':
        return this.wait(this.healthy$(registration), (healthy) =>
          this.decide({ kind: 'health', healthy }, registration),
        );
    }
  }

  /**
   * `then(first value of source$)`, unless the deadline comes first (or has come): then the
   * delivery is given up. A source that completes without a value ends the delivery without
   * a report (the registrations ended: the pack stopped).
   */
  private wait<T>(source$: Observable<T>, then: (value: T) => void): void {
    if (this.late) return this.report(this.giveUpLate());
    let decided = false;
    const subscription = source$.subscribe({
      next: (value) => {
        if (decided) return;
        decided = true;
        this.advance(() => then(value));
      },
      error: (error: unknown) => {
        if (!decided) this.fail(error);
      },
      complete: () => {
        if (!decided) this.complete();
      },
    });
    this.begin(subscription, decided, true);
  }

  /** Lets the step under way go and runs the next one. */
  private advance(step: () => void): void {
    this.current?.unsubscribe();
    this.waiting = undefined;
    this.guard(step);
  }

  /** Makes `subscription` the current step, unless it ended while it was being subscribed. */
  private begin(subscription: Subscription, ended: boolean, waiting: boolean): void {
    if (ended || this.ended) return subscription.unsubscribe();
    this.current = subscription;
    this.waiting = waiting ? subscription : undefined;
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.fail(error);
    }
  }

  private report(report: DeliveryReport): void {
    if (this.ended) return;
    this.end();
    this.subscriber.next(report);
    this.subscriber.complete();
  }

  private complete(): void {
    if (this.ended) return;
    this.end();
    this.subscriber.complete();
  }

  private fail(error: unknown): void {
    if (this.ended) return;
    this.end();
    this.subscriber.error(error);
  }

  /**
   * The report's common part, with how it ended. One literal, with the rest of a report added
   * to it (`Object.assign`): a property added to a spread copy (`{ ...timing, end }`) gives
   * each report a map of its own in Node 20.
   */
  private timing<E extends DeliveryReport['end']>(end: E): DeliveryTiming & { readonly end: E } {
    const { item, progress } = this;
    const time = this.scheduler.now();
    const ms = progress.firstAt === undefined ? 0 : time - progress.firstAt;
    return { item, attempts: progress.posts, time, ms, end };
  }

  private error(message: string, cause: unknown): DeliveryError {
    const { item } = this;
    const url = item.kind === 'result' ? item.action.resultUrl : undefined;
    const actionId = item.kind === 'result' ? item.action.id : undefined;
    this.logger.error(message, { event: item.event, ...(actionId ? { actionId } : {}) });
    return new DeliveryError({ message, event: item.event, actionId, url, cause });
  }

  private givenUp(message: string): DeliveryReport {
    return Object.assign(this.timing('given-up'), { error: this.error(message, this.lastError) });
  }

  private giveUpLate(): DeliveryReport {
    const { lastError } = this;
    return this.givenUp(
      `the pack stopped before ${describeItem(this.item)} was delivered` +
        (lastError === undefined ? '' : ` (last error: ${errorMessage(lastError)})`),
    );
  }

  private verdict$(registration: Registration): Observable<Verdict> {
    const { item } = this;
    const read =
      item.kind === 'result' ? this.deps.actionState?.(item.action, registration) : undefined;
    if (!read) return of('unusable');
    return read.pipe(
      take(1),
      defaultIfEmpty(null),
      map((s): Verdict => {
        this.auditState = s ?? undefined;
        return s === null ? 'unusable' : landed(s) ? 'landed' : 'pending';
      }),
      catchError((error: unknown) => of(auditFailure(error))),
    );
  }

  /** Whether the server's health link answers 200. */
  private healthy$(registration: Registration): Observable<boolean> {
    const { health } = this.deps.api;
    return health
      ? health(registration.root).pipe(
          take(1),
          defaultIfEmpty(undefined),
          map(() => true),
          catchError(() => of(false)),
        )
      : of(false);
  }

  private get result(): Extract<OutboxItem, { kind: 'result' }> {
    return this.item as Extract<OutboxItem, { kind: 'result' }>;
  }

  private verified(): DeliveryReport {
    this.logger.info(
      `${describeItem(this.item)} landed: an answer was lost, and the audit shows the action completed`,
      { actionId: this.result.action.id },
    );
    return this.timing('verified');
  }

  private elsewhere(): DeliveryReport {
    const { action, event } = this.result;
    const state = this.auditState ?? 'completed';
    const message =
      `${describeItem(this.item)} was not needed: the action is ${state} in the audit, ` +
      `completed by another client first (recovered elsewhere)`;
    this.logger.info(message, { actionId: action.id, command: action.command });
    const error = new RecoveredElsewhereError({
      message,
      event,
      actionId: action.id,
      state,
      url: action.resultUrl,
      cause: this.lastError,
    });
    return Object.assign(this.timing('recovered-elsewhere'), { elsewhere: error });
  }

  private inferred(): InferredDeliveryError {
    const { action, event } = this.result;
    const message =
      `${describeItem(this.item)} most likely landed: an attempt was lost after it may have reached ` +
      `the server, which now keeps answering a bare 500 (not PENDING) while its health check ` +
      `passes, and its audit cannot be read`;
    this.logger.warn(message, { event, actionId: action.id });
    return new InferredDeliveryError({
      message,
      event,
      actionId: action.id,
      url: action.resultUrl,
      cause: this.lastError,
    });
  }

  /** A refusal for good: a result is answered with a FATAL event instead; anything else ends. */
  private refused(): void {
    const { item, lastError } = this;
    const message = `the server refused ${describeItem(item)}: ${errorMessage(lastError)}`;
    if (item.kind !== 'result' || this.replacing) return this.report(this.givenUp(message));
    const status = isHttpError(lastError) ? lastError.status : 0;
    const body = isHttpError(lastError) ? lastError.bodyExcerpt : '';
    const fatal = fatalEventFor('refused', item.action, {
      refused: { event: item.event.event, status, body },
    });
    const replacement: OutboxItem = {
      kind: 'result',
      action: item.action,
      event: toWireEvent(fatal, this.scheduler.now()),
    };
    const refusal = this.error(`${message}; answering the action with FATAL instead`, lastError);
    const replaced$ = delivery$(replacement, this.deps, this.scheduler, this.progress, refusal);
    let ended = false;
    const subscription = replaced$.subscribe({
      next: (report) => {
        ended = true;
        this.report(replacedReport(report, item, refusal, replacement.event));
      },
      error: (error: unknown) => this.fail(error),
      complete: () => this.complete(),
    });
    this.begin(subscription, ended, false);
  }
}

/** The report of a result refused for good, from the report of the FATAL that replaced it. */
function replacedReport(
  report: DeliveryReport,
  item: OutboxItem,
  refusal: DeliveryError,
  replacement: WireEvent,
): DeliveryReport {
  if (report.end !== 'given-up') {
    return Object.assign({}, report, {
      item,
      end: 'replaced-by-fatal' as const,
      refusal,
      replacement,
    });
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
  return Object.assign({}, report, { item, end: 'given-up' as const, error });
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
    options.concurrency ?? PACK_DEFAULTS.delivery.concurrency,
    options.onSize,
  );
}
