// Karma runs every spec outside spec/node/ in headless Chromium.
// It is started under `node --import tsx` (see the Makefile), so this file can load the
// TypeScript fake flyte server, start it on loopback and hand its URL to the browser.
const fs = require('fs');
const path = require('path');
const { FakeFlyteServer } = require('./lib/testing/fake-flyte-server.ts');
const { HEADLESS_CHROMIUM_FLAGS } = require('./spec/support/chromium.ts');

// karma-esbuild writes its entry file into the temp folder and imports each spec by a path
// relative to it; when the project itself lives under that folder the path lacks './' and
// esbuild takes it for a package. A temp folder inside the project keeps the paths relative.
const tmp = path.join(__dirname, '.tmp', 'karma');
fs.mkdirSync(tmp, { recursive: true });
process.env.TMPDIR = tmp;

module.exports = async (config) => {
  const server = new FakeFlyteServer({ host: '127.0.0.1', port: 0 });
  await server.start();
  process.on('exit', () => server.close());

  config.set({
    frameworks: ['jasmine'],
    files: [{ pattern: 'spec/**/*.spec.ts', watched: false }],
    exclude: ['spec/node/**'],
    preprocessors: { 'spec/**/*.spec.ts': ['esbuild'] },
    esbuild: {
      target: 'es2020',
      // package.json says "sideEffects": false; without this, esbuild drops every spec.
      ignoreAnnotations: true,
      define: { 'process.env.NODE_ENV': '"test"' },
    },
    client: {
      jasmine: { random: true, timeoutInterval: 20000 },
      flyteUrl: server.url,
    },
    plugins: ['karma-jasmine', 'karma-esbuild', 'karma-chrome-launcher'],
    reporters: ['progress'],
    browsers: ['ChromiumHeadlessCI'],
    customLaunchers: {
      ChromiumHeadlessCI: {
        // 0: a free port, so that several test runs on one machine do not collide.
        base: 'Chrome',
        flags: [...HEADLESS_CHROMIUM_FLAGS, '--remote-debugging-port=0'],
      },
    },
    singleRun: true,
    browserNoActivityTimeout: 120000,
    captureTimeout: 120000,
    logLevel: config.LOG_WARN,
  });
};
