import {
  type ActionInput,
  type ActionRecord,
  type EventInput,
  type EventRecord,
  type PackStatus,
  type StoredPack,
} from './flyte-model-types.js';
import { ActionQueue } from './flyte-action-queue.js';
import { validateEvent } from './flyte-model-validation.js';
import { PackRegistry } from './flyte-pack-registry.js';
import { ChangeListeners } from './change-listeners.js';

/**
 * The state of a flyte server — packs, actions, events — with the server's rules and none of
 * its transport. Browser-safe. The fake HTTP server and the in-memory API both drive it.
 * Every record handed out is an immutable snapshot.
 *
 * @example
 * const model = new FlyteModel();
 * const pack = model.registerPack({ name: 'Slack', commands: [{ name: 'Send', events: ['Sent'] }] });
 * model.enqueueAction({ packName: 'Slack', command: 'Send', input: 'hi' });
 * const action = model.takeAction(pack.id);                  // NEW -> PENDING
 * model.completeAction(pack.id, action!.id, { event: 'Sent' }); // -> SUCCESS
 */
export class FlyteModel {
  private readonly now: () => number;
  private readonly listeners = new ChangeListeners();
  private readonly packStore: PackRegistry;
  private readonly queue: ActionQueue;
  private eventList: readonly EventRecord[] = [];

  /** @param options.now - the clock in ms since the epoch (default `Date.now`). */
  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => Date.now());
    this.packStore = new PackRegistry(this.now, () => this.changed());
    this.queue = new ActionQueue(this.now, () => this.changed());
  }

  /** Registers a pack; the same name and labels replace the definition and keep the id. 400 when invalid. */
  registerPack(body: unknown): StoredPack {
    return this.packStore.register(body);
  }

  /** Every registered pack, in registration order. */
  packs(): readonly StoredPack[] {
    return this.packStore.list();
  }

  /** The pack with this id, if registered. */
  pack(id: string): StoredPack | undefined {
    return this.packStore.get(id);
  }

  /** Forgets a pack (as flyte's dead-pack clean-up does); false when it was unknown. */
  deletePack(id: string): boolean {
    return this.packStore.delete(id);
  }

  /** `live` (seen < 10 min ago), `warning` (< 24 h) or `critical`. ModelError(404) when unknown. */
  packStatus(id: string): PackStatus {
    return this.packStore.status(id);
  }

  /** Creates a `NEW` action, as a flow step does. ModelError(400) on missing fields. */
  enqueueAction(a: ActionInput): ActionRecord {
    return this.queue.enqueue(a);
  }

  /**
   * Takes the oldest `NEW` action for this pack — same name, its labels among the pack's, and the
   * command `actionName` when given — moving it to `PENDING` at once; `null` when none waits.
   * Refreshes the pack's `lastSeen`. ModelError(404) when the pack is unknown.
   */
  takeAction(packId: string, actionName?: string): ActionRecord | null {
    return this.queue.take(this.packStore.touch(packId), actionName);
  }

  /**
   * The first half of a take that is not atomic (a store with latency): the action a take
   * would pick now, left `NEW`; `null` when none waits. Refreshes `lastSeen`.
   * ModelError(404) when the pack is unknown. Finish with {@link FlyteModel.claimAction}.
   */
  nextAction(packId: string, actionName?: string): ActionRecord | null {
    return this.queue.candidate(this.packStore.touch(packId), actionName);
  }

  /**
   * The second half of a take: moves this action to `PENDING` for the pack only if it is still
   * `NEW`; `null` when another take got it first (flyte's update then matches nothing).
   * ModelError(404) when the pack is unknown.
   */
  claimAction(packId: string, actionId: string): ActionRecord | null {
    return this.queue.claim(this.packStore.touch(packId), actionId);
  }

  /**
   * Runs every check of {@link FlyteModel.completeAction} and changes nothing: the read that
   * precedes the update on a store with latency. Throws the same ModelErrors.
   */
  checkCompletion(packId: string, actionId: string, event: EventInput): void {
    this.queue.completable(this.packStore.touch(packId), actionId, event);
  }

  /**
   * Completes a `PENDING` action: `FATAL` when the event is named `FATAL`, else `SUCCESS`.
   * Refreshes `lastSeen`. ModelError 404 (unknown pack or action, or another pack's action),
   * 400 (bad event), 500 (not PENDING, e.g. already completed).
   */
  completeAction(packId: string, actionId: string, event: EventInput): ActionRecord {
    return this.queue.complete(this.packStore.touch(packId), actionId, event);
  }

  /** Records a spontaneous event; refreshes `lastSeen`. ModelError 404 (unknown pack), 400 (bad event). */
  postEvent(packId: string, event: EventInput): EventRecord {
    const pack = this.packStore.touch(packId);
    const { event: name, payload, createdAt } = validateEvent(event);
    const receivedAt = this.iso();
    const record = {
      packId,
      packName: pack.name,
      event: name,
      payload,
      createdAt: createdAt ?? receivedAt,
      receivedAt,
    };
    this.eventList = [...this.eventList, record];
    this.changed();
    return record;
  }

  /** The server's clock (what its answers' `Date` header says), in ms since the epoch. */
  time(): number {
    return this.now();
  }

  /** Every action, oldest first. */
  actions(): readonly ActionRecord[] {
    return this.queue.all();
  }

  /** The action with this id. */
  action(id: string): ActionRecord | undefined {
    return this.queue.get(id);
  }

  /** Every spontaneous event, oldest first (results are on the actions). */
  events(): readonly EventRecord[] {
    return this.eventList;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** Resolves as soon as `predicate(model)` holds (now or after a change); rejects if it throws or `signal` aborts. */
  waitFor(
    predicate: (m: FlyteModel) => boolean,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    return this.listeners.waitFor(() => predicate(this), options.signal);
  }

  /** Forgets every pack, action and event (listeners stay; action ids keep counting up). */
  reset(): void {
    this.packStore.clear();
    this.queue.clear();
    this.eventList = [];
    this.changed();
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Notifies every listener; a listener that throws is reported later and never breaks the model. */
  private changed(): void {
    this.listeners.notify();
  }
}
