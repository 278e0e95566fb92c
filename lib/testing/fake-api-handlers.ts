import { FlyteHrefs, requestBase } from './flyte-hrefs.js';
import {
  auditFilterOf,
  auditFlowDocument,
  auditFlowRecord,
  auditFlowsDocument,
  findAuditFlows,
} from './flyte-audit.js';
import type { FlyteModel } from './flyte-model.js';
import { type ActionRecord, type EventInput, ModelError } from './flyte-model-types.js';
import type { FakeRequest, FakeResponse } from './fake-http-types.js';
import { bareError, errorResponse, jsonResponse, parseJsonBody } from './fake-responses.js';

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
  /**
   * Waits for one store operation. Absent when the store has no latency: then every
   * operation is atomic and every handler answers synchronously.
   */
  readonly storeOp?: () => Promise<void>;
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
) => FakeResponse | Promise<FakeResponse>;

const hrefs = (r: FakeRequest, c: ApiContext) =>
  new FlyteHrefs(requestBase(r.headers, c.pathPrefix));
const json = (r: FakeRequest, status: number, value: unknown) =>
  jsonResponse(status, value, r.headers.accept);
const packNotFound = (id: string) =>
  errorResponse(404, `pack "${id}" not found (never registered, or deleted)`);

/** A model refusal as flyte answers it: 500s bare (the reason kept for the log), others with a body. */
function refusal(e: unknown): FakeResponse {
  if (!(e instanceof ModelError)) return errorResponse(500, `the fake server failed: ${String(e)}`);
  return e.status === 500 ? bareError(500, e.message) : errorResponse(e.status, e.message);
}

function fromModel(f: () => FakeResponse): FakeResponse {
  try {
    return f();
  } catch (e) {
    return refusal(e);
  }
}

async function fromModelAsync(f: () => Promise<FakeResponse>): Promise<FakeResponse> {
  try {
    return await f();
  } catch (e) {
    return refusal(e);
  }
}

/** The command filter flyte reads: the `actionName` form value (form body first, then query). */
function actionNameOf(r: FakeRequest): string | undefined {
  const form = (r.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const fromBody = form ? new URLSearchParams(r.body).get('actionName') : null;
  return fromBody || r.query.get('actionName') || undefined;
}

/**
 * Result and event: 404 unknown pack, then 400 bad JSON, then the model's verdict; 202 when
 * accepted. With store latency: `check` (the read), one store operation, `apply` (the update,
 * checked again), then one more for the flow's work before the 202.
 */
function acceptEvent(
  r: FakeRequest,
  c: ApiContext,
  packId: string,
  apply: (e: EventInput) => void,
  check: (e: EventInput) => void = () => undefined,
): FakeResponse | Promise<FakeResponse> {
  if (!c.model.pack(packId)) return packNotFound(packId);
  const parsed = parseJsonBody(r.body);
  if ('response' in parsed) return parsed.response;
  const event = parsed.value as EventInput;
  const { storeOp } = c;
  if (!storeOp) {
    return fromModel(() => {
      apply(event);
      return { status: 202 };
    });
  }
  return fromModelAsync(async () => {
    check(event);
    await storeOp();
    apply(event);
    await storeOp();
    return { status: 202 };
  });
}

/** A take: atomic without store latency; else read, one store operation, update if still NEW. */
function takeAction(r: FakeRequest, c: ApiContext, packId: string) {
  const document = (action: ActionRecord) => ({
    ...json(r, 200, hrefs(r, c).actionDocument(packId, action)),
    actionId: action.id,
  });
  const { storeOp } = c;
  if (!storeOp) {
    return fromModel(() => {
      const action = c.model.takeAction(packId, actionNameOf(r));
      return action ? document(action) : { status: 204 };
    });
  }
  return fromModelAsync(async () => {
    const candidate = c.model.nextAction(packId, actionNameOf(r));
    if (!candidate) return { status: 204 };
    await storeOp();
    const action = c.model.claimAction(packId, candidate.id);
    if (action) return document(action);
    return {
      ...bareError(500, `action "${candidate.id}" was taken by another take first`),
      race: true,
    };
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
  health: (_r, c) => (c.healthy ? { status: 200 } : bareError(500, 'made unhealthy by the test')),
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
  take: (r, c, { packId }) => takeAction(r, c, packId),
  result: (r, c, { packId, actionId }) =>
    acceptEvent(
      r,
      c,
      packId,
      (e) => c.model.completeAction(packId, actionId, e),
      (e) => c.model.checkCompletion(packId, actionId, e),
    ),
  event: (r, c, { packId }) => acceptEvent(r, c, packId, (e) => c.model.postEvent(packId, e)),
  auditFlows: (r, c) =>
    fromModel(() => {
      const flows = findAuditFlows(c.model.actions(), auditFilterOf(r.query));
      return json(r, 200, auditFlowsDocument(hrefs(r, c), flows));
    }),
  auditFlow: (r, c, { correlationId }) => {
    const flow = auditFlowRecord(c.model.actions(), correlationId ?? '');
    if (!flow) return bareError(404, `flow "${correlationId}" not found`);
    return json(r, 200, auditFlowDocument(hrefs(r, c), flow));
  },
} satisfies Record<string, ApiHandler>;
