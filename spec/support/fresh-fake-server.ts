import { FakeFlyteServerControl } from '../../lib/testing/fake-flyte-server-control.js';
import { fakeServerUrl } from './fake-url.js';

/** The shared fake flyte server, freshly reset. */
export interface FreshFakeServer {
  /** Its URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  base: string;
  /** Its control client. */
  control: FakeFlyteServerControl;
}

/**
 * Resets the shared fake flyte server (state, faults, auth, health, request log) for a spec
 * that runs in Node and in Chromium. Call it in `beforeEach`.
 *
 * @returns the server's base URL and a control client.
 * @example
 * beforeEach(async () => ({ base, control } = await freshFakeServer()));
 */
export async function freshFakeServer(): Promise<FreshFakeServer> {
  const base = fakeServerUrl().replace(/\/+$/, '');
  const control = new FakeFlyteServerControl(base);
  await control.reset();
  return { base, control };
}
