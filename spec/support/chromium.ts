/**
 * How the specs run Debian's chromium headless, in Karma (karma.conf.js) and through
 * playwright-core (spec/node/testing/fake-console.spec.ts): the same flags for both.
 */
export const HEADLESS_CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The chromium binary: `CHROME_BIN` when set (the Makefile sets it), else Debian's.
 *
 * @returns e.g. `/usr/bin/chromium`.
 */
export function chromiumPath(): string {
  return process.env.CHROME_BIN || '/usr/bin/chromium';
}
