// The API runPack builds logs through the pack's logger (a debug line per request, a warning
// per untrusted origin): a logger that throws must never fail a request.
import { firstValueFrom } from 'rxjs';
import type { Logger } from '../../../lib/model/logger.js';
import { packOptionsFrom } from '../../../lib/node/run-pack-options.js';
import { rootServer, runPackConfig } from './run-pack-config.js';

describe('the API runPack builds, with a logger that throws', () => {
  let server: Awaited<ReturnType<typeof rootServer>>;
  beforeEach(async () => (server = await rootServer()));
  afterEach(() => server.close());

  it('still answers', async () => {
    const boom = () => {
      throw new Error('the logger broke');
    };
    const logger: Logger = { error: boom, warn: boom, info: boom, debug: boom };
    const config = runPackConfig(server.url, { logLevel: 'debug' });
    const root = await firstValueFrom(packOptionsFrom(config, logger).api!.discover());
    expect(root.packsUrl).toBe(`${server.url}/v1/packs`);
  });
});
