import type { FlyteModel } from './flyte-model.js';
import { ModelError } from './flyte-model-types.js';
import { waitRoute } from './fake-control-wait.js';
import { consoleAsset } from './fake-console-assets.js';
import type {
  EndpointStats,
  FakeRequest,
  FakeResponse,
  FaultConfig,
  FaultEndpoint,
  FaultPatch,
  RequestLogEntry,
} from './fake-http-types.js';
import { errorResponse, jsonResponse, parseJsonBody, pathSegments } from './fake-responses.js';

/**
 * What the `/_fake/*` control endpoints drive: the server's programmatic control surface.
 *
 * @example
 * handleControlRequest(req, server satisfies FakeControlTarget, signal);
 */
export interface FakeControlTarget {
  readonly model: FlyteModel;
  requests(): readonly RequestLogEntry[];
  stats(): Partial<Record<FaultEndpoint, EndpointStats>>;
  reset(): void;
  setFaults(config: FaultConfig): void;
  /** Changes the settings given (`null` removes one), keeping the others. */
  updateFaults(patch: FaultPatch): void;
  /** Removes every fault. */
  clearFaults(): void;
  /** The faults in effect, with the seed the PRNG started from. */
  faultConfig(): FaultConfig;
  requireToken(token: string | null): void;
  setHealthy(healthy: boolean): void;
  /** Whether `GET /health` answers 200. */
  isHealthy(): boolean;
}

function withBody(
  req: FakeRequest,
  f: (body: Record<string, unknown>) => FakeResponse,
): FakeResponse {
  const parsed = parseJsonBody(req.body);
  if ('response' in parsed) return parsed.response;
  const body = parsed.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return errorResponse(400, 'the body must be a JSON object');
  try {
    return f(body as Record<string, unknown>);
  } catch (e) {
    return errorResponse(e instanceof ModelError ? e.status : 400, (e as Error).message);
  }
}

/**
 * Answers a `/_fake/*` control request (see docs/fake-server.md). Never faulted, never
 * authenticated. `signal` aborts long polls when the client leaves or the server closes.
 *
 * @param req - the request; `path` starts with `/_fake/`.
 * @param t - the server to control.
 * @param signal - fires when the request should give up.
 * @returns the response.
 * @example
 * await handleControlRequest({ method: 'POST', path: '/_fake/reset', query, headers: {}, body: '' }, server, signal);
 */
export async function handleControlRequest(
  req: FakeRequest,
  t: FakeControlTarget,
  signal: AbortSignal,
): Promise<FakeResponse> {
  const [, what, id, ...rest] = pathSegments(req.path) ?? [];
  const route = `${req.method} ${what ?? ''}${id !== undefined ? '/:id' : ''}${rest.length ? '/…' : ''}`;
  switch (route) {
    case 'GET ':
      return { status: 302, headers: { location: '/_fake/ui' } };
    case 'GET ui':
      return consoleAsset('');
    case 'GET ui/:id':
      return consoleAsset(id!);
    case 'POST actions':
      return withBody(req, (body) => jsonResponse(201, t.model.enqueueAction(body as never)));
    case 'GET actions':
      return jsonResponse(200, t.model.actions());
    case 'GET actions/:id': {
      const action = t.model.action(id);
      return action ? jsonResponse(200, action) : errorResponse(404, `action "${id}" not found`);
    }
    case 'GET events':
      return jsonResponse(200, t.model.events());
    case 'GET packs':
      return jsonResponse(
        200,
        t.model.packs().map((p) => ({ ...p, status: t.model.packStatus(p.id) })),
      );
    case 'DELETE packs/:id':
      return t.model.deletePack(id)
        ? { status: 204 }
        : errorResponse(404, `pack "${id}" not found`);
    case 'GET requests':
      return jsonResponse(200, t.requests());
    case 'GET stats':
      return jsonResponse(200, t.stats());
    case 'POST reset':
      t.reset();
      return { status: 204 };
    case 'GET faults':
      return jsonResponse(200, t.faultConfig());
    case 'GET health':
      return jsonResponse(200, { healthy: t.isHealthy() });
    case 'POST faults': // merges; an invalid result throws, answered 400, changing nothing
      return withBody(req, (body) => {
        t.updateFaults(body as FaultPatch);
        return { status: 204 };
      });
    case 'PUT faults':
      return withBody(req, (body) => {
        t.setFaults(body);
        return { status: 204 };
      });
    case 'DELETE faults':
      t.clearFaults();
      return { status: 204 };
    case 'POST auth':
      return withBody(req, ({ token }) => {
        if (token !== null && (typeof token !== 'string' || token === ''))
          return errorResponse(400, '"token" must be a non-empty string or null');
        t.requireToken(token);
        return { status: 204 };
      });
    case 'POST health':
      return withBody(req, ({ healthy }) => {
        if (typeof healthy !== 'boolean') return errorResponse(400, '"healthy" must be a boolean');
        t.setHealthy(healthy);
        return { status: 204 };
      });
    case 'GET wait':
      return waitRoute(req, t.model, signal);
    default:
      return errorResponse(
        404,
        `no control route for ${req.method} ${req.path}; see docs/fake-server.md`,
      );
  }
}
