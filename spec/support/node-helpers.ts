// Jasmine helper (Node only): one fake flyte server shared by every spec, like the one
// karma.conf.js starts for Chromium. Specs find it with fakeServerUrl() (spec/support/fake-url.ts)
// and reset it with FakeFlyteServerControl in beforeEach.
import { FakeFlyteServer } from '../../lib/testing/fake-flyte-server.js';

const server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });

beforeAll(async () => {
  await server.start();
  (globalThis as { __FLYTE_FAKE_URL__?: string }).__FLYTE_FAKE_URL__ = server.url;
});

afterAll(async () => {
  await server.close();
  delete (globalThis as { __FLYTE_FAKE_URL__?: string }).__FLYTE_FAKE_URL__;
});
