import {
  type ActionInput,
  type ActionRecord,
  type ActionState,
  type EventInput,
  ModelError,
  type StoredPack,
} from './flyte-model-types.js';
import { validateActionInput, validateEvent } from './flyte-model-validation.js';

const hasLabels = (
  have: Readonly<Record<string, string>>,
  want: Readonly<Record<string, string>>,
) => Object.entries(want).every(([k, v]) => have[k] === v);

/**
 * The actions part of the {@link FlyteModel}: the queue and the NEW → PENDING → SUCCESS/FATAL
 * life cycle. Internal to the testing kit; use the model.
 *
 * @example
 * const queue = new ActionQueue(() => Date.now(), () => undefined);
 * queue.enqueue({ packName: 'Slack', command: 'Send' }).state; // 'NEW'
 */
export class ActionQueue {
  /** Every action by id, in creation order (a Map keeps the order of first insertion). */
  private byId = new Map<string, ActionRecord>();
  /** The `NEW` actions of each pack name, oldest first, so a take looks at no other actions. */
  private waiting = new Map<string, Map<string, ActionRecord>>();
  /** `all()`'s answer until the next change, so reading twice copies once. */
  private snapshot: readonly ActionRecord[] | null = null;
  /** Never reset, so an id from before a reset can not hit a newer action. */
  private nextId = 1;

  /**
   * @param now - the clock, in ms since the epoch.
   * @param notify - called after every change.
   */
  constructor(
    private readonly now: () => number,
    private readonly notify: () => void,
  ) {}

  /** Adds a `NEW` action. ModelError(400) on missing fields. */
  enqueue(a: ActionInput): ActionRecord {
    const { packName, packLabels, command, input, ...flow } = validateActionInput(a);
    const history = [{ state: 'NEW' as const, at: this.iso() }];
    const id = `action-${this.nextId++}`;
    const action: ActionRecord = {
      id,
      packName,
      packLabels,
      command,
      input,
      state: 'NEW',
      history,
      ...flow,
    };
    const queue = this.waiting.get(packName) ?? new Map<string, ActionRecord>();
    this.waiting.set(packName, queue.set(id, action));
    return this.save(action);
  }

  /** Moves the oldest `NEW` action this pack may take (optionally of one command) to `PENDING`. */
  take(pack: StoredPack, command?: string): ActionRecord | null {
    const candidate = this.candidate(pack, command);
    return candidate && this.claim(pack, candidate.id);
  }

  /** The oldest `NEW` action this pack may take (optionally of one command), left as it is. */
  candidate(pack: StoredPack, command?: string): ActionRecord | null {
    const queue = this.waiting.get(pack.name) ?? new Map<string, ActionRecord>();
    for (const a of queue.values()) {
      if ((!command || a.command === command) && hasLabels(pack.labels, a.packLabels)) return a;
    }
    return null;
  }

  /** Moves this action to `PENDING` for the pack if it is still `NEW`; null otherwise. */
  claim(pack: StoredPack, actionId: string): ActionRecord | null {
    const queue = this.waiting.get(pack.name);
    const action = queue?.get(actionId);
    if (!queue || !action || !hasLabels(pack.labels, action.packLabels)) return null;
    queue.delete(actionId);
    return this.save({ ...this.moved(action, 'PENDING'), takenBy: pack.id });
  }

  /** Completes a `PENDING` action of this pack; 400 bad event, 404 unknown action, 500 not PENDING. */
  complete(pack: StoredPack, actionId: string, event: EventInput): ActionRecord {
    const { action, valid } = this.completable(pack, actionId, event);
    const { payload, createdAt = this.iso() } = valid;
    const state: ActionState = valid.event === 'FATAL' ? 'FATAL' : 'SUCCESS';
    const result = { event: valid.event, payload, createdAt };
    return this.save({ ...this.moved(action, state), result });
  }

  /** The checks of {@link complete} without the change: the action and the valid event, or the ModelError. */
  completable(
    pack: StoredPack,
    actionId: string,
    event: EventInput,
  ): { action: ActionRecord; valid: EventInput } {
    const valid = validateEvent(event);
    const action = this.get(actionId);
    if (!action || action.packName !== pack.name || !hasLabels(pack.labels, action.packLabels)) {
      throw new ModelError(404, `action "${actionId}" not found for pack "${pack.id}"`);
    }
    if (action.state !== 'PENDING') {
      throw new ModelError(500, `action "${actionId}" is ${action.state}, not PENDING`);
    }
    return { action, valid };
  }

  /** Every action, oldest first. */
  all(): readonly ActionRecord[] {
    return (this.snapshot ??= [...this.byId.values()]);
  }

  /** The action with this id. */
  get(id: string): ActionRecord | undefined {
    return this.byId.get(id);
  }

  /** Forgets every action (ids keep counting up). */
  clear(): void {
    this.byId = new Map();
    this.waiting = new Map();
    this.snapshot = null;
  }

  private moved(a: ActionRecord, state: ActionState): ActionRecord {
    return { ...a, state, history: [...a.history, { state, at: this.iso() }] };
  }

  /** Stores `next` in its place (or last, when new) and tells the listener. */
  private save(next: ActionRecord): ActionRecord {
    this.byId.set(next.id, next);
    this.snapshot = null;
    this.notify();
    return next;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
