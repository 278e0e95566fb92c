import {
  BehaviorSubject,
  defer,
  EMPTY,
  type Observable,
  ReplaySubject,
  Subject,
  type Subscription,
} from 'rxjs';
import {
  DeliveryError,
  FlyteError,
  type InferredDeliveryError,
  OutboxFullError,
} from '../model/errors.js';
import { actionState } from '../api/action-state.js';
import { deliver } from '../streams/delivery.js';
import type { Registration } from '../streams/registration.js';
import { describeItem, type DeliveryReport, type OutboxItem } from '../model/outbox-item.js';
import { type DeliveryReceipt, toDeliveryReceipt } from '../model/delivered.js';
import type { FlyteEvent } from '../model/definitions.js';
import { isEvent } from '../model/is-event.js';
import { payloadProblem } from '../model/json-payload.js';
import type { ActionResult } from '../model/outcomes.js';
import type { Action } from '../model/wire-types.js';
import type { PackSettings } from './pack-settings.js';
import { toWireEvent } from '../model/wire-event.js';

/**
 * How the delivery of a sent event ended: its receipt, or why it was not accepted.
 *
 * @example
 * outbox.send(event, (end) => (end.receipt ? span.end(end.receipt.time) : fail(span, end.error)));
 */
export type SendEnd = (
  end:
    | { readonly receipt: DeliveryReceipt }
    | { readonly receipt?: undefined; readonly error: unknown },
) => void;

/** What a {@link PackOutbox} needs. */
export interface PackOutboxDeps {
  readonly packName: string;
  readonly settings: PackSettings;
  /** The registrations, replaying the latest; events wait for the first one. */
  readonly registration$: Observable<Registration>;
  /** The latest registration, known at once: a post goes with it without subscribing. */
  readonly latest?: () => Registration | undefined;
  readonly reRegister: (stale: Registration) => void;
  /**
   * Told of every item given up, of every result refused for good (answered with FATAL), and
   * of every result inferred to have landed.
   */
  readonly onError: (error: DeliveryError | InferredDeliveryError) => void;
  /**
   * Told once per result when its delivery has ended, whatever the end (delivered, verified,
   * recovered elsewhere, inferred, replaced by FATAL or given up): the moment the action's
   * handler slot is free again.
   */
  readonly onResultSettled?: (action: ActionResult['action']) => void;
  /** Told of every result and event the server has (see {@link DeliveryReceipt}), before any error of the same delivery. */
  readonly onAccepted?: (receipt: DeliveryReceipt) => void;
}

/**
 * A pack's outbox: one `Subject` for action results and spontaneous events, delivered by
 * {@link deliver} with the pack's settings (results ahead of events; its size observable); the promise of each sent event settles with its
 * delivery report (resolved when the server accepted it, rejected with the
 * {@link DeliveryError} when it was given up). Runs from the first item on, so events sent
 * before registration wait for it.
 *
 * @example
 * const outbox = new PackOutbox({ packName, settings, registration$, reRegister, onError });
 * await outbox.send({ eventDef: seen, payload: {} });
 */
export class PackOutbox {
  private readonly items = new Subject<OutboxItem>();
  private readonly deadline = new ReplaySubject<void>(1);
  private readonly done = new Subject<void>();
  private readonly size = new BehaviorSubject<number>(0);
  /** The promise of each sent event still being delivered. */
  private readonly pending = new Map<
    OutboxItem,
    {
      readonly resolve: () => void;
      readonly reject: (error: unknown) => void;
      readonly onEnd?: SendEnd;
    }
  >();
  /** Every item queued or being delivered: each gets exactly one report. */
  private readonly unsettled = new Set<OutboxItem>();
  private subscription?: Subscription;
  private open = true;

  /** Items queued or being delivered, replaying the current number; completes at dispose. */
  readonly size$: Observable<number> = this.size.asObservable();

  /** Completes once the outbox is closed and every item is delivered or given up. */
  readonly done$: Observable<void> = defer(() => (this.subscription ? this.done : EMPTY));

  constructor(private readonly deps: PackOutboxDeps) {}

  /**
   * Queues a spontaneous event.
   *
   * @param event - the event.
   * @param onEnd - told how the delivery ended (the receipt, or the error) just before the
   *   promise settles.
   * @returns resolves when the server accepted it; rejects with a {@link DeliveryError} when
   *   it was given up or the outbox is closed, at once with an {@link OutboxFullError} when
   *   `delivery.maxQueuedEvents` events are already queued or being posted.
   * @example
   * await outbox.send({ eventDef: seen, payload: { who: 'Ann' } });
   */
  send(event: FlyteEvent, onEnd?: SendEnd): Promise<void> {
    const refuse = (error: FlyteError): Promise<void> => {
      onEnd?.({ error });
      return Promise.reject(error);
    };
    if (!isEvent(event)) {
      return refuse(new FlyteError('sendEvent expects an event: { eventDef: { name }, payload }'));
    }
    const problem = payloadProblem(event.payload);
    if (problem) {
      const message = `sendEvent: the payload of event "${event.eventDef.name}" cannot be sent as JSON: ${problem}`;
      return refuse(new FlyteError(message));
    }
    const wire = toWireEvent(event, this.deps.settings.scheduler.now());
    if (!this.open) {
      const message = `pack "${this.deps.packName}" is stopped: the event "${wire.event}" was not sent`;
      return refuse(new DeliveryError({ message, event: wire }));
    }
    const limit = this.deps.settings.delivery.maxQueuedEvents;
    if (this.pending.size >= limit) {
      return refuse(new OutboxFullError({ pack: this.deps.packName, event: wire, limit }));
    }
    const item: OutboxItem = { kind: 'event', event: wire };
    const sent = new Promise<void>((resolve, reject) =>
      this.pending.set(item, { resolve, reject, onEnd }),
    );
    this.push(item);
    return sent;
  }

  /**
   * Queues an action's result.
   *
   * @param result - the result.
   * @example
   * outbox.postResult(result);
   */
  postResult(result: ActionResult): void {
    const event = toWireEvent(result.event, this.deps.settings.scheduler.now());
    if (this.open) {
      this.push({ kind: 'result', action: result.action, event });
      return;
    }
    // Cannot happen in a Pack (the outbox closes once every result is in), but never silently.
    const message = `the outbox of pack "${this.deps.packName}" is closed: the result "${event.event}" of action ${result.action.id} was not posted`;
    const error = new DeliveryError({ message, event, actionId: result.action.id });
    this.deps.settings.logger.error(message, { event, actionId: result.action.id });
    this.deps.onError(error);
    this.deps.onResultSettled?.(result.action);
  }

  /** Accepts nothing more; `done$` completes once what is queued is delivered or given up. */
  close(): void {
    this.open = false;
    this.items.complete();
  }

  /** Gives up every delivery still pending (each is reported with a {@link DeliveryError}). */
  giveUp(): void {
    this.deadline.next();
  }

  /**
   * Gives up every item still queued or in flight at once, posts unanswered included: each
   * is reported given up (its promise rejected, its result settled) and `done$` completes.
   * The stop's hard cap, for a transport that does not answer; and the stop of a pack that
   * never registered, whose items could never be posted.
   *
   * @param reason - why, appended to each item's message.
   *   @default "a post in flight did not answer by the stop's hard cap"
   * @example
   * outbox.abandon();
   * outbox.abandon('the pack stopped before it registered');
   */
  abandon(reason = "a post in flight did not answer by the stop's hard cap"): void {
    this.subscription?.unsubscribe();
    const time = this.deps.settings.scheduler.now();
    for (const item of [...this.unsettled]) {
      const message = `${describeItem(item)} was given up: ${reason}`;
      const actionId = item.kind === 'result' ? item.action.id : undefined;
      this.deps.settings.logger.error(message, {
        event: item.event,
        ...(actionId && { actionId }),
      });
      const error = new DeliveryError({ message, event: item.event, actionId });
      this.report({ item, end: 'given-up', error, attempts: 0, time, ms: 0 });
    }
    this.done.complete();
  }

  /** Unsubscribes the deliveries. */
  dispose(): void {
    this.subscription?.unsubscribe();
    this.size.complete();
  }

  private push(item: OutboxItem): void {
    this.unsettled.add(item);
    if (!this.subscription) this.subscription = this.run();
    this.items.next(item);
  }

  private run(): Subscription {
    const { api, delivery, backoff, logger, scheduler } = this.deps.settings;
    const options = {
      api,
      registration$: this.deps.registration$,
      latest: this.deps.latest,
      reRegister: this.deps.reRegister,
      eventAttempts: delivery.eventAttempts,
      // The smaller cap wins: a backoff tuned short stays short for deliveries too.
      backoff: {
        ...backoff,
        maxDelay: Math.min(backoff.maxDelay ?? Infinity, delivery.maxRetryDelay),
      },
      deadline$: this.deadline,
      logger,
      concurrency: delivery.concurrency,
      onSize: (size: number) => this.size.next(size),
      // After a lost answer, the server's record of the action decides whether it landed.
      actionState: (action: Action, { root, pack }: Registration) =>
        actionState(api, root, pack.name, action),
    };
    return this.items.pipe(deliver(options, scheduler)).subscribe({
      next: (report) => this.report(report),
      complete: () => this.done.complete(),
    });
  }

  /** Tells everyone concerned how one item's delivery ended; once per item. */
  private report(report: DeliveryReport): void {
    if (!this.unsettled.delete(report.item)) return;
    const receipt = toDeliveryReceipt(report);
    if (receipt) this.deps.onAccepted?.(receipt);
    if (report.end === 'given-up') this.deps.onError(report.error);
    if (report.end === 'replaced-by-fatal') this.deps.onError(report.refusal);
    if (report.end === 'inferred') this.deps.onError(report.inferred);
    this.settle(report, receipt);
    if (report.item.kind === 'result') this.deps.onResultSettled?.(report.item.action);
  }

  private settle(report: DeliveryReport, receipt: DeliveryReceipt | undefined): void {
    const pending = this.pending.get(report.item);
    if (!pending) return; // a result: nobody awaits it
    this.pending.delete(report.item);
    if (receipt) {
      pending.onEnd?.({ receipt });
      pending.resolve();
    } else if (report.end === 'given-up') {
      pending.onEnd?.({ error: report.error });
      pending.reject(report.error);
    }
  }
}
