import type { Link } from '../model/wire-types.js';
import { FLYTE_DOCS, type FlyteHrefs } from './flyte-hrefs.js';
import { type ActionRecord, ModelError } from './flyte-model-types.js';

/**
 * The filters and paging of the audit, as flyte reads them from the query string
 * (`audit/view.go`): `flowName`, `stepId`, `actionName`, `actionPackName`,
 * `actionPackLabels` (`k:v,k:v`), `start` (default 0) and `limit` (default 50); a number that
 * does not parse keeps its default.
 *
 * @example
 * const filter: AuditFilter = auditFilterOf(new URLSearchParams('actionPackName=Slack&limit=10'));
 */
export interface AuditFilter {
  readonly flowName?: string;
  readonly stepId?: string;
  readonly actionName?: string;
  readonly actionPackName?: string;
  readonly actionPackLabels: Readonly<Record<string, string>>;
  readonly start: number;
  readonly limit: number;
}

/**
 * Reads an {@link AuditFilter} from a query string, with flyte's defaults and quirks.
 *
 * @param query - the request's query.
 * @returns the filter.
 * @example
 * auditFilterOf(new URLSearchParams('actionPackLabels=env:prod')).actionPackLabels; // { env: 'prod' }
 */
export function auditFilterOf(query: URLSearchParams): AuditFilter {
  const text = (name: string) => query.get(name) || undefined;
  const int = (name: string, fallback: number) => {
    const raw = query.get(name);
    return raw && /^[+-]?\d+$/.test(raw) ? Number(raw) : fallback;
  };
  const labels: Record<string, string> = {};
  for (const pair of (query.get('actionPackLabels') ?? '').split(',')) {
    const kv = pair.split(':');
    if (kv.length === 2) labels[kv[0]!.trim()] = kv[1]!.trim();
  }
  return {
    flowName: text('flowName'),
    stepId: text('stepId'),
    actionName: text('actionName'),
    actionPackName: text('actionPackName'),
    actionPackLabels: labels,
    start: int('start', 0),
    limit: int('limit', 50),
  };
}

/**
 * A flow execution of the fake server: the actions created with one correlation id.
 *
 * @example
 * findAuditFlows(model.actions(), filter).map((f: AuditFlowRecord) => f.correlationId);
 */
export interface AuditFlowRecord {
  readonly correlationId: string;
  readonly name: string;
  readonly actions: readonly ActionRecord[];
}

/**
 * The correlation id, flow name and step of an action, with the fake's defaults (its own id,
 * `<command>-flow`, the command).
 *
 * @param a - the action.
 * @returns where the action sits in the audit.
 * @example
 * flowOf(model.action('action-1')!).correlationId; // 'action-1'
 */
export function flowOf(a: ActionRecord): {
  correlationId: string;
  flowName: string;
  stepId: string;
} {
  return {
    correlationId: a.correlationId ?? a.id,
    flowName: a.flowName ?? `${a.command}-flow`,
    stepId: a.stepId ?? a.command,
  };
}

const lastTime = (a: ActionRecord): number => Date.parse(a.history[a.history.length - 1]!.at);

/**
 * The flows as flyte's audit finds them: the actions matching the filter, grouped by
 * correlation id, sorted by the latest state time of their matching actions (newest first),
 * then `start` skipped and `limit` kept. Each flow carries ALL its actions, as flyte's does.
 *
 * @param actions - every action of the server, oldest first.
 * @param filter - the filter and paging.
 * @returns the page of flows.
 * @throws ModelError(500) for a negative `start` or a `limit` under 1 (the store refuses them).
 * @example
 * findAuditFlows(model.actions(), auditFilterOf(new URLSearchParams('actionPackName=Slack')));
 */
export function findAuditFlows(
  actions: readonly ActionRecord[],
  filter: AuditFilter,
): AuditFlowRecord[] {
  return auditPage(sortedAuditFlows(actions, filter), filter);
}

/**
 * The page `start`, `limit` of flows sorted by {@link sortedAuditFlows}, as the store pages.
 *
 * @param sorted - every matching flow, newest first.
 * @param filter - the paging.
 * @returns the page.
 * @throws ModelError(500) for a negative `start` or a `limit` under 1 (the store refuses them).
 * @example
 * auditPage(sortedAuditFlows(model.actions(), filter), filter);
 */
export function auditPage(
  sorted: readonly AuditFlowRecord[],
  filter: Pick<AuditFilter, 'start' | 'limit'>,
): AuditFlowRecord[] {
  if (filter.start < 0 || filter.limit < 1) {
    throw new ModelError(500, `the store refuses start=${filter.start} limit=${filter.limit}`);
  }
  return sorted.slice(filter.start, filter.start + filter.limit);
}

/**
 * Every flow with an action matching the filter (its paging ignored), newest first by the
 * latest state time of its matching actions, as flyte's store groups and sorts them before it
 * skips and limits.
 *
 * @param actions - every action of the server, oldest first.
 * @param filter - the filter.
 * @returns the flows, each with all its actions.
 * @example
 * sortedAuditFlows(model.actions(), auditFilterOf(new URLSearchParams('actionPackName=Slack'))).length;
 */
export function sortedAuditFlows(
  actions: readonly ActionRecord[],
  filter: AuditFilter,
): AuditFlowRecord[] {
  const matches = (a: ActionRecord) => {
    const f = flowOf(a);
    return (
      (!filter.flowName || f.flowName === filter.flowName) &&
      (!filter.stepId || f.stepId === filter.stepId) &&
      (!filter.actionName || a.command === filter.actionName) &&
      (!filter.actionPackName || a.packName === filter.actionPackName) &&
      Object.entries(filter.actionPackLabels).every(([k, v]) => a.packLabels[k] === v)
    );
  };
  // One pass: each flow's sort key (the latest state time of its matching actions) and all its
  // actions, so that a page costs the same however deep it starts.
  const flows = new Map<string, { time: number; order: number; actions: ActionRecord[] }>();
  actions.forEach((a, order) => {
    const { correlationId } = flowOf(a);
    let flow = flows.get(correlationId);
    if (!flow) flows.set(correlationId, (flow = { time: -Infinity, order: -1, actions: [] }));
    flow.actions.push(a);
    if (!matches(a)) return;
    flow.time = Math.max(flow.time, lastTime(a));
    flow.order = order;
  });
  return [...flows.entries()]
    .filter(([, f]) => f.order >= 0)
    .sort(([, x], [, y]) => y.time - x.time || y.order - x.order)
    .map(([correlationId, f]) => ({
      correlationId,
      name: flowOf(f.actions[0]!).flowName,
      actions: f.actions,
    }));
}

/**
 * One flow by correlation id, with all its actions; `undefined` when no action has it.
 *
 * @param actions - every action of the server.
 * @param correlationId - the flow execution's id.
 * @returns the flow, or `undefined`.
 * @example
 * auditFlowRecord(model.actions(), 'action-1')?.actions.length; // 1
 */
export function auditFlowRecord(
  actions: readonly ActionRecord[],
  correlationId: string,
): AuditFlowRecord | undefined {
  const mine = actions.filter((a) => flowOf(a).correlationId === correlationId);
  if (!mine.length) return undefined;
  return { correlationId, name: flowOf(mine[0]!).flowName, actions: mine };
}

/**
 * A flow as `GET /v1/audit/flows[/<id>]` answers it: name, uuid, correlationId, steps,
 * `actions` keyed by step id (each with its state and every state), and a self link.
 *
 * @param hrefs - the request's base.
 * @param flow - the flow.
 * @returns the JSON document.
 * @example
 * json(200, auditFlowDocument(hrefs, flow));
 */
export function auditFlowDocument(
  hrefs: FlyteHrefs,
  flow: AuditFlowRecord,
): Record<string, unknown> {
  const uuid = `flow-${flow.name}`;
  const actions: Record<string, unknown> = {};
  for (const a of flow.actions) {
    const { stepId } = flowOf(a);
    const states = a.history.map((h) => ({ value: h.state, time: h.at }));
    actions[stepId] = {
      id: a.id,
      name: a.command,
      packName: a.packName,
      ...(Object.keys(a.packLabels).length && { packLabels: a.packLabels }),
      ...(a.input !== undefined && { input: a.input }),
      state: states[states.length - 1],
      states,
      correlationId: flow.correlationId,
      flowName: flow.name,
      flowUUID: uuid,
      stepId,
      ...(a.result && { result: { event: a.result.event, payload: a.result.payload } }),
    };
  }
  const self: Link = { href: auditFlowUrl(hrefs, flow.correlationId), rel: 'self' };
  return {
    name: flow.name,
    uuid,
    correlationId: flow.correlationId,
    steps: [],
    actions,
    links: [self],
  };
}

/**
 * `GET /v1/audit/flows`: the page of flows and the links (self, up, help).
 *
 * @param hrefs - the request's base.
 * @param flows - the page.
 * @returns the JSON document.
 * @example
 * json(200, auditFlowsDocument(hrefs, findAuditFlows(model.actions(), filter)));
 */
export function auditFlowsDocument(
  hrefs: FlyteHrefs,
  flows: readonly AuditFlowRecord[],
): Record<string, unknown> {
  return {
    flows: flows.map((f) => auditFlowDocument(hrefs, f)),
    links: [
      { href: hrefs.url('v1/audit/flows'), rel: 'self' },
      { href: hrefs.url('v1'), rel: 'up' },
      { href: hrefs.url(FLYTE_DOCS.audit), rel: 'help' },
    ],
  };
}

function auditFlowUrl(hrefs: FlyteHrefs, correlationId: string): string {
  return hrefs.url(`v1/audit/flows/${encodeURIComponent(correlationId)}`);
}
