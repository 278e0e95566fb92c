import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveApiRoute } from './fake-api-routes.js';
import { authorize } from './fake-auth.js';
import { type FakeControlTarget, handleControlRequest } from './fake-control-routes.js';
import type { FaultInjector } from './fake-faults.js';
import { headersOf, readBody, requestSignal, send } from './fake-flyte-server-io.js';
import type { FakeRequest, FakeResponse, InjectedFault } from './fake-http-types.js';
import type { RequestLog } from './fake-request-log.js';
import { errorResponse } from './fake-responses.js';
import { sendBrokenBody } from './fake-flyte-server-bodies.js';

/**
 * What one request needs from the fake server.
 *
 * @example
 * server.on('request', (req, res) => void serveRequest(req, res, deps satisfies PipelineDeps));
 */
export interface PipelineDeps {
  readonly control: FakeControlTarget;
  readonly pathPrefix: string;
  readonly healthy: () => boolean;
  readonly token: () => string | null;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly delay: (ms: number) => Promise<void>;
  /** The time of one store operation, in ms (0: every operation is atomic). */
  readonly storeLatencyMs: () => number;
  /** Fires when the server closes, so long polls end. */
  readonly closing: AbortSignal;
  readonly now: () => string;
}

const isControlPath = (path: string) => path === '/_fake' || path.startsWith('/_fake/');

function withoutPrefix(path: string, prefix: string): string | null {
  if (!prefix) return path;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : null;
}

/**
 * Serves one request: CORS preflight; `/_fake/*` control (no auth, no faults, not logged); or
 * the flyte API — logged, then faults (latency, drop before, error, redirect), auth, the route
 * (waiting on the store when it has latency), and the faults that strike after the state
 * changed (drop after, hang, a broken body).
 *
 * @param req - the Node request.
 * @param res - the Node response.
 * @param d - the server's parts.
 * @returns a promise that settles once the request is dealt with.
 * @example
 * http.createServer((req, res) => void serveRequest(req, res, deps));
 */
export async function serveRequest(
  req: IncomingMessage,
  res: ServerResponse,
  d: PipelineDeps,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') return send(res, { status: 204 });
  const body = await readBody(req);
  if (typeof body !== 'string') return send(res, body);
  const headers = headersOf(req);
  const request = (path: string): FakeRequest => ({
    method,
    path,
    query: url.searchParams,
    headers,
    body,
  });
  if (isControlPath(url.pathname)) {
    return send(
      res,
      await handleControlRequest(request(url.pathname), d.control, requestSignal(res, d.closing)),
    );
  }

  const path = withoutPrefix(url.pathname, d.pathPrefix);
  const route = path === null ? {} : resolveApiRoute(method, path);
  const auth = authorize(headers.authorization, d.token());
  const update = d.log.start({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ...(route.endpoint && { endpoint: route.endpoint }),
    hasAuthorization: headers.authorization !== undefined,
    authorization: auth.outcome,
    at: d.now(),
  });
  // One update with the status and the fault: a follower of the log never sees a faulted
  // request without the status it answered.
  const answer = (response: FakeResponse, fault?: InjectedFault) => {
    update({
      status: response.status,
      ...(fault && { fault }),
      ...(response.race && { race: true }),
      ...(response.detail !== undefined && { detail: response.detail }),
      ...(response.actionId !== undefined && { actionId: response.actionId }),
    });
    send(res, response);
  };

  const decision = d.faults.decide(route.endpoint);
  const { latencyMs, fault } = decision;
  if (latencyMs > 0) {
    update({ latencyMs });
    await d.delay(latencyMs);
    if (res.destroyed) return; // the client gave up or the server closed: nothing happens
  }
  if (fault === 'drop-before') {
    update({ fault });
    return void res.destroy();
  }
  if (decision.error) {
    const { status, body, retryAfter } = decision.error;
    return answer(
      {
        status,
        ...(body && { body }),
        headers: {
          ...(body && { 'content-type': 'text/plain; charset=utf-8' }),
          ...(retryAfter !== undefined && { 'retry-after': String(retryAfter) }),
        },
        detail: `fault injected by the test (errorRate, errorStatus ${status})`,
      },
      'error',
    );
  }
  const redirect = decision.redirect;
  if (redirect && !isRedirectTarget(redirect.location, url, headers.host)) {
    return answer(
      { status: redirect.status, headers: { location: redirect.location } },
      'redirect',
    );
  }
  if (auth.response) return answer(auth.response);
  if (!route.run) {
    const known = route.allow ? `${method} is not allowed` : 'no flyte API route';
    const response = errorResponse(route.allow ? 405 : 404, `${known} for ${url.pathname}`);
    return answer(
      route.allow
        ? { ...response, headers: { ...response.headers, allow: route.allow.join(', ') } }
        : response,
    );
  }
  const storeLatencyMs = d.storeLatencyMs();
  const response = await route.run(request(path ?? '/'), {
    model: d.control.model,
    healthy: d.healthy(),
    pathPrefix: d.pathPrefix,
    ...(storeLatencyMs > 0 && { storeOp: () => d.delay(storeLatencyMs) }),
  });
  const handedOut = response.actionId !== undefined && { actionId: response.actionId };
  if (fault === 'drop-after' || fault === 'hang') {
    update({ status: response.status, fault, ...handedOut });
    if (fault === 'drop-after') res.destroy();
    return; // a hung request stays open until the client gives up or the server closes
  }
  if (decision.body) {
    update({
      status: response.status === 204 ? 200 : response.status,
      fault: `body-${decision.body.mode}`,
      ...handedOut,
    });
    return sendBrokenBody(res, response, decision.body);
  }
  answer(response);
}

/** Whether the request is already where `location` points (so redirecting it would loop). */
function isRedirectTarget(location: string, url: URL, host: string | undefined): boolean {
  try {
    const target = new URL(location, `http://${host ?? 'fake.invalid'}`);
    return (
      target.host === (host ?? 'fake.invalid') &&
      target.pathname + target.search === url.pathname + url.search
    );
  } catch {
    return false;
  }
}
