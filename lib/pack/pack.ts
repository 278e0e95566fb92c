import { defer, Observable, of, switchMap } from 'rxjs';
import type { Action, RegisteredPack } from '../model/wire-types.js';
import type { Event, PackDef } from '../model/definitions.js';
import type { PackOptions, PackStatus, StopOptions } from './pack-options.js';
import type { ActionResult, PollOutcome } from '../model/outcomes.js';
import { PackRuntime } from './pack-runtime.js';
import { resolvePackSettings } from './pack-settings.js';
import { validatePackDef } from '../model/validate.js';

/**
 * A flyte pack: registers its commands and events with the flyte server, takes the actions
 * flows create for it (only while a handler slot is free), runs a handler for each and posts
 * the result, retrying until the server accepts it; posts spontaneous events
 * ({@link Pack.sendEvent}); stops gracefully ({@link Pack.stop}). Every stream completes
 * when the pack has stopped, so `for await (const a of eachValueFrom(pack.actions$))` ends.
 *
 * @example
 * const pack = new Pack({ name: 'rota-pack', commands: [rota] }, { url: 'http://localhost:8080' });
 * await pack.start();
 * pack.results$.subscribe(({ action, outcome }) => console.log(action.command, outcome));
 * await pack.sendEvent({ eventDef: someoneSeen, payload: { who: 'Ann' } });
 * await pack.stop();
 */
export class Pack {
  /** The pack's name. */
  readonly name: string;
  /** The poll interval in use, in ms (after the 500 ms floor). */
  readonly pollInterval: number;
  /** The number of handlers that may run at once. */
  readonly concurrency: number;
  /** The labels registered: the definition's with the options' merged over them. */
  readonly labels: Readonly<Record<string, string>>;
  /** The life cycle: `idle` → `registering` → `running` ⇄ `backing-off` → `stopping` → `stopped`; replays the current one. */
  readonly status$: Observable<PackStatus>;
  /** The registered pack (its id and links), replaying the latest; a new one after re-registration. */
  readonly registered$: Observable<RegisteredPack>;
  /** Every action taken. */
  readonly actions$: Observable<Action>;
  /** Every action's result (before delivery): the event and whether it succeeded. */
  readonly results$: Observable<ActionResult>;
  /** Errors the pack lived through: failed registrations and takes, undelivered events ({@link DeliveryError}). */
  readonly errors$: Observable<unknown>;
  /** One outcome per take, for health checks. */
  readonly polls$: Observable<PollOutcome>;
  /** Handler slots in use (running handlers plus a take in flight), replaying the current count. */
  readonly inFlight$: Observable<number>;
  private readonly runtime: PackRuntime;

  /**
   * @param def - the pack definition.
   * @param options - where the server is and how to run; see {@link PackOptions}.
   * @throws {@link PackDefinitionError} listing every problem of the definition, or
   *   {@link ConfigError} listing every invalid option.
   */
  constructor(def: PackDef, options: PackOptions) {
    validatePackDef(def, options.labels);
    const settings = resolvePackSettings(options, def.labels);
    this.name = def.name;
    this.runtime = new PackRuntime(def, settings);
    const channels = this.runtime.channels;
    this.status$ = channels.status$;
    this.registered$ = channels.registered$;
    this.actions$ = channels.actions$;
    this.results$ = channels.results$;
    this.errors$ = channels.errors$;
    this.polls$ = channels.polls$;
    this.inFlight$ = channels.inFlight$;
    this.pollInterval = settings.pollInterval;
    this.concurrency = settings.concurrency;
    this.labels = settings.labels;
  }

  /** The current status. */
  get status(): PackStatus {
    return this.runtime.channels.status.getValue();
  }

  /** The registered pack, once registered. */
  get registered(): RegisteredPack | undefined {
    return this.runtime.current;
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
    return this.runtime.start();
  }

  /**
   * Stops gracefully: starts no new take (a take in flight finishes and its action is
   * handled), lets running handlers finish within `grace`, cancels the rest and completes
   * their actions with FATAL `cancelled`, delivers what the outbox holds within
   * `flushDeadline` (the rest is reported on `errors$`), then completes every stream.
   * A take in flight is awaited even past `grace`: abandoning it could strand its action
   * PENDING on the server. The transport's take timeout bounds that wait.
   *
   * @param options - `grace` (default 30 s) and `flushDeadline` (default 10 s).
   * @returns resolves when stopped; never rejects. Calling it again returns the same promise.
   * @example
   * process.on('SIGTERM', () => void pack.stop({ grace: 10_000 }));
   */
  stop(options?: StopOptions): Promise<void> {
    return this.runtime.stop(options);
  }

  /**
   * Posts a spontaneous event, retrying until the server accepts it. Before registration it
   * waits for it.
   *
   * @param event - the event (`createdAt` defaults to now).
   * @returns resolves when the server accepted the event; rejects with a
   *   {@link DeliveryError} (carrying the event) when it was refused, the attempts ran out or
   *   the pack stopped first.
   * @example
   * await pack.sendEvent({ eventDef: someoneSeen, payload: { who: 'Ann' } });
   */
  sendEvent<P>(event: Event<P>): Promise<void> {
    return this.runtime.send(event as Event);
  }

  /**
   * Checks the flyte server's health (its health link, found by discovery).
   *
   * @returns emits once and completes when the server is healthy; errors otherwise.
   * @example
   * pack.flyteHealth().subscribe({ next: () => ok(), error: (e) => notOk(e) });
   */
  flyteHealth(): Observable<void> {
    const api = this.runtime.api;
    return defer(() => (this.runtime.root ? of(this.runtime.root) : api.discover())).pipe(
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
          this.runtime.failure === undefined
            ? subscriber.complete()
            : subscriber.error(this.runtime.failure),
      });
      this.start().catch((error: unknown) => subscriber.error(error));
      return () => {
        subscription.unsubscribe();
        void this.stop();
      };
    });
  }
}
