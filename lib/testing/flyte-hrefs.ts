import type { Link } from '../model/wire-types.js';
import type { StoredPack, PackStatus } from './flyte-model-types.js';

/** The documentation paths flyte builds its rels from (appended to the request's origin). */
export const FLYTE_DOCS = {
  info: 'swagger#/info',
  infoV1: 'swagger#!/info/v1',
  health: 'swagger#!/info/health',
  listPacks: 'swagger#!/pack/listPacks',
  packs: 'swagger#/pack',
  listFlows: 'swagger#!/flow/listFlows',
  datastore: 'swagger#!/datastore/listDatastoreItems',
  audit: 'swagger#!/flowAudit/findFlows',
  swagger: 'swagger',
  takeAction: 'swagger#!/action/takeAction',
  event: 'swagger#/event',
  actionResult: 'swagger#/actionResult',
} as const;

/**
 * The base flyte builds every href and rel from: scheme from `X-Forwarded-Proto` (else `http`),
 * host from `X-Flyte-Host`, else `X-Forwarded-Host`, else `Host`; then the path prefix and `/`.
 *
 * @param headers - the request headers, lower-cased names.
 * @param pathPrefix - the fake server's path prefix (`''` or like `/flyte`).
 * @returns e.g. `http://127.0.0.1:8080/`.
 * @example
 * requestBase({ host: 'a:1', 'x-forwarded-proto': 'https' }); // 'https://a:1/'
 */
export function requestBase(
  headers: Readonly<Record<string, string | undefined>>,
  pathPrefix = '',
): string {
  const proto = headers['x-forwarded-proto'] || 'http';
  const host =
    headers['x-flyte-host'] || headers['x-forwarded-host'] || headers.host || 'localhost';
  return `${proto}://${host}${pathPrefix}/`;
}

/**
 * Builds flyte's documents (links and bodies) against one request base.
 *
 * @example
 * const hrefs = new FlyteHrefs('http://127.0.0.1:8080/');
 * hrefs.v1Links().find((l) => l.rel.endsWith('pack/listPacks'))?.href; // 'http://127.0.0.1:8080/v1/packs'
 */
export class FlyteHrefs {
  /** @param base - the request base, ending with `/` (see {@link requestBase}). */
  constructor(readonly base: string) {}

  /** The absolute URL of a path relative to the base (no leading slash). */
  url(path: string): string {
    return this.base + path;
  }

  /** A pack's URL (`.../v1/packs/ID`), which is also the `Location` of a registration. */
  packUrl(id: string): string {
    return this.url(`v1/packs/${encodeURIComponent(id)}`);
  }

  /** `GET /`: self, help and the v1 link. */
  indexLinks(): Link[] {
    return [
      { href: this.url(''), rel: 'self' },
      { href: this.url(FLYTE_DOCS.info), rel: 'help' },
      { href: this.url('v1'), rel: this.url(FLYTE_DOCS.infoV1) },
    ];
  }

  /** `GET /v1`: self, up, help, health, packs, flows, datastore, audit, swagger. */
  v1Links(): Link[] {
    return [
      { href: this.url('v1'), rel: 'self' },
      { href: this.url(''), rel: 'up' },
      { href: this.url(FLYTE_DOCS.infoV1), rel: 'help' },
      { href: this.url('health'), rel: this.url(FLYTE_DOCS.health) },
      { href: this.url('v1/packs'), rel: this.url(FLYTE_DOCS.listPacks) },
      { href: this.url('v1/flows'), rel: this.url(FLYTE_DOCS.listFlows) },
      { href: this.url('v1/datastore'), rel: this.url(FLYTE_DOCS.datastore) },
      { href: this.url('v1/audit/flows'), rel: this.url(FLYTE_DOCS.audit) },
      { href: this.url('v1/swagger'), rel: this.url(FLYTE_DOCS.swagger) },
    ];
  }

  /**
   * A pack as `POST /v1/packs` and `GET /v1/packs/ID` answer it: the stored fields, `status`,
   * links (its own, then self, up, take action, event), and each command's links REPLACED by one
   * take-action link `?commandName=NAME` (as flyte does; the server then ignores that parameter).
   */
  packDocument(pack: StoredPack, status: PackStatus): Record<string, unknown> {
    const { commands = [], events = [], links = [] } = pack.registration;
    const self = this.packUrl(pack.id);
    const takeRel = this.url(FLYTE_DOCS.takeAction);
    return {
      ...this.packFields(pack),
      ...(commands.length && {
        commands: commands.map((c) => ({
          ...c,
          links: [
            {
              href: `${self}/actions/take?commandName=${encodeURIComponent(c.name)}`,
              rel: takeRel,
            },
          ],
        })),
      }),
      ...(events.length && { events }),
      lastSeen: pack.lastSeen,
      links: [
        ...links,
        { href: self, rel: 'self' },
        { href: this.url('v1/packs'), rel: 'up' },
        { href: `${self}/actions/take`, rel: takeRel },
        { href: `${self}/events`, rel: this.url(FLYTE_DOCS.event) },
      ],
      status,
    };
  }

  /** `GET /v1/packs`: links (self, up, help) and every pack with only a self link. */
  packsDocument(
    packs: readonly { pack: StoredPack; status: PackStatus }[],
  ): Record<string, unknown> {
    return {
      links: [
        { href: this.url('v1/packs'), rel: 'self' },
        { href: this.url('v1'), rel: 'up' },
        { href: this.url(FLYTE_DOCS.packs), rel: 'help' },
      ],
      packs: packs.map(({ pack, status }) => {
        const { commands = [], events = [] } = pack.registration;
        return {
          ...this.packFields(pack),
          ...(commands.length && { commands }),
          ...(events.length && { events }),
          lastSeen: pack.lastSeen,
          links: [{ href: this.packUrl(pack.id), rel: 'self' }],
          status,
        };
      }),
    };
  }

  /** A taken action: command, input (`null` when absent, as flyte sends it) and the result link. */
  actionDocument(
    packId: string,
    action: { id: string; command: string; input: unknown },
  ): Record<string, unknown> {
    const href = `${this.packUrl(packId)}/actions/${encodeURIComponent(action.id)}/result`;
    return {
      command: action.command,
      input: action.input === undefined ? null : action.input,
      links: [{ href, rel: this.url(FLYTE_DOCS.actionResult) }],
    };
  }

  private packFields(pack: StoredPack): Record<string, unknown> {
    return {
      id: pack.id,
      name: pack.name,
      ...(Object.keys(pack.labels).length && { labels: pack.labels }),
    };
  }
}
