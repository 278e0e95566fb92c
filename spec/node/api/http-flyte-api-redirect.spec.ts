import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { isHttpError, isNetworkError } from '../../../lib/model/errors.js';
import { errorOf } from '../../support/error-of.js';

const TOKEN = 'eyJyZWRpcmVjdA.redirect-token.sig';

/** A loopback server answering every request with `answer`, recording what it received. */
async function serve(
  answer: (req: IncomingMessage) => { status: number; location?: string },
): Promise<{ url: string; seen: { path: string; auth?: string }[]; server: Server }> {
  const seen: { path: string; auth?: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    const { status, location } = answer(req);
    res.writeHead(status, location === undefined ? {} : { Location: location });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, server };
}

// node-fetch 2 keeps the Authorization header on a redirect to the same host on another port
// (and to a subdomain): another origin, which must not get the token unless it is trusted.
describe('HttpFlyteApi and redirects while carrying the token (Node)', () => {
  let servers: Server[];
  beforeEach(() => (servers = []));
  afterEach(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  async function setUp(redirect: (other: string) => string) {
    const other = await serve(() => ({ status: 500 }));
    const first = await serve(() => ({ status: 307, location: redirect(other.url) }));
    servers.push(other.server, first.server);
    return { other, first };
  }

  it('does not send the token to another origin a redirect points at', async () => {
    const { other, first } = await setUp((o) => `${o}/v1`);
    const error = await errorOf(new HttpFlyteApi({ url: first.url, token: TOKEN }).discover());
    expect(isHttpError(error)).toBeTrue();
    expect(first.seen).toEqual([{ path: '/v1', auth: `Bearer ${TOKEN}` }]);
    expect(other.seen).toEqual([{ path: '/v1', auth: undefined }]);
  });

  it('does send it to a trusted origin a redirect points at', async () => {
    const { other, first } = await setUp((o) => `${o}/v1`);
    const api = new HttpFlyteApi({
      url: first.url,
      token: () => TOKEN,
      trustedOrigins: [other.url],
    });
    await errorOf(api.discover());
    expect(other.seen).toEqual([{ path: '/v1', auth: `Bearer ${TOKEN}` }]);
  });

  it('follows a redirect on its own origin with the token', async () => {
    const only = await serve((req) =>
      req.url === '/v1' ? { status: 308, location: '/moved/v1' } : { status: 500 },
    );
    servers.push(only.server);
    await errorOf(new HttpFlyteApi({ url: only.url, token: TOKEN }).discover());
    expect(only.seen).toEqual([
      { path: '/v1', auth: `Bearer ${TOKEN}` },
      { path: '/moved/v1', auth: `Bearer ${TOKEN}` },
    ]);
  });

  it('gives up on a redirect loop with a NetworkError', async () => {
    const loop = await serve(() => ({ status: 302, location: '/v1' }));
    servers.push(loop.server);
    const error = await errorOf(new HttpFlyteApi({ url: loop.url, token: TOKEN }).discover());
    expect(isNetworkError(error)).toBeTrue();
    expect(String(error)).toContain('redirected more than 5 times');
    expect(String(error)).not.toContain(TOKEN);
  });

  // The limit counted where it is kept: requests at the server, not the error's wording.
  it('follows five redirects in a row and makes the sixth request', async () => {
    const chain = await serve((req) => {
      const hop = req.url === '/v1' ? 0 : Number(req.url!.slice('/hop'.length));
      return hop < 5 ? { status: 302, location: `/hop${hop + 1}` } : { status: 500 };
    });
    servers.push(chain.server);
    const error = await errorOf(new HttpFlyteApi({ url: chain.url }).discover());
    expect(isHttpError(error) && error.status).toBe(500);
    expect(chain.seen.map((s) => s.path)).toEqual([
      '/v1',
      '/hop1',
      '/hop2',
      '/hop3',
      '/hop4',
      '/hop5',
    ]);
  });

  it('stops a redirect loop after following five: six requests reach the server', async () => {
    const loop = await serve(() => ({ status: 302, location: '/v1' }));
    servers.push(loop.server);
    const error = await errorOf(new HttpFlyteApi({ url: loop.url }).discover());
    expect(isNetworkError(error)).toBeTrue();
    expect(loop.seen.length).toBe(6);
  });
});
