import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { selfSignedCertificate } from '../../support/self-signed-certificate.js';
import { HttpFlyteApi } from '../../../lib/api/http-flyte-api.js';
import { isNetworkError } from '../../../lib/model/errors.js';
import { insecureTlsAgent } from '../../../lib/node/tls.js';

describe('insecureTlsAgent (Node)', () => {
  let server: Server | undefined;
  let url = '';

  beforeAll(async () => {
    const credentials = selfSignedCertificate();
    if (!credentials) return;
    server = createServer(credentials, (req, res) => {
      const base = `https://${req.headers.host}`;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          links: [{ href: `${base}/v1/packs`, rel: `${base}/swagger#!/pack/listPacks` }],
        }),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
  });

  it('is an https.Agent that does not verify certificates', () => {
    expect(insecureTlsAgent().options.rejectUnauthorized).toBeFalse();
  });

  it('lets HttpFlyteApi reach a server with a self-signed certificate', async () => {
    if (!server) return pending('the openssl CLI is not available to make a certificate');
    const api = new HttpFlyteApi({ url, agent: insecureTlsAgent() });
    const root = await firstValueFrom(api.discover());
    expect(root.packsUrl).toBe(`${url}/v1/packs`);
  });

  it('is needed: without it the self-signed certificate is refused as a NetworkError', async () => {
    if (!server) return pending('the openssl CLI is not available to make a certificate');
    const api = new HttpFlyteApi({ url });
    const error = await firstValueFrom(api.discover()).catch((e: unknown) => e);
    expect(isNetworkError(error)).withContext(String(error)).toBeTrue();
    expect((error as Error).message).toMatch(/self[- ]signed|certificate/i);
  });
});
