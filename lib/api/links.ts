import { LinkNotFoundError } from '../model/errors.js';
import type { Link } from '../model/wire-types.js';

/** Rels the server uses verbatim; they are matched exactly, never by suffix. */
const EXACT_RELS: readonly string[] = ['self', 'up'];

/**
 * Whether a link's rel matches what the client looks for.
 *
 * The server builds rels as absolute documentation URLs
 * (`http://flyte:8080/swagger#!/pack/listPacks`), so a rel is matched by its **suffix**, as the
 * contract says. The suffix must start the rel or follow a non-alphanumeric character
 * (`/`, `#`, `!`...), so that `event` matches `.../swagger#/event` but not `.../prevent`.
 * `self` and `up` are matched exactly.
 *
 * @param rel - the rel of a link.
 * @param relSuffix - what is looked for, e.g. `pack/listPacks`, `takeAction`, `self`.
 * @returns true when the rel matches.
 * @example
 * relMatches('http://flyte/swagger#!/pack/listPacks', 'pack/listPacks'); // true
 * relMatches('http://flyte/swagger#/prevent', 'event'); // false
 */
export function relMatches(rel: string, relSuffix: string): boolean {
  if (EXACT_RELS.includes(relSuffix)) return rel === relSuffix;
  if (!relSuffix || !rel.endsWith(relSuffix)) return false;
  const before = rel.charAt(rel.length - relSuffix.length - 1);
  return before === '' || !/[A-Za-z0-9]/.test(before);
}

/**
 * The first link whose rel matches `relSuffix` (see {@link relMatches}), or `undefined`.
 *
 * @param links - the `links` array of a server document.
 * @param relSuffix - the rel suffix looked for.
 * @returns the link, or `undefined` when there is none.
 * @example
 * const help = findOptionalLink(root.links, 'help');
 */
export function findOptionalLink(links: readonly Link[], relSuffix: string): Link | undefined {
  return links.find((link) => relMatches(link.rel, relSuffix));
}

/**
 * The first link whose rel matches `relSuffix` (see {@link relMatches}).
 *
 * @param links - the `links` array of a server document.
 * @param relSuffix - the rel suffix looked for.
 * @param where - the URL whose response held the links; named in the error.
 * @returns the link.
 * @throws {@link LinkNotFoundError} naming the rel and the rels present, when none matches.
 * @example
 * const packs = findLink(root.links, 'pack/listPacks', 'http://flyte:8080/v1');
 */
export function findLink(links: readonly Link[], relSuffix: string, where?: string): Link {
  const link = findOptionalLink(links, relSuffix);
  if (!link) {
    throw new LinkNotFoundError({
      rel: relSuffix,
      available: links.map((l) => l.rel),
      url: where,
    });
  }
  return link;
}

/**
 * The href of the first link whose rel matches `relSuffix`.
 *
 * @param links - the `links` array of a server document.
 * @param relSuffix - the rel suffix looked for.
 * @param where - the URL whose response held the links; named in the error.
 * @returns the href.
 * @throws {@link LinkNotFoundError} when no link matches.
 * @example
 * const takeActionUrl = findLinkHref(pack.links, 'takeAction');
 */
export function findLinkHref(links: readonly Link[], relSuffix: string, where?: string): string {
  return findLink(links, relSuffix, where).href;
}

/**
 * The href of the first link whose rel matches `relSuffix`, or `undefined`.
 *
 * @param links - the `links` array of a server document.
 * @param relSuffix - the rel suffix looked for.
 * @returns the href, or `undefined` when no link matches.
 * @example
 * const healthUrl = findOptionalLinkHref(root.links, 'info/health');
 */
export function findOptionalLinkHref(
  links: readonly Link[],
  relSuffix: string,
): string | undefined {
  return findOptionalLink(links, relSuffix)?.href;
}
