import type { PackRegistration } from '../model/wire-types.js';

/**
 * The life cycle of an action on a flyte server: created `NEW`, taken `PENDING`, completed
 * `SUCCESS` (or `FATAL` when the result event is named exactly `FATAL`).
 *
 * @example
 * const done = (s: ActionState) => s === 'SUCCESS' || s === 'FATAL';
 */
export type ActionState = 'NEW' | 'PENDING' | 'SUCCESS' | 'FATAL';

/**
 * An action as the fake server keeps it: what a flow step asked a pack to do, and what became of it.
 * Records are immutable snapshots: every change produces a new record.
 *
 * @example
 * const a: ActionRecord = model.enqueueAction({ packName: 'Slack', command: 'Send', input: { to: 'ann' } });
 * a.state; // 'NEW'
 */
export interface ActionRecord {
  /** The action's id, unique on the server. */
  readonly id: string;
  /** Only packs with this name may take it. */
  readonly packName: string;
  /** Only packs carrying all these labels may take it. */
  readonly packLabels: Readonly<Record<string, string>>;
  /** The command to run (the action's name on the server). */
  readonly command: string;
  /** Whatever the flow step put there; `undefined` when absent (sent as `null`, as flyte does). */
  readonly input: unknown;
  /** Where the action is in its life cycle. */
  readonly state: ActionState;
  /** Every state the action went through, oldest first, with RFC 3339 times. */
  readonly history: readonly {
    /** The state entered. */
    readonly state: ActionState;
    /** When, in RFC 3339. */
    readonly at: string;
  }[];
  /** The id of the pack that took it. */
  readonly takenBy?: string;
  /** The flow execution, flow name and step, when the action was created with them (see {@link ActionInput}). */
  readonly correlationId?: string;
  /** The flow's name in the audit. */
  readonly flowName?: string;
  /** The flow step (its key in the audit flow's `actions`). */
  readonly stepId?: string;
  /** The result event, once completed. */
  readonly result?: {
    /** The result event's name. */
    readonly event: string;
    /** The result event's payload. */
    readonly payload: unknown;
    /** RFC 3339 time the pack gave the event (or the receive time). */
    readonly createdAt: string;
  };
}

/**
 * A spontaneous event a pack posted (`POST <event link>`).
 *
 * @example
 * model.events().map((e: EventRecord) => e.event); // ['ReceivedMessage']
 */
export interface EventRecord {
  /** The id of the pack that posted it. */
  readonly packId: string;
  /** The name of the pack that posted it. */
  readonly packName: string;
  /** The event's name. */
  readonly event: string;
  /** The event's payload. */
  readonly payload: unknown;
  /** RFC 3339; the receive time when the pack sent none. */
  readonly createdAt: string;
  /** RFC 3339 time at which the server received it. */
  readonly receivedAt: string;
}

/**
 * A registered pack as the fake server stores it.
 *
 * @example
 * const p: StoredPack = model.registerPack({ name: 'Slack', labels: { env: 'prod' } });
 * p.id; // 'Slack.env.prod'
 */
export interface StoredPack {
  /** Deterministic: name, then `.key.value` per label in sorted key order. */
  readonly id: string;
  /** The pack's name. */
  readonly name: string;
  /** The pack's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The registration body as validated (a copy). */
  readonly registration: PackRegistration;
  /** RFC 3339 time of the last registration, take, result or event. */
  readonly lastSeen: string;
}

/**
 * A pack's health as flyte reports it: `live` when seen within 10 minutes, `warning` within
 * 24 hours, `critical` otherwise.
 *
 * @example
 * const s: PackStatus = model.packStatus('Slack'); // 'live'
 */
export type PackStatus = 'live' | 'warning' | 'critical';

/**
 * An event as a pack sends it: a result or a spontaneous event.
 *
 * @example
 * model.postEvent('Slack', { event: 'ReceivedMessage', payload: { text: 'hi' } } satisfies EventInput);
 */
export interface EventInput {
  /** The event's name. */
  readonly event: string;
  /** The event's payload. */
  readonly payload?: unknown;
  /** RFC 3339; defaults to the receive time. */
  readonly createdAt?: string;
}

/**
 * What a flow step asks of a pack: the fields of a new action.
 *
 * @example
 * model.enqueueAction({ packName: 'Slack', packLabels: { env: 'prod' }, command: 'Send', input: 'hi' } satisfies ActionInput);
 */
export interface ActionInput {
  /** Only packs with this name may take it. */
  readonly packName: string;
  /** Only packs carrying all these labels may take it. @default none */
  readonly packLabels?: Readonly<Record<string, string>>;
  /** The command to run. */
  readonly command: string;
  /** The action's input, as a flow step would give it. */
  readonly input?: unknown;
  /** The flow execution it belongs to, as the audit groups actions. @default the action's id */
  readonly correlationId?: string;
  /** The flow's name in the audit. @default `<command>-flow` */
  readonly flowName?: string;
  /** The flow step (its key in the audit flow's `actions`). @default the command */
  readonly stepId?: string;
}

/**
 * A refusal by the model, carrying the HTTP status the real server would answer:
 * 400 (bad body), 404 (unknown pack or action) or 500 (action not PENDING).
 *
 * @example
 * try { model.takeAction('nope'); } catch (e) { if (e instanceof ModelError) e.status; } // 404
 */
export class ModelError extends Error {
  /** Always `'ModelError'`. */
  override readonly name: string = 'ModelError';
  /** The HTTP status the real flyte server answers in this case. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
