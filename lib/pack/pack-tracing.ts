import type {
  Attributes,
  HrTime,
  Span,
  SpanStatusCode,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import type { Observable, SchedulerLike } from 'rxjs';
import type { DeliveryReceipt } from '../model/delivered.js';
import { errorMessage, isDeliveryError } from '../model/errors.js';
import type { ActionResult, PollOutcome } from '../model/outcomes.js';
import { isEvent } from '../model/is-event.js';
import { CLIENT_VERSION } from '../model/version.js';
import type { Action } from '../model/wire-types.js';
import { globalTracerRegistered } from './global-tracer-registered.js';
import {
  loadOpenTelemetryApi,
  type OpenTelemetryApi,
  openTelemetryApi,
} from './opentelemetry-api.js';
import type { SendEnd } from './pack-outbox.js';
import type { HandlerRetryNotice } from '../streams/handler-retry.js';

/**
 * A time of the pack's scheduler (ms) as an OpenTelemetry `HrTime`. A plain number is
 * ambiguous to the tracing SDK: it reads one below its process's `performance.now()` as a
 * relative time and one above as epoch ms, so a virtual time (a `TestScheduler`'s) could start
 * a span relative and end it absolute. `[seconds, nanoseconds]` is read as it is.
 *
 * @param ms - the scheduler's time, in ms (epoch ms with the default scheduler).
 * @returns the same time as `[seconds, nanoseconds]`.
 * @example
 * spanTime(1500.25); // [1, 500250000]
 */
export function spanTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/** The name of the tracer the pack asks its provider for (its version is the package's). */
export const TRACER_NAME = 'flyte-client';

/**
 * The attributes of the pack's spans (see `docs/tracing.md`).
 *
 * @example
 * exporter.getFinishedSpans()[0].attributes[SPAN_ATTRIBUTES.actionId]; // '7'
 */
export const SPAN_ATTRIBUTES = {
  /** The pack's name (every span). */
  packName: 'flyte.pack.name',
  /** The action's id. */
  actionId: 'flyte.action.id',
  /** The action's command. */
  command: 'flyte.action.command',
  /** Whether the action was recovered (found stranded PENDING) rather than taken. */
  recovered: 'flyte.action.recovered',
  /** `success` or `fatal`. */
  outcome: 'flyte.action.outcome',
  /** The name of the result event (FATAL included). */
  resultEvent: 'flyte.action.event',
  /** The reason of a FATAL result, when its payload gives one. */
  fatalReason: 'flyte.action.fatal_reason',
  /** How long the take took, in ms (taken actions). */
  takeMs: 'flyte.take.duration_ms',
  /** How long the handler ran, in ms. */
  handlerMs: 'flyte.handler.duration_ms',
  /** Posts of the result or event until the server accepted it. */
  attempts: 'flyte.delivery.attempts',
  /** Ms from the first post to the acceptance. */
  deliveryMs: 'flyte.delivery.duration_ms',
  /** The result most likely landed but the server never said so. */
  inferred: 'flyte.delivery.inferred',
  /** How the delivery ended: delivered, verified, recovered-elsewhere, replaced-by-fatal, inferred. */
  end: 'flyte.delivery.end',
  /** The result was refused for good and the action answered with FATAL instead. */
  replacedByFatal: 'flyte.delivery.replaced_by_fatal',
  /** The result or event was given up (a DeliveryError). */
  givenUp: 'flyte.delivery.given_up',
  /** A recovered action was completed by another client first. */
  completedElsewhere: 'flyte.action.completed_elsewhere',
  /** The name of a spontaneous event. */
  eventName: 'flyte.event.name',
  /** Runs of the handler (the action's span), or the run that failed (a retry event). */
  handlerAttempts: 'flyte.handler.attempts',
  /** How the run failed, on a retry event: threw, rejected, errored or timeout. */
  retryReason: 'flyte.handler.retry.reason',
  /** The wait before the next run, in ms, on a retry event. */
  retryDelayMs: 'flyte.handler.retry.delay_ms',
} as const;

/** The name of the span event added to an action's span each time its handler is retried. */
export const RETRY_SPAN_EVENT = 'flyte.handler.retry';

/**
 * The tracer of a pack: a given `Tracer` as it is, a `TracerProvider`'s tracer, or by default
 * the global provider's.
 *
 * @param api - the loaded OpenTelemetry API.
 * @param option - `PackOptions.tracing` (not `false`).
 * @returns the tracer.
 * @example
 * const tracer = tracerFor(await loadOpenTelemetryApi(), options.tracing);
 */
export function tracerFor(
  api: OpenTelemetryApi,
  option: TracerProvider | Tracer | undefined,
): Tracer {
  if (option === undefined) return api.trace.getTracer(TRACER_NAME, CLIENT_VERSION);
  if ('startSpan' in option) return option;
  return option.getTracer(TRACER_NAME, CLIENT_VERSION);
}

/**
 * Whether the tracer chosen by `option` makes real spans yet: a given `Tracer` or
 * `TracerProvider` always does; the default (the global provider's) only once the application
 * has registered a provider — until then its spans would all be no-ops, so a pack skips them.
 *
 * @param option - `PackOptions.tracing` (not `false`).
 * @returns a check, cheap enough to make per action.
 * @example
 * new PackTracing(options.tracing, def.name, pack, scheduler, tracingLive(options.tracing));
 */
export function tracingLive(option: TracerProvider | Tracer | undefined): () => boolean {
  if (option !== undefined) return () => true;
  return globalTracerRegistered;
}

/**
 * The streams of a pack that its spans are made from.
 *
 * @example
 * new PackTracing(tracer, 'rota-pack', pack, scheduler);
 */
export interface TracedStreams {
  readonly polls$: Observable<PollOutcome>;
  readonly actions$: Observable<Action>;
  readonly results$: Observable<ActionResult>;
  readonly delivered$: Observable<DeliveryReceipt>;
  readonly errors$: Observable<unknown>;
}

/**
 * A pack's OpenTelemetry spans, made from its streams: one span per action from its take to
 * the end of its result's delivery, inside whose context its handler runs
 * ({@link PackTracing.runHandler}), and one span per spontaneous event
 * ({@link PackTracing.sendEvent}). Times are the pack scheduler's.
 *
 * While `live` says no (the default global provider before one is registered), an action or
 * event gets no span at all — the spans would be no-ops — and once it says yes it is not
 * asked again: actions taken from then on are traced. `@opentelemetry/api` is loaded once
 * `live` first says yes (see {@link PackTracing.ready}); spans start once it has loaded.
 *
 * @example
 * const tracing = new PackTracing(options.tracing, def.name, pack, scheduler);
 * dispatch({ commands, runHandler: tracing.runHandler });
 */
export class PackTracing {
  /** The span of each action taken or recovered whose delivery has not ended. */
  private readonly spans = new Map<string, Span>();
  /** The latest take that brought an action: when it started and how long it took. */
  private lastTake?: { readonly id: string; readonly start: number; readonly ms: number };
  /** The API and the tracer, once spans are real and the API has loaded (latched). */
  private otel?: { readonly api: OpenTelemetryApi; readonly tracer: Tracer };

  constructor(
    private readonly option: TracerProvider | Tracer | undefined,
    private readonly packName: string,
    streams: TracedStreams,
    private readonly scheduler: SchedulerLike,
    private readonly whenLive: () => boolean = tracingLive(option),
  ) {
    // Every stream completes when the pack has stopped, and so do these subscriptions.
    streams.polls$.subscribe((poll) => this.onPoll(poll));
    streams.actions$.subscribe((action) => this.onAction(action));
    streams.results$.subscribe((result) => this.onResult(result));
    streams.errors$.subscribe((error) => this.onError(error));
    streams.delivered$.subscribe({
      next: (receipt) => this.onDelivered(receipt),
      complete: () => this.endAll(),
    });
  }

  /**
   * Runs `run` (the start of an action's handler) inside the action's span, so the spans
   * the handler starts are its children; as it is when the action has no span.
   *
   * @param action - the action whose handler starts.
   * @param run - starts the handler.
   * @returns what `run` returns.
   * @example
   * dispatch({ commands, runHandler: tracing.runHandler });
   */
  readonly runHandler = <T>(action: Action, run: () => T): T => {
    const span = this.spans.get(action.id);
    if (!span || !this.otel) return run();
    const { context, trace } = this.otel.api;
    return context.with(trace.setSpan(context.active(), span), run);
  };

  /**
   * When spans are due now (a tracer given, or a global provider registered) but
   * `@opentelemetry/api` has not loaded yet, the promise of its load; otherwise `undefined`.
   * A pack awaits it before it registers, so that its first action is traced.
   *
   * @returns the load to wait for, or `undefined`.
   * @example
   * const ready = tracing.ready();
   * if (ready) await ready;
   */
  ready(): Promise<unknown> | undefined {
    if (this.live() || !this.whenLive()) return undefined;
    return loadOpenTelemetryApi(); // live() has started it
  }

  /**
   * Adds a {@link RETRY_SPAN_EVENT} to the action's span when a run of its handler failed and
   * will run again: which run, how it failed (the error recorded as an exception event too)
   * and the wait.
   *
   * @param action - the action whose handler failed.
   * @param notice - the run that failed, why, and the wait before the next.
   * @example
   * dispatch({ commands, onRetry: tracing.onRetry });
   */
  readonly onRetry = (action: Action, notice: HandlerRetryNotice): void => {
    const span = this.spans.get(action.id);
    if (!span) return;
    const time = spanTime(this.scheduler.now());
    span.addEvent(
      RETRY_SPAN_EVENT,
      {
        [SPAN_ATTRIBUTES.handlerAttempts]: notice.attempt,
        [SPAN_ATTRIBUTES.retryReason]: notice.reason,
        [SPAN_ATTRIBUTES.retryDelayMs]: notice.delayMs,
        'exception.message': errorMessage(notice.error),
      },
      time,
    );
  };

  /**
   * Sends a spontaneous event inside a span `flyte.event <name>`, a child of the active span
   * (a handler's, say), ended when the server accepts the event or it is given up.
   *
   * @param event - the event (anything else is sent without a span, for `send` to refuse).
   * @param send - posts the event, telling `onEnd` how its delivery ended.
   * @returns what `send` returns.
   * @example
   * return tracing.sendEvent(event, (onEnd) => outbox.send(event, onEnd));
   */
  sendEvent<T>(event: unknown, send: (onEnd?: SendEnd) => T): T {
    if (!isEvent(event)) return send(); // for `send` to refuse
    const otel = this.live();
    if (!otel) return send();
    const { api, tracer } = otel;
    const { context, trace } = api;
    const name = event.eventDef.name;
    const attributes = {
      [SPAN_ATTRIBUTES.packName]: this.packName,
      [SPAN_ATTRIBUTES.eventName]: name,
    };
    const options = {
      kind: api.SpanKind.PRODUCER,
      attributes,
      startTime: spanTime(this.scheduler.now()),
    };
    const span = tracer.startSpan(`flyte.event ${name}`, options, context.active());
    const onEnd: SendEnd = (end) => {
      if (end.receipt) {
        span.setAttributes(deliveryAttributes(end.receipt));
        span.end(spanTime(end.receipt.time));
        return;
      }
      span.setAttribute(SPAN_ATTRIBUTES.givenUp, true);
      this.fail(span, end.error);
      span.end(spanTime(this.scheduler.now()));
    };
    return context.with(trace.setSpan(context.active(), span), () => send(onEnd));
  }

  /**
   * The API and tracer when spans are made now: once `whenLive` said yes and the API has
   * loaded, always; `undefined` before.
   */
  private live(): { readonly api: OpenTelemetryApi; readonly tracer: Tracer } | undefined {
    if (this.otel || !this.whenLive()) return this.otel;
    const api = openTelemetryApi();
    if (api) this.otel = { api, tracer: tracerFor(api, this.option) };
    return this.otel;
  }

  private onPoll(poll: PollOutcome): void {
    if (poll.kind === 'action' && poll.action && this.live())
      this.lastTake = { id: poll.action.id, start: poll.time - poll.ms, ms: poll.ms };
  }

  private onAction(action: Action): void {
    const otel = this.live();
    if (!otel) return;
    const take = this.lastTake?.id === action.id ? this.lastTake : undefined;
    const attributes: Attributes = {
      [SPAN_ATTRIBUTES.packName]: this.packName,
      [SPAN_ATTRIBUTES.actionId]: action.id,
      [SPAN_ATTRIBUTES.command]: action.command,
      [SPAN_ATTRIBUTES.recovered]: action.recovered !== undefined,
      ...(take && { [SPAN_ATTRIBUTES.takeMs]: take.ms }),
    };
    const startTime = take?.start ?? this.scheduler.now();
    const kind = otel.api.SpanKind.CONSUMER;
    const options = { kind, attributes, startTime: spanTime(startTime) };
    // Each action is a trace of its own, whatever context the pack was started in.
    this.spans.set(
      action.id,
      otel.tracer.startSpan(`flyte.action ${action.command}`, options, otel.api.ROOT_CONTEXT),
    );
  }

  private onResult(result: ActionResult): void {
    const span = this.spans.get(result.action.id);
    if (!span) return;
    span.setAttributes({
      [SPAN_ATTRIBUTES.outcome]: result.outcome,
      [SPAN_ATTRIBUTES.resultEvent]: result.event.eventDef.name,
      [SPAN_ATTRIBUTES.handlerMs]: result.handlerMs,
      [SPAN_ATTRIBUTES.handlerAttempts]: result.attempts,
    });
    if (result.outcome !== 'fatal') return;
    const { reason, message } = fatalDetails(result.event.payload);
    if (reason) span.setAttribute(SPAN_ATTRIBUTES.fatalReason, reason);
    span.setStatus({ code: SPAN_STATUS_ERROR, message: message ?? 'FATAL' });
  }

  private onDelivered(receipt: DeliveryReceipt): void {
    const span = receipt.actionId === undefined ? undefined : this.spans.get(receipt.actionId);
    if (!span || receipt.actionId === undefined) return;
    this.spans.delete(receipt.actionId);
    span.setAttributes(deliveryAttributes(receipt));
    if (receipt.end === 'recovered-elsewhere') {
      span.setAttribute(SPAN_ATTRIBUTES.completedElsewhere, true);
    }
    if (receipt.replacedByFatal) {
      span.setAttribute(SPAN_ATTRIBUTES.replacedByFatal, true);
      const message = `the server refused the result "${receipt.event.event}"; the action was answered with FATAL`;
      span.setStatus({ code: SPAN_STATUS_ERROR, message });
    }
    span.end(spanTime(receipt.time));
  }

  /** A result given up. */
  private onError(error: unknown): void {
    if (!isDeliveryError(error)) return;
    const span = error.actionId === undefined ? undefined : this.spans.get(error.actionId);
    if (!span || error.actionId === undefined) return;
    this.spans.delete(error.actionId);
    span.setAttribute(SPAN_ATTRIBUTES.givenUp, true);
    this.fail(span, error);
    span.end(spanTime(this.scheduler.now()));
  }

  private fail(span: Span, error: unknown): void {
    if (error instanceof Error) span.recordException(error);
    span.setStatus({ code: SPAN_STATUS_ERROR, message: errorMessage(error) });
  }

  /** The pack stopped: ends the spans still open (none, unless a result was lost). */
  private endAll(): void {
    const now = this.scheduler.now();
    for (const span of this.spans.values()) span.end(spanTime(now));
    this.spans.clear();
  }
}

/** The API's `SpanStatusCode.ERROR`, as a constant: the enum is in the API, loaded lazily. */
const SPAN_STATUS_ERROR = 2 as SpanStatusCode.ERROR;

function deliveryAttributes(receipt: DeliveryReceipt): Attributes {
  return {
    [SPAN_ATTRIBUTES.attempts]: receipt.attempts,
    [SPAN_ATTRIBUTES.deliveryMs]: receipt.ms,
    [SPAN_ATTRIBUTES.inferred]: receipt.inferred,
    [SPAN_ATTRIBUTES.end]: receipt.end,
  };
}

/** The reason and message of a FATAL payload, when it has them (the SDK's always do). */
function fatalDetails(payload: unknown): { reason?: string; message?: string } {
  if (typeof payload === 'string') return { message: payload };
  if (typeof payload !== 'object' || payload === null) return {};
  const { reason, message } = payload as Record<string, unknown>;
  return {
    ...(typeof reason === 'string' && { reason }),
    ...(typeof message === 'string' && { message }),
  };
}
