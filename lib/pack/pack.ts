import {
  BehaviorSubject,
  catchError,
  defer,
  EMPTY,
  from,
  map,
  merge,
  Observable,
  of,
  ReplaySubject,
  Subject,
  Subscription,
  switchMap,
  takeUntil,
  tap,
} from 'rxjs';
import type { FlyteEvent, PackDef } from '../model/definitions.js';
import type { CheckedSpontaneousEvent } from '../model/send-event-check.js';
import { undeclaredEventError } from '../model/undeclared-event.js';
import {
  errorMessage,
  FlyteError,
  type PackError,
  toPackError,
  isPackNotFoundError,
  isUnauthorizedError,
} from '../model/errors.js';
import type { ActionResult, PollOutcome } from '../model/outcomes.js';
import type { DeliveryReceipt } from '../model/delivered.js';
import { toRegistration } from '../model/registration-body.js';
import { validatePackDef } from '../model/validate.js';
import type { Action, PackRegistration, RegisteredPack } from '../model/wire-types.js';
import { SlotLedger } from '../streams/slot-ledger.js';
import { dispatch } from '../streams/dispatch.js';
import { gracefulStop$ } from '../streams/graceful-stop.js';
import { DEFAULT_TIMEOUT } from '../api/http-flyte-api-options.js';
import { poll$ } from '../streams/polling.js';
import type { BurstPolling } from '../streams/burst-polling.js';
import { type Registration, registration$ } from '../streams/registration.js';
import { type ForAwaitMode, valuesFrom } from '../streams/values-from.js';
import type { PackOptions, PackStatus, StopOptions } from './pack-options.js';
import { PackOutbox, type SendEnd } from './pack-outbox.js';
import { packRecovery$ } from './pack-recovery.js';
import type { ScanReach } from '../streams/scan-plan.js';
import { type PackSettings, resolvePackSettings } from './pack-settings.js';
import { PackTracing } from './pack-tracing.js';

/**
 * A flyte pack: registers its commands and events with the flyte server, takes the actions
 * flows create for it (only while a handler slot is free), runs a handler for each and posts
 * the result, retrying until the server accepts it; posts spontaneous events
 * ({@link Pack.sendEvent}); stops gracefully ({@link Pack.stop}). Every stream completes
 * when the pack has stopped, so `for await (const a of pack.actions())` ends.
 *
 * @example
 * const pack = new Pack({ name: 'rota-pack', commands: [rota] }, { url: 'http://localhost:8080' });
 * await pack.start();
 * pack.results$.subscribe(({ action, outcome }) => console.log(action.command, outcome));
 * await pack.sendEvent({ eventDef: someoneSeen, payload: { who: 'Ann' } });
 * await pack.stop();
 */
// `out`: a typed pack is a Pack (of any definition) wherever one is expected, as it is at run
// time; the compiler cannot measure that through sendEvent's check (a conditional type of D).
export class Pack<out D extends PackDef = PackDef> {
  /** The pack's name. */
  readonly name: string;
  /** The poll interval in use, in ms (after the 500 ms floor). */
  readonly pollInterval: number;
  /** The number of handlers that may run at once. */
  readonly concurrency: number;
  /** The most takes in flight at once (see {@link PollingOptions.maxTakesInFlight}). */
  readonly maxTakesInFlight: number;
  /** Burst polling in use, `false` when off (see {@link PollingOptions.burst}). */
  readonly burstPolling: false | BurstPolling;
  /** The labels registered: the definition's with the options' merged over them. */
  readonly labels: Readonly<Record<string, string>>;

  // What the pack tells: every subject completes when the pack has stopped.
  private readonly lifecycle = new BehaviorSubject<PackStatus>('idle');
  private readonly registrations = new ReplaySubject<Registration>(1);
  private readonly actionSubject = new Subject<Action>();
  private readonly resultSubject = new Subject<ActionResult>();
  private readonly errors = new Subject<unknown>();
  private readonly polls = new Subject<PollOutcome>();
  private readonly delivered = new Subject<DeliveryReceipt>();
  private readonly scans = new Subject<ScanReach>();
  /** Emits (and replays) once the pack has stopped. */
  private readonly stopped$ = new ReplaySubject<void>(1);

  /**
   * The life cycle: `idle` → `registering` → `running` ⇄ `backing-off` (or `unauthorized`
   * while the server refuses the token, even a fresh one) → `stopping` → `stopped`; replays
   * the current one.
   */
  readonly status$: Observable<PackStatus> = this.lifecycle.asObservable();
  /** The registered pack (its id and links), replaying the latest; a new one after re-registration. */
  readonly registered$: Observable<RegisteredPack> = this.registrations.pipe(map((r) => r.pack));
  /** Every action taken, and every one recovered (stranded PENDING; `action.recovered` set). */
  readonly actions$: Observable<Action> = this.actionSubject.asObservable();
  /** Every action's result (before delivery): the event and whether it succeeded. */
  readonly results$: Observable<ActionResult> = this.resultSubject.asObservable();
  /**
   * Errors the pack lived through ({@link PackError}): failed registrations and takes, results
   * and events given up or refused ({@link DeliveryError}), landings only inferred
   * ({@link InferredDeliveryError}). Never a result the server has: verified and
   * recovered-elsewhere ends are on `delivered$`.
   */
  readonly errors$: Observable<PackError> = this.errors.pipe(map(toPackError));
  /** One outcome per take, for health checks. */
  readonly polls$: Observable<PollOutcome> = this.polls.asObservable();
  /**
   * One receipt per result or spontaneous event the server has ({@link DeliveryReceipt}):
   * how it is known (`end`: delivered, verified by the audit after a lost answer, recovered
   * elsewhere, replaced by FATAL, inferred), after how many posts and how long. What is
   * given up is on `errors$`.
   */
  readonly delivered$: Observable<DeliveryReceipt> = this.delivered.asObservable();
  /**
   * Slots in use, replaying the current count: a take in flight, or an action taken whose
   * result is not yet delivered (its handler running, or its result in the outbox). Never
   * more than `concurrency`: a pack whose results cannot be delivered stops taking.
   */
  readonly inFlight$: Observable<number>;
  /** Results and events queued or being posted, replaying the current number. */
  readonly outboxSize$: Observable<number>;
  /** How far each scan for stranded actions got (only when recovery is on). */
  readonly recoveryScans$: Observable<ScanReach>;

  // The machinery.
  private readonly settings: PackSettings;
  private readonly body: PackRegistration;
  /** The handler slots: reserved before a take, settled when the result's delivery ends. */
  private readonly slots: SlotLedger;
  private readonly outbox: PackOutbox;
  private readonly reRegister$ = new Subject<Registration>();
  private readonly stopTakes$ = new ReplaySubject<void>(1);
  /** Results delivered and events accepted: each starts a burst of polls. */
  private readonly activity = new Subject<void>();
  private readonly cancel$ = new ReplaySubject<void>(1);
  private readonly handlersDone = new Subject<void>();
  private readonly subscriptions = new Subscription();
  /** The registration and its retries (ended at once by a stop before it registered). */
  private registering?: Subscription;
  private current?: Registration;
  /** The definition error that ended the pack, if one did. */
  private failure?: unknown;
  private started?: Promise<void>;
  private settleStart?: { resolve: () => void; reject: (error: unknown) => void };
  private stopping?: Promise<void>;
  /** When the last "token refused" error was logged (at most one a minute). */
  private unauthorizedLoggedAt?: number;
  /** Whether the last registration attempt was refused for the token (401). */
  private registrationRefused = false;
  /** The OpenTelemetry spans, unless `tracing: false`. */
  private readonly tracing?: PackTracing;

  /**
   * @param def - the pack definition.
   * @param options - where the server is and how to run; see {@link PackOptions}.
   * @throws {@link PackDefinitionError} listing every problem of the definition, or
   *   {@link ConfigError} listing every invalid option.
   */
  constructor(
    private readonly def: D,
    options: PackOptions,
  ) {
    validatePackDef(def, options.labels);
    this.settings = resolvePackSettings(options, def.labels);
    this.name = def.name;
    this.pollInterval = this.settings.pollInterval;
    this.concurrency = this.settings.concurrency;
    this.maxTakesInFlight = this.settings.maxTakesInFlight;
    this.burstPolling = this.settings.burstPolling;
    this.labels = this.settings.labels;
    this.body = toRegistration(def, this.settings.labels);
    const { recovery, scheduler } = this.settings;
    this.slots = new SlotLedger(this.settings.concurrency, {
      // With recovery, settled ids are remembered longer than a scan can take to come back.
      remember: recovery ? 2 * (recovery.every ?? 0) + 60_000 : 0,
      scheduler,
    });
    this.inFlight$ = this.slots.free$.pipe(
      map((free) => this.slots.capacity - free),
      takeUntil(this.stopped$),
    );
    this.outbox = new PackOutbox({
      packName: def.name,
      settings: this.settings,
      registration$: this.registrations,
      latest: () => this.current,
      reRegister: (stale) => this.reRegister(stale),
      onError: (error) => this.errors.next(error),
      onAccepted: (receipt) => {
        this.delivered.next(receipt);
        // An accepted event may start a flow (synchronously, unlike its promise): burst polling.
        if (receipt.kind === 'event') this.activity.next();
      },
      // The slot of an action is free again only once its result is delivered (or given up):
      // a pack whose results cannot be delivered stops taking.
      onResultSettled: (action) => {
        this.slots.settle(action);
        this.activity.next(); // the flow may have its next step now: burst polling
      },
    });
    this.outboxSize$ = this.outbox.size$.pipe(takeUntil(this.stopped$));
    this.recoveryScans$ = this.scans.asObservable();
    if (options.tracing !== false) {
      this.tracing = new PackTracing(options.tracing, def.name, this, this.settings.scheduler);
    }
  }

  /** The current status. */
  get status(): PackStatus {
    return this.lifecycle.getValue();
  }

  /** The registered pack, once registered. */
  get registered(): RegisteredPack | undefined {
    return this.current?.pack;
  }

  /**
   * Registers the pack (retrying with backoff while the server is unreachable) and starts
   * taking actions. Calling it again returns the same promise.
   *
   * @returns resolves once registered; polling runs on. Rejects only on a definition error
   *   (the server refused the registration) or when the pack is stopped first.
   * @example
   * await pack.start();
   */
  start(): Promise<void> {
    if (this.stopping) return Promise.reject(new FlyteError(`pack "${this.def.name}" was stopped`));
    if (this.started) return this.started;
    this.started = new Promise((resolve, reject) => (this.settleStart = { resolve, reject }));
    this.setStatus('registering');
    if (this.stopping) {
      // A subscriber of status$ called stop(), which has settled start(): start nothing.
      this.handlersDone.complete();
      return this.started;
    }
    // registration → slots → poll → dispatch → deliver; the status follows each step beside.
    this.registering = this.register();
    this.subscriptions.add(this.registering);
    const taken$ = this.take$(); // into free slots of the ledger, each bound to its action
    const recovered$ = this.recovered$(); // stranded actions, into free slots too
    const results$ = this.dispatch$(merge(taken$, recovered$));
    this.subscriptions.add(this.deliver(results$)); // the outbox settles each slot
    return this.started;
  }

  /**
   * Stops gracefully: starts no new take (a take in flight finishes and its action is
   * handled), lets running handlers finish within `grace`, cancels the rest and completes
   * their actions with FATAL `cancelled`, delivers what the outbox holds within
   * `flushDeadline` (the rest is reported on `errors$`), then completes every stream. While
   * the server refuses the token to the registration, what waits for it is given up at once
   * (reported on `errors$`): it could not be delivered, so the stop does not wait for it.
   * A pack that never registered stops at once: its registration retries end, and every
   * event sent before is given up ("the pack stopped before it registered").
   * A take in flight is awaited even past `grace` (abandoning it could strand its action
   * PENDING on the server), and a post in flight at the flush deadline is awaited for its real
   * outcome, but never past a hard cap: **the stop resolves within `grace + flushDeadline` +
   * one request timeout** (`requestTimeout`, or 10 s when it is 0), in every configuration.
   * At the cap, what is still in flight is given up and reported on `errors$` (every
   * `sendEvent` promise settles).
   *
   * @param options - `grace` (default 30 s) and `flushDeadline` (default 10 s).
   * @returns resolves when stopped; never rejects. Calling it again returns the same promise.
   * @example
   * process.on('SIGTERM', () => void pack.stop({ grace: 10_000 }));
   */
  stop(options: StopOptions = {}): Promise<void> {
    if (this.stopping) return this.stopping;
    // Set before anything is emitted, so a stop() called again from a subscriber (of status$,
    // say) joins this one instead of running a second stop with other limits.
    let resolveStopped = (): void => undefined;
    this.stopping = new Promise((resolve) => (resolveStopped = resolve));
    const { grace = 30_000, flushDeadline = 10_000 } = options;
    const { logger, scheduler } = this.settings;
    this.setStatus('stopping');
    // A pack that never registered has nothing to finish and nothing it could deliver: its
    // registration retries end here, and what its outbox holds is given up at once below,
    // so the stop does not wait for the flush deadline.
    const unregistered = !this.current;
    if (unregistered) {
      this.registering?.unsubscribe();
      const error = new FlyteError(`pack "${this.def.name}" was stopped before it registered`);
      this.settleStart?.reject(error);
    }
    const steps = {
      stopTaking: () => this.stopTakes$.next(),
      handlersDone$: defer(() => (this.started ? this.handlersDone : EMPTY)),
      cancelHandlers: () => {
        logger.warn(`handlers still running after the ${grace} ms grace period are cancelled`);
        this.cancel$.next();
      },
      closeOutbox: () => {
        this.outbox.close();
        if (unregistered) return this.outbox.abandon('the pack stopped before it registered');
        // Nothing waiting for a registration the server refuses for the token can be
        // delivered: give it up now (reported on errors$), not at the flush deadline.
        if (this.registrationRefused) this.outbox.giveUp();
      },
      outboxDone$: this.outbox.done$,
      giveUpDeliveries: () => this.outbox.giveUp(),
      abandon: () => {
        logger.warn(
          `pack "${this.def.name}" reached the stop's hard cap of ${hardCap} ms: what is still ` +
            'in flight is given up (a take abandoned may leave its action PENDING on the server)',
        );
        this.outbox.abandon();
      },
    };
    // One request timeout past the flush deadline for a take or post in flight; a transport
    // without timeouts (0) gets the default one, so the stop ends in every configuration.
    const requestLimit = this.settings.requestTimeout || DEFAULT_TIMEOUT;
    const hardCap = grace + flushDeadline + requestLimit;
    const limits = { grace, flushDeadline: this.started ? flushDeadline : 0, hardCap };
    gracefulStop$(steps, limits, scheduler).subscribe({
      complete: () => {
        this.subscriptions.unsubscribe();
        this.outbox.dispose();
        this.complete();
        logger.info(`pack "${this.def.name}" stopped`);
        resolveStopped();
      },
    });
    return this.stopping;
  }

  /**
   * Posts a spontaneous event, retrying until the server accepts it. Before registration it
   * waits for it. The event must be one the definition declares in `events` (with a
   * definition made by {@link definePack}, the compiler checks it, payload type included).
   *
   * @param event - the event (`createdAt` defaults to now).
   * @returns resolves when the server accepted the event; rejects at once, posting nothing,
   *   with an {@link UndeclaredEventError} when the pack does not declare the event; rejects
   *   with a {@link DeliveryError} (carrying the event) when it was refused, its
   *   `delivery.eventAttempts` ran out or the pack stopped first; rejects at once, posting
   *   nothing, with an {@link OutboxFullError} when `delivery.maxQueuedEvents` events are
   *   already queued or being posted.
   * @example
   * await pack.sendEvent({ eventDef: someoneSeen, payload: { who: 'Ann' } });
   */
  sendEvent<E>(event: CheckedSpontaneousEvent<D, E>): Promise<void> {
    const undeclared = undeclaredEventError(this.def, event);
    if (undeclared) return Promise.reject(undeclared);
    const send = (onEnd?: SendEnd) => this.outbox.send(event as unknown as FlyteEvent, onEnd);
    return this.tracing ? this.tracing.sendEvent(event, send) : send();
  }

  /**
   * Checks the flyte server's health (its health link, found by discovery).
   *
   * @returns emits once and completes when the server is healthy; errors otherwise.
   * @example
   * pack.flyteHealth().subscribe({ next: () => ok(), error: (e) => notOk(e) });
   */
  flyteHealth(): Observable<void> {
    const api = this.settings.api;
    return defer(() => (this.current ? of(this.current.root) : api.discover())).pipe(
      switchMap((root) => api.health(root)),
    );
  }

  /**
   * The pack as an observable: subscribing starts it, unsubscribing stops it gracefully.
   * Emits every action's result; completes when the pack stops; errors when it cannot
   * start (a definition error).
   *
   * @returns the results of the actions handled while subscribed.
   * @example
   * const subscription = pack.run$().subscribe((r) => console.log(r.action.command, r.outcome));
   * // later: subscription.unsubscribe(); // stops the pack
   */
  run$(): Observable<ActionResult> {
    return new Observable<ActionResult>((subscriber) => {
      const subscription = this.results$.subscribe({
        next: (result) => subscriber.next(result),
        complete: () =>
          this.failure === undefined ? subscriber.complete() : subscriber.error(this.failure),
      });
      this.start().catch((error: unknown) => subscriber.error(error));
      return () => {
        subscription.unsubscribe();
        void this.stop();
      };
    });
  }

  /**
   * The results of {@link Pack.results$} for `for await`: every handled action's result
   * from the moment the loop starts; the loop ends when the pack stops, and leaving it early
   * (`break`, `return`, a throw) unsubscribes. `mode` says what a loop body slower than the
   * pack gets: `buffer` (default) every result, queued without bound while the body lags;
   * `latest` the newest at each pass; `drop` the next one after each pass (see
   * {@link ForAwaitMode}).
   *
   * @param mode - `buffer` (default), `latest` or `drop`.
   * @returns an async iterable of results.
   * @throws {@link ConfigError} at once when `mode` is not one of the three.
   * @example
   * for await (const { action, outcome } of pack.results()) console.log(action.command, outcome);
   */
  results(mode: ForAwaitMode = 'buffer'): AsyncIterable<ActionResult> {
    return valuesFrom(this.results$, mode, 'pack.results(mode)');
  }

  /**
   * The actions of {@link Pack.actions$} for `for await`: every action taken (or recovered)
   * from the moment the loop starts; the loop ends when the pack stops, and leaving it early
   * unsubscribes. `mode` as for {@link Pack.results}.
   *
   * @param mode - `buffer` (default: every action, queued without bound while the body
   *   lags), `latest` or `drop`.
   * @returns an async iterable of actions.
   * @throws {@link ConfigError} at once when `mode` is not one of the three.
   * @example
   * for await (const action of pack.actions('drop')) await showOnDashboard(action);
   */
  actions(mode: ForAwaitMode = 'buffer'): AsyncIterable<Action> {
    return valuesFrom(this.actions$, mode, 'pack.actions(mode)');
  }

  /** Discovers the API and registers; again each time a take or a post answers 404. */
  private register(): Subscription {
    const { api, backoff, scheduler } = this.settings;
    const options = {
      reRegister$: this.reRegister$,
      backoff,
      onRetry: (error: unknown, attempt: number, delay: number) =>
        this.onRegistrationRetry(error, attempt, delay),
    };
    const registered$ = registration$(api, this.body, options, scheduler);
    // With tracing due, the API loads first, so that the first action is traced too.
    const ready = this.tracing?.ready();
    const after$ = ready
      ? from(ready).pipe(
          catchError((error: unknown) => {
            const why = errorMessage(error);
            this.settings.logger.warn(`tracing is off: @opentelemetry/api did not load: ${why}`);
            return of(undefined);
          }),
          switchMap(() => registered$),
        )
      : registered$;
    return after$.subscribe({
      next: (registration) => this.onRegistered(registration),
      error: (error: unknown) => this.onDefinitionError(error),
    });
  }

  /** The actions taken while a slot is free; one outcome per take on `polls$`. */
  private take$(): Observable<Action> {
    const { api, backoff, pollInterval, scheduler } = this.settings;
    const commands = (this.def.commands ?? []).map((c) => c.name);
    const polls$ = poll$(
      {
        registration$: this.registrations,
        // Extra takes in flight of a pack with several commands ask for one command each.
        take: (pack, command) =>
          command === undefined ? api.takeAction(pack) : api.takeAction(pack, { command }),
        commands,
        slots: this.slots,
        stop$: this.stopTakes$,
        reRegister: (stale) => this.reRegister(stale),
        pollInterval,
        backoff,
        health: ({ root }) => api.health(root), // tells take races from an outage
        maxTakesInFlight: this.maxTakesInFlight,
        burst: this.burstPolling,
        activity$: this.activity, // results delivered and events accepted
      },
      scheduler,
    );
    // One subscriber, not tap + filter + map: it runs for every take.
    return new Observable<Action>((subscriber) =>
      polls$.subscribe({
        next: (outcome) => {
          this.onPoll(outcome);
          if (outcome.kind === 'action') subscriber.next(outcome.action as Action);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
  }

  /** Runs each action's handler (inside its span when tracing), `concurrency` at once. */
  private dispatch$(actions$: Observable<Action>): Observable<ActionResult> {
    const { concurrency, handlerTimeout, logger, scheduler } = this.settings;
    const commands = this.def.commands ?? [];
    const runHandler = this.tracing?.runHandler;
    return actions$.pipe(
      tap((action) => this.actionSubject.next(action)),
      dispatch(
        {
          commands,
          concurrency,
          handlerTimeout,
          retry: this.def.retry, // the default of commands without their own
          cancel$: this.cancel$,
          logger,
          runHandler,
          onRetry: this.tracing?.onRetry, // a span event per retry
        },
        scheduler,
      ),
    );
  }

  /** Hands each result to the outbox, which posts it and settles its slot when that ends. */
  private deliver(results$: Observable<ActionResult>): Subscription {
    return results$.subscribe({
      next: (result) => this.onResult(result),
      error: (error: unknown) => {
        this.settings.logger.error(`the take loop failed: ${errorMessage(error)}`);
        this.handlersDone.complete();
      },
      complete: () => this.handlersDone.complete(),
    });
  }

  private onRegistrationRetry(error: unknown, attempt: number, delay: number): void {
    this.errors.next(error);
    this.registrationRefused = isUnauthorizedError(error);
    if (this.registrationRefused) return this.onTokenRefused(error);
    if (this.lifecycle.getValue() === 'unauthorized') this.setStatus('registering');
    this.settings.logger.warn(
      `registering pack "${this.def.name}" failed (attempt ${attempt}); retrying in ${delay} ms: ${errorMessage(error)}`,
    );
  }

  /** The stranded actions recovered into free slots; nothing (and no audit read) when off. */
  private recovered$(): Observable<Action> {
    const { recovery } = this.settings;
    if (!recovery) return EMPTY;
    return packRecovery$({
      packName: this.def.name,
      settings: { ...this.settings, recovery },
      registration$: this.registrations,
      slots: this.slots,
      stop$: this.stopTakes$,
      onError: (error) => this.errors.next(error),
      onScan: (reach) => this.scans.next(reach),
    });
  }

  private onRegistered(registration: Registration): void {
    this.current = registration;
    this.registrationRefused = false;
    this.registrations.next(registration);
    this.setStatus('running');
    this.settings.logger.info(`pack "${this.def.name}" registered as ${registration.pack.id}`);
    this.settleStart?.resolve();
  }

  private onDefinitionError(error: unknown): void {
    this.failure = error;
    this.errors.next(error);
    this.settings.logger.error(errorMessage(error));
    this.settleStart?.reject(error);
    void this.stop({ grace: 0, flushDeadline: 0 });
  }

  /** A take or a post answered 404: the server no longer knows `stale`'s pack. */
  private reRegister(stale: Registration): void {
    if (stale.generation === this.current?.generation) {
      this.setStatus('registering');
      this.settings.logger.warn(
        `the server does not know pack ${stale.pack.id} (404); registering again`,
      );
    }
    this.reRegister$.next(stale);
  }

  private onPoll(outcome: PollOutcome): void {
    this.polls.next(outcome);
    if (outcome.kind !== 'error') {
      this.setStatus('running');
      return;
    }
    this.errors.next(outcome.error);
    if (isUnauthorizedError(outcome.error)) return this.onTokenRefused(outcome.error);
    this.settings.logger.warn(`taking an action failed: ${errorMessage(outcome.error)}`);
    const notFound = isPackNotFoundError(outcome.error); // re-registration, not a backoff
    if (!notFound && this.lifecycle.getValue() === 'running') this.setStatus('backing-off');
  }

  /**
   * A take or a registration answered 401 although the token was fresh. A refused token stays
   * refused until someone fixes it: one error line a minute, not a warning per attempt, and a
   * status (and health answer) that says so.
   */
  private onTokenRefused(error: unknown): void {
    this.setStatus('unauthorized');
    const now = this.settings.scheduler.now();
    if (this.unauthorizedLoggedAt === undefined || now - this.unauthorizedLoggedAt >= 60_000) {
      this.unauthorizedLoggedAt = now;
      this.settings.logger.error(
        `the flyte server refuses the token, even a fresh one (401): ${errorMessage(error)}`,
      );
    }
  }

  private onResult(result: ActionResult): void {
    this.resultSubject.next(result);
    this.outbox.postResult(result); // its slot is released when the delivery ends
  }

  /**
   * Moves to `status` unless the pack is stopping (only `stopped` follows `stopping`) or
   * stopped; repeats are dropped.
   */
  private setStatus(status: PackStatus): void {
    const current = this.lifecycle.getValue();
    if (current === status || current === 'stopped') return;
    if (current === 'stopping' && status !== 'stopped') return;
    this.lifecycle.next(status);
  }

  /** Moves to `stopped` and completes every stream. */
  private complete(): void {
    this.setStatus('stopped');
    this.stopped$.next();
    for (const subject of [
      this.lifecycle,
      this.registrations,
      this.actionSubject,
      this.resultSubject,
      this.errors,
      this.polls,
      this.delivered,
    ]) {
      subject.complete();
    }
  }
}
