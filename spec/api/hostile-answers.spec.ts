import { parseLinks } from '../../lib/api/parse.js';
import type { HttpResponse } from '../../lib/api/request.js';
import { HttpError, isInvalidResponseError, LinkNotFoundError } from '../../lib/model/errors.js';

// Finding 12: what a hostile or broken server sends must not end in a retry for ever, a log
// line broken by raw control characters, or a megabyte-long error.
describe('answers a client must not trust', () => {
  const res: HttpResponse = {
    method: 'GET',
    url: 'http://flyte/v1',
    status: 200,
    text: '',
    header: () => null,
  };

  for (const href of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,x']) {
    it(`refuses a ${href.split(':')[0]}: href with an InvalidResponseError naming the link`, () => {
      let error: unknown;
      try {
        parseLinks(res, [{ href, rel: 'http://flyte/swagger#!/pack/listPacks' }], 'links');
      } catch (e) {
        error = e;
      }
      expect(isInvalidResponseError(error)).toBeTrue();
      expect((error as Error).message).toContain(
        '"links[0].href" (rel "http://flyte/swagger#!/pack/listPacks") is not an http(s) URL',
      );
    });
  }

  it('escapes newlines, control characters and ANSI escapes in a body excerpt', () => {
    const error = new HttpError({
      method: 'POST',
      url: 'http://flyte/x',
      status: 500,
      body: 'a\nb\r\u001b[31mred\u0007',
    });
    expect(error.bodyExcerpt).toBe('a\\nb\\r\\u001b[31mred\\u0007');
    expect([...error.message].some((c) => c.charCodeAt(0) < 32)).toBeFalse();
  });

  it('lists at most 10 rels in a LinkNotFoundError, saying how many more there are', () => {
    const available = Array.from({ length: 100_000 }, (_, i) => `http://flyte/swagger#!/rel/${i}`);
    const error = new LinkNotFoundError({ rel: 'info/health', available, url: 'http://flyte/v1' });
    expect(error.message.length).toBeLessThan(1000);
    expect(error.message).toMatch(/"http:\/\/flyte\/swagger#!\/rel\/9" and 99,990 more$/);
    expect(error.available.length).toBe(10);
  });
});
