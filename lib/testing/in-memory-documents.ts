import { parseAction, parseRegisteredPack, parseRoot } from '../api/parse-documents.js';
import { parseAuditFlow, parseAuditFlows } from '../api/parse-audit.js';
import type { AuditFlow } from '../model/audit.js';
import { auditFlowDocument, auditFlowsDocument, type AuditFlowRecord } from './flyte-audit.js';
import type { HttpResponse } from '../api/request.js';
import type { Action, ApiRoot, PackRegistration, RegisteredPack } from '../model/wire-types.js';
import type { ActionRecord, StoredPack } from './flyte-model-types.js';
import { FlyteHrefs } from './flyte-hrefs.js';

/** The base URL the in-memory API pretends to live at. Never contacted. */
export const IN_MEMORY_BASE_URL = 'http://flyte.test';

const RESULT_PATH = /\/v1\/packs\/([^/?#]+)\/actions\/([^/?#]+)\/result$/;

/**
 * The documents the in-memory API answers with. They are built exactly as the fake HTTP
 * server builds its bodies ({@link FlyteHrefs}) and read with the HTTP adapter's own parsers,
 * so the runtime sees the same links, rels, ids and inputs (`null` when absent) from either
 * transport. Internal to the testing kit.
 *
 * @example
 * const docs = new InMemoryDocuments('http://flyte.test');
 * docs.root().packsUrl; // 'http://flyte.test/v1/packs'
 */
export class InMemoryDocuments {
  private readonly hrefs: FlyteHrefs;

  /** @param base - the base URL, without `/v1`. */
  constructor(base: string = IN_MEMORY_BASE_URL) {
    this.hrefs = new FlyteHrefs(`${base.replace(/\/+$/, '')}/`);
  }

  /** The API root (`GET /v1`). */
  root(): ApiRoot {
    return parseRoot(answer('GET', this.hrefs.url('v1'), { links: this.hrefs.v1Links() }));
  }

  /** The take-action URL of a pack. */
  takeUrl(packId: string): string {
    return `${this.hrefs.packUrl(packId)}/actions/take`;
  }

  /** The registered pack, as the server answers a registration (201 with `Location`). */
  registeredPack(stored: StoredPack, registration: PackRegistration): RegisteredPack {
    const url = this.hrefs.url('v1/packs');
    const body = this.hrefs.packDocument(stored, 'live');
    return parseRegisteredPack(
      answer('POST', url, body, this.hrefs.packUrl(stored.id)),
      registration,
    );
  }

  /** An action as a take answers it. */
  action(packId: string, record: ActionRecord): Action {
    const body = this.hrefs.actionDocument(packId, record);
    return parseAction(answer('POST', this.takeUrl(packId), body));
  }

  /** A page of the audit, as `GET /v1/audit/flows` answers it. */
  auditFlows(flows: readonly AuditFlowRecord[]): AuditFlow[] {
    const body = auditFlowsDocument(this.hrefs, flows);
    return parseAuditFlows(answer('GET', this.hrefs.url('v1/audit/flows'), body));
  }

  /** One flow of the audit, as `GET /v1/audit/flows/<id>` answers it. */
  auditFlow(flow: AuditFlowRecord): AuditFlow {
    const body = auditFlowDocument(this.hrefs, flow);
    return parseAuditFlow(answer('GET', this.hrefs.url('v1/audit/flows'), body));
  }

  /** The pack and action ids named by a result URL, or `undefined` when it names none. */
  parseResultUrl(resultUrl: string): { packId: string; actionId: string } | undefined {
    const match = RESULT_PATH.exec(resultUrl);
    if (!match) return undefined;
    return { packId: decodeURIComponent(match[1]!), actionId: decodeURIComponent(match[2]!) };
  }
}

/** A successful response carrying `body` as JSON, as the HTTP adapter would have read it. */
function answer(method: string, url: string, body: unknown, location?: string): HttpResponse {
  return {
    method,
    url,
    status: location ? 201 : 200,
    header: (name) => (name.toLowerCase() === 'location' ? (location ?? null) : null),
    text: JSON.stringify(body),
  };
}
