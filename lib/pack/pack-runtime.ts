import { defer, EMPTY, ReplaySubject, Subject, Subscription } from 'rxjs';
import type { FlyteApi } from '../api/flyte-api.js';
import type { ApiRoot, PackRegistration, RegisteredPack } from '../model/wire-types.js';
import { FlyteError, isPackNotFoundError } from '../model/errors.js';
import { CapacityGate } from '../streams/capacity-gate.js';
import { type Registration, registration$ } from '../streams/registration.js';
import type { Event, PackDef } from '../model/definitions.js';
import { gracefulStop$ } from '../streams/graceful-stop.js';
import { PackChannels } from './pack-channels.js';
import type { StopOptions } from './pack-options.js';
import type { ActionResult, PollOutcome } from '../model/outcomes.js';
import { PackOutbox } from './pack-outbox.js';
import type { PackSettings } from './pack-settings.js';
import { packTakeLoop$ } from './pack-take-loop.js';
import { toRegistration } from '../model/registration-body.js';

/**
 * The machinery behind a {@link Pack}: runs registration, the take loop and the outbox into
 * its {@link PackChannels}, and the graceful stop. Use `Pack`; this is its implementation.
 *
 * @example
 * const runtime = new PackRuntime(def, resolvePackSettings(options, def.labels));
 * await runtime.start();
 */
export class PackRuntime {
  readonly channels: PackChannels;
  /** The API root of the latest registration. */
  root?: ApiRoot;
  /** The latest registration. */
  current?: RegisteredPack;
  /** The definition error that ended the pack, if one did. */
  failure?: unknown;
  private readonly gate: CapacityGate;
  private readonly outbox: PackOutbox;
  private readonly body: PackRegistration;
  private readonly reRegister$ = new Subject<RegisteredPack>();
  private readonly stopTakes$ = new ReplaySubject<void>(1);
  private readonly cancel$ = new ReplaySubject<void>(1);
  private readonly handlersDone = new Subject<void>();
  private readonly subscriptions = new Subscription();
  private started?: Promise<void>;
  private settleStart?: { resolve: () => void; reject: (error: unknown) => void };
  private stopped?: Promise<void>;

  constructor(
    private readonly def: PackDef,
    private readonly settings: PackSettings,
  ) {
    this.body = toRegistration(def, settings.labels);
    this.gate = new CapacityGate(settings.concurrency);
    this.channels = new PackChannels(this.gate);
    this.outbox = new PackOutbox({
      packName: def.name,
      settings,
      pack$: this.channels.registered$,
      reRegister: (stale) => this.askReRegister(stale),
      onError: (error) => this.channels.errors.next(error),
    });
  }

  /** The transport. */
  get api(): FlyteApi {
    return this.settings.api;
  }

  /** See {@link Pack.start}. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new FlyteError(`pack "${this.def.name}" was stopped`));
    if (this.started) return this.started;
    this.started = new Promise((resolve, reject) => (this.settleStart = { resolve, reject }));
    const { api, backoff, logger, scheduler } = this.settings;
    this.channels.setStatus('registering');
    const onRetry = (error: unknown, attempt: number, delay: number) => {
      this.channels.errors.next(error);
      logger.warn(
        `registering pack "${this.def.name}" failed (attempt ${attempt}); retrying in ${delay} ms: ${messageOf(error)}`,
      );
    };
    const options = { reRegister$: this.reRegister$, backoff, onRetry };
    this.subscriptions.add(
      registration$(api, this.body, options, scheduler).subscribe({
        next: (registration) => this.onRegistered(registration),
        error: (error: unknown) => this.onDefinitionError(error),
      }),
    );
    this.subscriptions.add(this.runTakeLoop());
    return this.started;
  }

  /** See {@link Pack.stop}. */
  stop(options: StopOptions = {}): Promise<void> {
    if (this.stopped) return this.stopped;
    // Set before anything is emitted, so a stop() called again from a subscriber (of status$,
    // say) joins this one instead of running a second stop with other limits.
    let resolveStopped = (): void => undefined;
    this.stopped = new Promise((resolve) => (resolveStopped = resolve));
    const { grace = 30_000, flushDeadline = 10_000 } = options;
    const { logger, scheduler } = this.settings;
    this.channels.setStatus('stopping');
    if (!this.current) {
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
      closeOutbox: () => this.outbox.close(),
      outboxDone$: this.outbox.done$,
      giveUpDeliveries: () => this.outbox.giveUp(),
    };
    const limits = { grace, flushDeadline: this.started ? flushDeadline : 0 };
    gracefulStop$(steps, limits, scheduler).subscribe({
      complete: () => {
        this.subscriptions.unsubscribe();
        this.outbox.dispose();
        this.channels.complete();
        logger.info(`pack "${this.def.name}" stopped`);
        resolveStopped();
      },
    });
    return this.stopped;
  }

  /** See {@link Pack.sendEvent}. */
  send(event: Event): Promise<void> {
    return this.outbox.send(event);
  }

  private onRegistered({ root, pack }: Registration): void {
    this.root = root;
    this.current = pack;
    this.channels.registered.next(pack);
    this.channels.setStatus('running');
    this.settings.logger.info(`pack "${this.def.name}" registered as ${pack.id}`);
    this.settleStart?.resolve();
  }

  private onDefinitionError(error: unknown): void {
    this.failure = error;
    this.channels.errors.next(error);
    this.settings.logger.error(messageOf(error));
    this.settleStart?.reject(error);
    void this.stop({ grace: 0, flushDeadline: 0 });
  }

  private askReRegister(stale: RegisteredPack): void {
    if (stale === this.current) {
      this.channels.setStatus('registering');
      this.settings.logger.warn(
        `the server does not know pack ${stale.id} (404); registering again`,
      );
    }
    this.reRegister$.next(stale);
  }

  private runTakeLoop(): Subscription {
    return packTakeLoop$({
      def: this.def,
      settings: this.settings,
      gate: this.gate,
      pack$: this.channels.registered$,
      stop$: this.stopTakes$,
      cancel$: this.cancel$,
      reRegister: (stale) => this.askReRegister(stale),
      onPoll: (outcome) => this.onPoll(outcome),
      onAction: (action) => this.channels.actions.next(action),
    }).subscribe({
      next: (result) => this.onResult(result),
      error: (error: unknown) => {
        this.settings.logger.error(`the take loop failed: ${messageOf(error)}`);
        this.handlersDone.complete();
      },
      complete: () => this.handlersDone.complete(),
    });
  }

  private onPoll(outcome: PollOutcome): void {
    this.channels.polls.next(outcome);
    if (outcome.kind !== 'error') {
      this.channels.setStatus('running');
      return;
    }
    this.channels.errors.next(outcome.error);
    this.settings.logger.warn(`taking an action failed: ${messageOf(outcome.error)}`);
    const notFound = isPackNotFoundError(outcome.error); // re-registration, not a backoff
    if (!notFound && this.channels.status.getValue() === 'running') {
      this.channels.setStatus('backing-off');
    }
  }

  private onResult(result: ActionResult): void {
    this.channels.results.next(result);
    this.outbox.postResult(result);
    this.gate.release(); // last: it may start the next take at once
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
