/**
 * Where the shared fake flyte server listens, for specs that run in Node and in Chromium.
 * In Node, spec/support/node-helpers.ts starts it and publishes the URL on `globalThis`;
 * in Chromium, karma.conf.js starts it and passes the URL as `client.flyteUrl`.
 */
interface FakeUrlGlobals {
  __karma__?: { config?: { flyteUrl?: string } };
  __FLYTE_FAKE_URL__?: string;
}

/**
 * The URL of the shared fake flyte server (reset it in beforeEach with `FakeFlyteServerControl`).
 *
 * @returns e.g. `http://127.0.0.1:41234`.
 * @example
 * const control = new FakeFlyteServerControl(fakeServerUrl());
 */
export function fakeServerUrl(): string {
  const g = globalThis as FakeUrlGlobals;
  const url = g.__karma__?.config?.flyteUrl ?? g.__FLYTE_FAKE_URL__;
  if (!url) {
    throw new Error(
      'no fake flyte server: in Node, spec/support/node-helpers.ts must be a jasmine helper; in Chromium, karma.conf.js must pass client.flyteUrl',
    );
  }
  return url;
}
