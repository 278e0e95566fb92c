import { type ApiContext, type ApiHandler, apiHandlers as h } from './fake-api-handlers.js';
import type { FakeRequest, FakeResponse, FaultEndpoint } from './fake-http-types.js';
import { errorResponse, pathSegments } from './fake-responses.js';

type Methods = Readonly<Record<string, readonly [FaultEndpoint, ApiHandler]>>;

/** flyte's routes (paths without the server's prefix); `:name` segments are parameters. */
const ROUTES: readonly (readonly [string, Methods])[] = [
  ['/', { GET: ['discover', h.index] }],
  ['/v1', { GET: ['discover', h.v1] }],
  ['/health', { GET: ['health', h.health] }],
  ['/v1/packs', { GET: ['packs', h.listPacks], POST: ['register', h.register] }],
  ['/v1/packs/:packId', { GET: ['packs', h.getPack], DELETE: ['packs', h.deletePack] }],
  ['/v1/packs/:packId/actions/take', { POST: ['take', h.take] }],
  ['/v1/packs/:packId/actions/:actionId/result', { POST: ['result', h.result] }],
  ['/v1/packs/:packId/events', { POST: ['event', h.event] }],
  ['/v1/audit/flows', { GET: ['audit', h.auditFlows] }],
  ['/v1/audit/flows/:correlationId', { GET: ['audit', h.auditFlow] }],
];

/**
 * Where a request goes.
 *
 * @example
 * const route: ApiRoute = resolveApiRoute('GET', '/v1');
 */
export interface ApiRoute {
  /** The endpoint, when the path and method are an API route. */
  readonly endpoint?: FaultEndpoint;
  /** Answers the request, when the path and method are an API route. */
  readonly run?: (r: FakeRequest, c: ApiContext) => FakeResponse | Promise<FakeResponse>;
  /** The methods the path allows, when the path matched but the method did not (405). */
  readonly allow?: readonly string[];
}

/**
 * Resolves a method and a path (without the server's prefix) to an API route.
 *
 * @param method - the HTTP method.
 * @param path - the request path, percent-encoded.
 * @returns the route; empty when no route has this path (404).
 * @example
 * resolveApiRoute('POST', '/v1/packs/Slack/actions/take').endpoint; // 'take'
 */
export function resolveApiRoute(method: string, path: string): ApiRoute {
  const segments = pathSegments(path);
  if (!segments) return {};
  for (const [pattern, methods] of ROUTES) {
    const parts = pattern.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    if (!parts.every((p, i) => p.startsWith(':') || p === segments[i])) continue;
    const params = Object.fromEntries(
      parts.flatMap((p, i) => (p.startsWith(':') ? [[p.slice(1), segments[i]]] : [])),
    );
    const found = methods[method];
    if (!found) return { allow: Object.keys(methods) };
    const [endpoint, handler] = found;
    return { endpoint, run: (r, c) => handler(r, c, params) };
  }
  return {};
}

/**
 * Answers one flyte API request from the model as the real server would — without auth,
 * faults or CORS, which the server adds around it.
 *
 * @param req - the request, its path without the server's prefix.
 * @param ctx - the model, health flag and path prefix.
 * @returns the response: the route's, 405 (with `Allow`) or 404; a promise only when
 *   `ctx.storeOp` is set (a store with latency).
 * @example
 * handleApiRequest({ method: 'GET', path: '/v1', query: new URLSearchParams(), headers: { host: 'h' }, body: '' }, ctx).status; // 200
 */
export function handleApiRequest(
  req: FakeRequest,
  ctx: ApiContext,
): FakeResponse | Promise<FakeResponse> {
  const { run, allow } = resolveApiRoute(req.method, req.path);
  if (run) return run(req, ctx);
  if (!allow) return errorResponse(404, `no flyte API route for ${req.method} ${req.path}`);
  const res = errorResponse(405, `${req.method} is not allowed on ${req.path}`);
  return { ...res, headers: { ...res.headers, allow: allow.join(', ') } };
}
