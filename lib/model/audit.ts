/**
 * The flow-execution audit of a flyte server (`GET <audit link>`, rel ending
 * `flowAudit/findFlows`), as a pack client reads it: the flows and, in each, its actions with
 * their state history. It is the only place where a client can see an action it did not take
 * (see `docs/recovery.md`).
 */

/**
 * One state of an action in the audit, with the server's time of it.
 *
 * @example
 * const pending: AuditState = { value: 'PENDING', time: '2026-12-01T11:00:00Z' };
 */
export interface AuditState {
  /** `NEW`, `PENDING`, `SUCCESS` or `FATAL`. */
  readonly value: string;
  /** RFC 3339 time of the change, as the server recorded it. */
  readonly time: string;
}

/**
 * An action as the audit lists it.
 *
 * @example
 * flow.actions.filter((a: AuditAction) => a.state.value === 'PENDING').map((a) => a.id);
 */
export interface AuditAction {
  /** The action's id (the same as in its take and result links). */
  readonly id: string;
  /** The command (the action's `name` on the server). */
  readonly command: string;
  /** The pack that is to run it. */
  readonly packName: string;
  /** Only packs carrying all these labels may take it. */
  readonly packLabels: Readonly<Record<string, string>>;
  /** Whatever the flow step put there; `undefined` when absent. */
  readonly input: unknown;
  /** The current state. */
  readonly state: AuditState;
  /** Every state, oldest first (empty when the server sent none). */
  readonly states: readonly AuditState[];
  /** The flow execution it belongs to. */
  readonly correlationId: string;
  /** The flow step the action belongs to (its key in the flow's `actions`). */
  readonly stepId: string;
}

/**
 * A flow execution as the audit lists it.
 *
 * @example
 * api.auditFlows(root, { actionPackName: 'Slack' }).subscribe(({ flows }) => flows.map((f: AuditFlow) => f.name));
 */
export interface AuditFlow {
  /** The flow's name. */
  readonly name: string;
  /** The flow execution's id. */
  readonly correlationId: string;
  /** Every action of the flow, whatever its pack. */
  readonly actions: readonly AuditAction[];
}

/**
 * One answer of `GET <audit link>`: a page of flows and the server's clock when it answered.
 *
 * @example
 * api.auditFlows(root, { actionPackName: 'Slack' }).subscribe((page: AuditPage) => console.log(page.flows.length, page.serverTime));
 */
export interface AuditPage {
  /** The flows, newest first. */
  readonly flows: readonly AuditFlow[];
  /**
   * The server's time of the answer (its `Date` header), in ms since the epoch: the clock the
   * audit's state times are to be compared with. Absent when the answer carried none (a browser
   * reads it cross-origin only when the server exposes it).
   */
  readonly serverTime?: number;
}

/**
 * The filters and paging of `GET <audit link>`, as the server reads them. Flows come newest
 * first (by the latest state time of their matching actions).
 *
 * @example
 * const query: AuditQuery = { actionPackName: 'Slack', start: 0, limit: 50 };
 */
export interface AuditQuery {
  /** Only flows with an action of this pack name. */
  readonly actionPackName?: string;
  /** Only flows with an action carrying every one of these labels (sent as `k:v,k:v`). */
  readonly actionPackLabels?: Readonly<Record<string, string>>;
  /** Only flows with an action of this command. */
  readonly actionName?: string;
  /** Flows to skip. @default 0 */
  readonly start?: number;
  /** Flows in the page. @default 50 (the server's) */
  readonly limit?: number;
}

/**
 * The query string of an audit request, in the form the server reads.
 *
 * @param query - the filters and paging.
 * @returns the parameters (only those given).
 * @example
 * auditSearchParams({ actionPackName: 'Slack', limit: 20 }).toString(); // 'actionPackName=Slack&limit=20'
 */
export function auditSearchParams(query: AuditQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.actionPackName !== undefined) params.set('actionPackName', query.actionPackName);
  const labels = Object.entries(query.actionPackLabels ?? {});
  if (labels.length) params.set('actionPackLabels', labels.map(([k, v]) => `${k}:${v}`).join(','));
  if (query.actionName !== undefined) params.set('actionName', query.actionName);
  if (query.start !== undefined) params.set('start', String(query.start));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return params;
}
