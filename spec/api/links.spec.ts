import {
  findLink,
  findLinkHref,
  findOptionalLink,
  findOptionalLinkHref,
  relMatches,
} from '../../lib/api/links.js';
import type { Link } from '../../lib/model/wire-types.js';
import { actionIdOf } from '../../lib/api/parse-documents.js';
import {
  isInvalidResponseError,
  isLinkNotFoundError,
  LinkNotFoundError,
} from '../../lib/model/errors.js';

const doc = 'http://flyte.example:8080/swagger#';
const links: Link[] = [
  { href: 'http://flyte.example:8080/v1', rel: 'self' },
  { href: 'http://flyte.example:8080/', rel: 'up' },
  { href: 'http://flyte.example:8080/v1/packs', rel: `${doc}!/pack/listPacks` },
  { href: 'http://flyte.example:8080/v1/health', rel: `${doc}!/info/health` },
  { href: 'http://flyte.example:8080/v1/packs/p/events', rel: `${doc}/event` },
  { href: 'http://flyte.example:8080/v1/packs/p/actions/take', rel: `${doc}!/action/takeAction` },
];

describe('links', () => {
  describe('findLink', () => {
    it('finds a link by the suffix of its rel', () => {
      expect(findLink(links, 'pack/listPacks')).toBe(links[2]!);
      expect(findLink(links, 'takeAction').href).toBe(
        'http://flyte.example:8080/v1/packs/p/actions/take',
      );
      expect(findLink(links, 'event').href).toBe('http://flyte.example:8080/v1/packs/p/events');
    });

    it('matches self and up exactly, not as a suffix', () => {
      const tricky: Link[] = [
        { href: 'http://a/x', rel: `${doc}/myself` },
        { href: 'http://a/y', rel: `${doc}/self` },
        { href: 'http://a/z', rel: 'self' },
      ];
      expect(findLink(tricky, 'self').href).toBe('http://a/z');
      expect(findOptionalLink([{ href: 'http://a/', rel: 'lookup' }], 'up')).toBeUndefined();
    });

    it('needs a boundary before the suffix, so "event" does not match "prevent"', () => {
      const tricky: Link[] = [
        { href: 'http://a/1', rel: `${doc}/prevent` },
        { href: 'http://a/2', rel: `${doc}/event` },
      ];
      expect(findLinkHref(tricky, 'event')).toBe('http://a/2');
      expect(relMatches('event', 'event')).toBeTrue();
      expect(relMatches(`${doc}!/x/takeAction`, 'takeAction')).toBeTrue();
      expect(relMatches(`${doc}!/x/untakeAction`, 'takeAction')).toBeFalse();
    });

    it('returns the first match when several links match', () => {
      const two: Link[] = [
        { href: 'http://a/first', rel: 'help' },
        { href: 'http://a/second', rel: 'help' },
      ];
      expect(findLinkHref(two, 'help')).toBe('http://a/first');
    });

    it('throws a LinkNotFoundError naming the rel, the rels present and where', () => {
      let error: unknown;
      try {
        findLink(links, 'actionResult', 'http://flyte.example:8080/v1/packs/p');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LinkNotFoundError);
      expect(isLinkNotFoundError(error)).toBeTrue();
      expect(isInvalidResponseError(error)).toBeTrue();
      const e = error as LinkNotFoundError;
      expect(e.rel).toBe('actionResult');
      expect(e.available).toEqual(links.map((l) => l.rel));
      expect(e.url).toBe('http://flyte.example:8080/v1/packs/p');
      expect(e.message).toContain('"actionResult"');
      expect(e.message).toContain(`"${doc}!/pack/listPacks"`);
      expect(e.message).toContain('http://flyte.example:8080/v1/packs/p');
    });

    it('says "none" when there are no links at all', () => {
      expect(() => findLink([], 'takeAction')).toThrowMatching(
        (e: unknown) => isLinkNotFoundError(e) && /rels present: none/.test(e.message),
      );
    });
  });

  describe('optional variants', () => {
    it('return undefined instead of throwing', () => {
      expect(findOptionalLinkHref(links, 'actionResult')).toBeUndefined();
      expect(findOptionalLinkHref(links, 'info/health')).toBe(
        'http://flyte.example:8080/v1/health',
      );
    });
  });
});

describe('actionIdOf: the id in a result link, read from its path alone', () => {
  const cases: ReadonlyArray<[string, string]> = [
    ['http://flyte:8080/v1/packs/Slack/actions/42/result', '42'],
    ['http://flyte/v1/actions/a%20b/result/?x=1#f', 'a b'],
    ['http://flyte/v1/actions/x/result?next=/actions/y/result', 'x'],
    ['http://flyte/v1/actions/x/result#/actions/y/result', 'x'],
    ['http://actions/x/result', ''], // a host named "actions" is no path
    ['https://flyte/v1/actions/7/results', ''],
    ['http://flyte', ''],
    ['http://flyte/v1/actions/%E0%A4%A/result', '%E0%A4%A'], // not decodable: kept as it is
  ];
  for (const [url, id] of cases) {
    it(`${url} -> ${JSON.stringify(id)}`, () => expect(actionIdOf(url)).toBe(id));
  }
});
