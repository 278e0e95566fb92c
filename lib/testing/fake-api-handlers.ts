import { FlyteHrefs, requestBase } from './flyte-hrefs.js';
import type { FlyteModel } from './flyte-model.js';
import { type EventInput, ModelError } from './flyte-model-types.js';
import type { FakeRequest, FakeResponse } from './fake-http-types.js';
import { errorResponse, jsonResponse, parseJsonBody } from './fake-responses.js';

/**
 * What the API handlers need besides the request.
 *
 * @example
 * handleApiRequest(req, { model, healthy: true, pathPrefix: '' } satisfies ApiContext);
 */
export interface ApiContext {
  readonly model: FlyteModel;
  /** When false, `GET /health` answers 500. */
  readonly healthy: boolean;
  /** The path prefix the server is mounted under (`''` or like `/flyte`), used in hrefs. */
  readonly pathPrefix: string;
}

/**
 * One API handler: request, context and path parameters in, response out.
 *
 * @example
 * const hello: ApiHandler = () => ({ status: 204 });
 */
export type ApiHandler = (
  r: FakeRequest,
  c: ApiContext,
  params: Readonly<Record<string, string>>,
) => FakeResponse;

const hrefs = (r: FakeRequest, c: ApiContext) =>
  new FlyteHrefs(requestBase(r.headers, c.pathPrefix));
const json = (r: FakeRequest, status: number, value: unknown) =>
  jsonResponse(status, value, r.headers.accept);
const packNotFound = (id: string) =>
  errorResponse(404, `pack "${id}" not found (never registered, or deleted)`);

function fromModel(f: () => FakeResponse): FakeResponse {
  try {
    return f();
  } catch (e) {
    if (e instanceof ModelError) return errorResponse(e.status, e.message);
    return errorResponse(500, `the fake server failed: ${String(e)}`);
  }
}

/** The command filter flyte reads: the `actionName` form value (form body first, then query). */
function actionNameOf(r: FakeRequest): string | undefined {
  const form = (r.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const fromBody = form ? new URLSearchParams(r.body).get('actionName') : null;
  return fromBody || r.query.get('actionName') || undefined;
}

/** Result and event: 404 unknown pack, then 400 bad JSON, then the model's verdict; 202 when accepted. */
function acceptEvent(
  r: FakeRequest,
  c: ApiContext,
  packId: string,
  apply: (e: EventInput) => void,
): FakeResponse {
  if (!c.model.pack(packId)) return packNotFound(packId);
  const parsed = parseJsonBody(r.body);
  if ('response' in parsed) return parsed.response;
  return fromModel(() => {
    apply(parsed.value as EventInput);
    return { status: 202 };
  });
}

/**
 * The flyte API, one handler per route (see `resolveApiRoute` for the paths).
 *
 * @example
 * apiHandlers.v1(req, ctx, {}).status; // 200
 */
export const apiHandlers = {
  index: (r, c) => json(r, 200, { links: hrefs(r, c).indexLinks() }),
  v1: (r, c) => json(r, 200, { links: hrefs(r, c).v1Links() }),
  health: (_r, c) =>
    c.healthy ? { status: 200 } : errorResponse(500, 'made unhealthy by the test'),
  listPacks: (r, c) => {
    const packs = c.model.packs().map((pack) => ({ pack, status: c.model.packStatus(pack.id) }));
    return json(r, 200, hrefs(r, c).packsDocument(packs));
  },
  register: (r, c) => {
    const parsed = parseJsonBody(r.body);
    if ('response' in parsed) return parsed.response;
    return fromModel(() => {
      const pack = c.model.registerPack(parsed.value);
      const h = hrefs(r, c);
      const res = json(r, 201, h.packDocument(pack, c.model.packStatus(pack.id)));
      return { ...res, headers: { ...res.headers, location: h.packUrl(pack.id) } };
    });
  },
  getPack: (r, c, { packId }) => {
    const pack = c.model.pack(packId);
    if (!pack) return packNotFound(packId);
    return json(r, 200, hrefs(r, c).packDocument(pack, c.model.packStatus(packId)));
  },
  deletePack: (_r, c, { packId }) =>
    c.model.deletePack(packId) ? { status: 204 } : packNotFound(packId),
  take: (r, c, { packId }) =>
    fromModel(() => {
      const action = c.model.takeAction(packId, actionNameOf(r));
      return action ? json(r, 200, hrefs(r, c).actionDocument(packId, action)) : { status: 204 };
    }),
  result: (r, c, { packId, actionId }) =>
    acceptEvent(r, c, packId, (e) => c.model.completeAction(packId, actionId, e)),
  event: (r, c, { packId }) => acceptEvent(r, c, packId, (e) => c.model.postEvent(packId, e)),
} satisfies Record<string, ApiHandler>;
