import type { AuditAction, AuditFlow, AuditPage, AuditState } from '../model/audit.js';
import { invalidResponse, kind, parseJsonObject, requireString } from './parse.js';
import type { HttpResponse } from './http-exchange.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The flows of a 200 answer to `GET <audit link>`.
 *
 * @param res - the 200 response.
 * @returns the flows, in the server's order (newest first).
 * @throws {@link InvalidResponseError} naming the URL and the field when malformed.
 * @example
 * const flows = parseAuditFlows(res);
 */
export function parseAuditFlows(res: HttpResponse): AuditFlow[] {
  const flows = parseJsonObject(res)['flows'];
  if (flows === null || flows === undefined) return [];
  if (!Array.isArray(flows)) {
    throw invalidResponse(res, `"flows" must be an array, got ${kind(flows)}`);
  }
  return flows.map((flow: unknown, i) => flowOf(res, flow, `flows[${i}]`));
}

/**
 * The page of a 200 answer to `GET <audit link>`: its flows and the server's clock (the `Date`
 * header; absent when missing or not a time).
 *
 * @param res - the 200 response.
 * @returns the page.
 * @throws {@link InvalidResponseError} naming the URL and the field when malformed.
 * @example
 * const { flows, serverTime } = parseAuditPage(res);
 */
export function parseAuditPage(res: HttpResponse): AuditPage {
  const flows = parseAuditFlows(res);
  const serverTime = Date.parse(res.header('date') ?? '');
  return Number.isNaN(serverTime) ? { flows } : { flows, serverTime };
}

/**
 * The flow of a 200 answer to `GET <audit link>/<correlationId>`.
 *
 * @param res - the 200 response.
 * @returns the flow.
 * @throws {@link InvalidResponseError} naming the URL and the field when malformed.
 * @example
 * const flow = parseAuditFlow(res);
 */
export function parseAuditFlow(res: HttpResponse): AuditFlow {
  return flowOf(res, parseJsonObject(res), 'flow');
}

function flowOf(res: HttpResponse, value: unknown, at: string): AuditFlow {
  if (!isObject(value)) throw invalidResponse(res, `"${at}" must be an object, got ${kind(value)}`);
  const correlationId = stringAt(res, value, 'correlationId', at);
  const actions = value['actions'];
  if (actions !== undefined && actions !== null && !isObject(actions)) {
    throw invalidResponse(res, `"${at}.actions" must be an object, got ${kind(actions)}`);
  }
  return {
    name: typeof value['name'] === 'string' ? value['name'] : '',
    correlationId,
    actions: Object.entries(actions ?? {}).map(([stepId, action]) =>
      actionOf(res, action, `${at}.actions.${stepId}`, stepId, correlationId),
    ),
  };
}

function actionOf(
  res: HttpResponse,
  value: unknown,
  at: string,
  stepId: string,
  correlationId: string,
): AuditAction {
  if (!isObject(value)) throw invalidResponse(res, `"${at}" must be an object, got ${kind(value)}`);
  const states = value['states'];
  if (states !== undefined && states !== null && !Array.isArray(states)) {
    throw invalidResponse(res, `"${at}.states" must be an array, got ${kind(states)}`);
  }
  const labels = value['packLabels'];
  const packLabels: Record<string, string> = {};
  if (isObject(labels)) {
    for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') packLabels[k] = v;
  }
  return {
    id: stringAt(res, value, 'id', at),
    command: stringAt(res, value, 'name', at),
    packName: stringAt(res, value, 'packName', at),
    packLabels,
    input: value['input'] ?? undefined,
    state: stateOf(res, value['state'], `${at}.state`),
    states: (states ?? []).map((s: unknown, i) => stateOf(res, s, `${at}.states[${i}]`)),
    correlationId:
      typeof value['correlationId'] === 'string' ? value['correlationId'] : correlationId,
    stepId,
  };
}

function stateOf(res: HttpResponse, value: unknown, at: string): AuditState {
  if (!isObject(value)) throw invalidResponse(res, `"${at}" must be an object, got ${kind(value)}`);
  const time = stringAt(res, value, 'time', at);
  if (Number.isNaN(Date.parse(time))) {
    throw invalidResponse(res, `"${at}.time" is not a time: ${JSON.stringify(time.slice(0, 50))}`);
  }
  return { value: stringAt(res, value, 'value', at), time };
}

function stringAt(res: HttpResponse, body: Json, field: string, at: string): string {
  try {
    return requireString(res, body, field);
  } catch {
    throw invalidResponse(
      res,
      `"${at}.${field}" must be a non-empty string, got ${kind(body[field])}`,
    );
  }
}
