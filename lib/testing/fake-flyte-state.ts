import type { FakeControlTarget } from './fake-control-routes.js';
import { FaultInjector } from './fake-faults.js';
import type {
  EndpointStats,
  FaultConfig,
  FaultEndpoint,
  FaultPatch,
  RequestLogEntry,
} from './fake-http-types.js';
import { RequestLog } from './fake-request-log.js';
import { FlyteModel } from './flyte-model.js';
import type { ActionInput, ActionRecord, EventRecord, StoredPack } from './flyte-model-types.js';
import { ChangeListeners } from './change-listeners.js';

/**
 * The fake flyte server's state and control surface, without the transport: the model, faults,
 * auth, health and request log. {@link FakeFlyteServer} serves it over HTTP.
 *
 * Not exported: use {@link FakeFlyteServer}, or {@link FlyteModel} for the state alone.
 * @example
 * const state = new FakeFlyteState();
 * state.setFaults({ errorRate: 0.5, seed: 3 });
 * state.enqueueAction({ packName: 'Slack', command: 'Send' });
 */
export class FakeFlyteState implements FakeControlTarget {
  /** The server's state. */
  readonly model: FlyteModel;
  /** The fault plan applied to API requests. */
  protected readonly faults: FaultInjector;
  /** The API request log. */
  protected readonly log: RequestLog;
  /** The token API requests must carry; `null` when auth is off. */
  protected token: string | null = null;
  /** Whether `GET /health` answers 200. */
  protected healthy = true;
  private readonly listeners = new ChangeListeners();
  private readonly baseStoreLatencyMs: number;
  private readonly seed: number;

  /**
   * @param options.model - the state to serve. @default a new FlyteModel
   * @param options.seed - default seed of the fault PRNG. @default 1
   * @param options.storeLatencyMs - time of one store operation, in ms. @default 0
   */
  constructor(options: { model?: FlyteModel; seed?: number; storeLatencyMs?: number } = {}) {
    const storeLatencyMs = options.storeLatencyMs ?? 0;
    if (!(typeof storeLatencyMs === 'number' && storeLatencyMs >= 0))
      throw new Error(`storeLatencyMs must be a number >= 0, got ${String(storeLatencyMs)}`);
    this.baseStoreLatencyMs = storeLatencyMs;
    this.model = options.model ?? new FlyteModel();
    this.seed = options.seed ?? 1;
    this.faults = new FaultInjector(this.seed);
    this.log = new RequestLog(() => this.changed());
    this.model.onChange(() => this.changed());
  }

  /** Creates a `NEW` action, as a flow step would. */
  enqueueAction(action: ActionInput): ActionRecord {
    return this.model.enqueueAction(action);
  }

  /** Every action, oldest first, with its state history and result. */
  actions(): readonly ActionRecord[] {
    return this.model.actions();
  }

  /** One action by id. */
  action(id: string): ActionRecord | undefined {
    return this.model.action(id);
  }

  /** Every spontaneous event, oldest first. */
  events(): readonly EventRecord[] {
    return this.model.events();
  }

  /** Every registered pack. */
  packs(): readonly StoredPack[] {
    return this.model.packs();
  }

  /** The log of API requests (never `/_fake/*` nor preflights), oldest first. No token values. */
  requests(): readonly RequestLogEntry[] {
    return this.log.list();
  }

  /**
   * The API requests logged after the one numbered `seq` (`RequestLogEntry.seq`; 0 for all),
   * oldest first: what a reader that follows the log reads at each change, without a copy of
   * the whole log each time.
   *
   * @param seq - the number of the last request already read.
   * @returns the requests numbered above `seq` that the log still holds.
   * @example
   * let seen = 0;
   * server.onChange(() => {
   *   for (const r of server.requestsAfter(seen)) if (r.status !== null) console.log(r.path, r.status);
   * });
   */
  requestsAfter(seq: number): readonly RequestLogEntry[] {
    return this.log.after(seq);
  }

  /** Per endpoint: requests, answers per status, takes that lost a race, faults; from the request log. */
  stats(): Partial<Record<FaultEndpoint, EndpointStats>> {
    return this.log.stats();
  }

  /** The time of one store operation now, in ms: the faults' `storeLatencyMs`, else the server's. */
  storeLatencyMs(): number {
    return this.faults.current().storeLatencyMs ?? this.baseStoreLatencyMs;
  }

  /** Empties the request log. */
  clearRequests(): void {
    this.log.clear();
  }

  /** Forgets a pack, as flyte's dead-pack clean-up does; its next take gets 404. */
  deletePack(id: string): boolean {
    return this.model.deletePack(id);
  }

  /** Resolves as soon as `predicate(this)` holds; re-checked after every state or log change. */
  waitFor(
    predicate: (server: this) => boolean,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    return this.listeners.waitFor(() => predicate(this), options.signal);
  }

  /** Resolves once `n` actions have a result. */
  waitForResults(n: number, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.waitFor((s) => s.actions().filter((a) => a.result).length >= n, options);
  }

  /** Calls `listener` after every state or request-log change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** Requires `Authorization: Bearer <token>` on every API request (401 otherwise); `null` turns auth off. */
  requireToken(token: string | null): void {
    this.token = token;
  }

  /** Replaces the faults injected into API requests (see {@link FaultConfig}); `{}` clears. Throws when invalid. */
  setFaults(config: FaultConfig): void {
    this.faults.configure(config);
  }

  /**
   * Changes some fault settings and keeps the others, as `POST /_fake/faults` does: each setting
   * given replaces its value, `null` removes it. Throws when the result is invalid, changing nothing.
   */
  updateFaults(patch: FaultPatch): void {
    this.faults.update(patch);
  }

  /** The faults in effect (`{}` plus the seed when none), with the seed the PRNG started from. */
  faultConfig(): FaultConfig {
    return { seed: this.seed, ...this.faults.current() };
  }

  /** Removes every fault. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Makes `GET /health` answer 200 (true) or 500 (false). */
  setHealthy(healthy: boolean): void {
    this.healthy = healthy;
  }

  /** Whether `GET /health` answers 200. */
  isHealthy(): boolean {
    return this.healthy;
  }

  /** Back to a fresh server: state, faults, auth, health and request log. */
  reset(): void {
    this.model.reset();
    this.faults.clear();
    this.token = null;
    this.healthy = true;
    this.log.clear();
  }

  private changed(): void {
    this.listeners.notify();
  }
}
