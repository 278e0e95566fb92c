#!/usr/bin/env bash
# Proves the published package works for a consumer: packs it (npm pack runs `prepack`, which
# builds dist/), installs the tarball into a scratch project, and uses every entry point from
# ESM, CommonJS, TypeScript (node16 and bundler resolution) and a browser bundle, and the
# `flyte-client` command (help, bad flags, the fake server and its console) from both builds.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=fake-server-url.sh
source "$root/scripts/fake-server-url.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
listing="$(tar tzf "$work/$tarball")"
if grep -qE '^package/(lib|spec|node_modules)/' <<<"$listing"; then
  echo "the package ships sources or specs it should not"; exit 1
fi
for file in LICENSE CHANGELOG.md README.md dist/cjs/cli/bin.js dist/esm/cli/bin.js \
  dist/esm/testing/fake-console-script.js dist/cjs/testing/fake-console-page.js; do
  grep -qx "package/$file" <<<"$listing" || { echo "the package lacks $file"; exit 1; }
done

cd "$work"
npm init -y >/dev/null
rxjs_version="$(node -p "require('$root/node_modules/rxjs/package.json').version")"
# The documented install is quiet: no engine mismatch, no install script to approve (npm 11).
install_log="$(npm install --no-audit --no-fund --loglevel=warn "./$tarball" "rxjs@$rxjs_version" 2>&1)"
if grep -qE 'EBADENGINE|install-scripts' <<<"$install_log"; then
  echo "installing the package warns:"; echo "$install_log"; exit 1
fi

cat > esm.mjs <<'JS'
import { Pack } from 'flyte-client';
import { FakeFlyteServer } from 'flyte-client/testing';
const server = new FakeFlyteServer();
await server.start();
const done = { name: 'Done' };
const handler = (input) => ({ eventDef: done, payload: input });
const pack = new Pack({ name: 'consumer', commands: [{ name: 'Echo', outputEvents: [done], handler }] },
  { url: server.url, polling: { interval: 500 }, logger: { error() {}, warn() {}, info() {}, debug() {} } });
await pack.start();
server.enqueueAction({ packName: 'consumer', command: 'Echo', input: 42 });
await server.waitForResults(1);
await pack.stop();
await server.close();
const [action] = server.actions();
if (action.state !== 'SUCCESS' || action.result.payload !== 42) throw new Error(`unexpected ${JSON.stringify(action)}`);
console.log('ESM: a pack from the packed flyte-client handled an action');
JS
node esm.mjs

cat > esm-streams.mjs <<'JS'
import { firstValueFrom, of, toArray } from 'rxjs';
import { dispatch, toWireEvent } from 'flyte-client/streams';
const done = { name: 'Done' };
const commands = [{ name: 'Echo', outputEvents: [done], handler: (input) => ({ eventDef: done, payload: input }) }];
const action = { id: '1', command: 'Echo', input: 7, resultUrl: 'http://flyte.test/r', links: [] };
const [result] = await firstValueFrom(of(action).pipe(dispatch({ commands }), toArray()));
const wire = toWireEvent(result.event, 0);
if (result.outcome !== 'success' || wire.event !== 'Done' || wire.payload !== 7) throw new Error(`unexpected ${JSON.stringify(result)}`);
console.log('ESM: the operators of flyte-client/streams ran an action');
JS
node esm-streams.mjs

cat > cjs.cjs <<'JS'
const core = require('flyte-client');
const node = require('flyte-client/node');
const testing = require('flyte-client/testing');
const streams = require('flyte-client/streams');
const winston = require('flyte-client/node/winston');
const metrics = require('flyte-client/node/metrics');
for (const [name, value] of [['Pack', core.Pack], ['poll$', streams.poll$], ['SlotLedger', streams.SlotLedger], ['runPack', node.runPack], ['FakeFlyteServer', testing.FakeFlyteServer], ['InMemoryFlyteApi', testing.InMemoryFlyteApi], ['createLogger', winston.createLogger], ['redactFormat', winston.redactFormat], ['packMetrics', metrics.packMetrics]])
  if (typeof value !== 'function') throw new Error(`require: ${name} is missing`);
console.log('CJS: every entry point loads');
JS
node cjs.cjs

# runPack loads winston (readable lines) and prom-client (/metrics) only when it needs them:
# the lazy loads resolve from both builds.
cat > lazy.txt <<'JS'
const server = new FakeFlyteServer();
await server.start();
const running = await runPack({ name: 'lazy', events: [{ name: 'Said' }] },
  { env: { FLYTE_API: server.url, FLYTE_LOG_LEVEL: 'error', FLYTE_LOG_FORMAT: 'pretty' }, config: { healthPort: 0 }, exit: () => undefined });
const text = await (await fetch(running.metricsUrl)).text();
await running.shutdown();
await server.close();
if (!text.includes('flyte_pack_status')) throw new Error(`no pack metrics at /metrics: ${text.slice(0, 200)}`);
JS
{ echo "import { runPack } from 'flyte-client/node'; import { FakeFlyteServer } from 'flyte-client/testing';"
  cat lazy.txt; echo "console.log('ESM: runPack loads winston and prom-client');"; } > lazy.mjs
{ echo "const { runPack } = require('flyte-client/node'); const { FakeFlyteServer } = require('flyte-client/testing');"
  echo "(async () => {"; cat lazy.txt; echo "console.log('CJS: runPack loads winston and prom-client');"
  echo "})().catch((e) => { console.error(e); process.exit(1); });"; } > lazy.cjs
node lazy.mjs
node lazy.cjs

cat > typed.ts <<'TS'
import { Pack, type EventDef, type PackDef } from 'flyte-client';
import { readConfig, runPack } from 'flyte-client/node';
import { createLogger } from 'flyte-client/node/winston';
import { packMetrics } from 'flyte-client/node/metrics';
import { SlotLedger, poll$, type PollDeps, type Registration } from 'flyte-client/streams';
import { InMemoryFlyteApi, testPackWith } from 'flyte-client/testing';
const done: EventDef<number> = { name: 'Done' };
const def: PackDef = { name: 'typed', commands: [{ name: 'C', outputEvents: [done], handler: () => ({ eventDef: done, payload: 1 }) }] };
export const pack = new Pack(def, { api: new InMemoryFlyteApi() });
export const takes = (registration$: PollDeps['registration$']) =>
  poll$({ registration$, take: () => { throw new Error('unused'); }, slots: new SlotLedger(1), pollInterval: 500 });
export type { Registration };
export { createLogger, packMetrics, readConfig, runPack, testPackWith };
TS
tsc="$root/node_modules/.bin/tsc"
"$tsc" --noEmit --strict --skipLibCheck false --types node --typeRoots "$root/node_modules/@types" --module node16 --moduleResolution node16 typed.ts
"$tsc" --noEmit --strict --types node --typeRoots "$root/node_modules/@types" --module esnext --moduleResolution bundler typed.ts
echo 'TypeScript: the declarations type-check under node16 and bundler resolution'

cat > browser.ts <<'TS'
import { Pack } from 'flyte-client';
import { poll$ } from 'flyte-client/streams';
import { FakeFlyteServerControl, InMemoryFlyteApi } from 'flyte-client/testing';
console.log(Pack, poll$, FakeFlyteServerControl, InMemoryFlyteApi);
TS
"$root/node_modules/.bin/esbuild" browser.ts --bundle --platform=browser --format=esm --log-level=warning --outfile=browser.js
echo 'browser: the core, the operators and the testing kit bundle without Node built-ins'

# The source maps carry their sources, so stack traces and debuggers show the TypeScript.
node - <<'JS'
const fs = require('fs');
const path = require('path');
const root = 'node_modules/flyte-client/dist';
const maps = [];
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) =>
  e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.map') && maps.push(path.join(dir, e.name)));
walk(root);
const bare = maps.filter((file) => {
  const map = JSON.parse(fs.readFileSync(file, 'utf8'));
  return !map.sourcesContent || map.sourcesContent.length !== map.sources.length || map.sourcesContent.some((s) => !s);
});
if (maps.length < 100 || bare.length) throw new Error(`${maps.length} maps, without sources: ${bare.slice(0, 5).join(', ')}`);
console.log(`source maps: all ${maps.length} carry their TypeScript sources`);
JS

# The CLI: help, bad flags (exit 2, naming the flag), the fake server and its console, a clean stop.
grep -q 'fake-server' <<<"$(npx --no-install flyte-client --help)" || { echo 'flyte-client --help lacks fake-server'; exit 1; }
grep -q -- '--latency-ms' <<<"$(node node_modules/flyte-client/dist/esm/cli/bin.js fake-server --help)" \
  || { echo 'the ESM build of the CLI does not run'; exit 1; }
set +e
bad_flag="$(npx --no-install flyte-client fake-server --port nope 2>&1)"; bad_code=$?
set -e
if [ "$bad_code" != 2 ] || ! grep -q "'--port <port>' argument 'nope' is invalid" <<<"$bad_flag"; then
  echo "a bad flag should exit 2 naming it; got $bad_code: $bad_flag"; exit 1
fi
# Each run gets its own process group, and Ctrl-C's SIGINT goes to the whole group, as in a
# terminal. npx itself then reports the signal; the installed bin (CJS) and the ESM build exit 0.
for bin in "npx --no-install flyte-client" "node_modules/.bin/flyte-client" \
  "node node_modules/flyte-client/dist/esm/cli/bin.js"; do
  setsid $bin fake-server --port 0 --quiet >server.log 2>&1 &
  server_pid=$!
  url="$(fake_server_url server.log)"
  grep -q '"links"' <<<"$(curl -sf "$url/v1")" || { echo "$bin: no API at $url/v1"; exit 1; }
  grep -q '/_fake/ui/console.js' <<<"$(curl -sf "$url/_fake/ui")" || { echo "$bin: no console at $url/_fake/ui"; exit 1; }
  curl -sf "$url/_fake/ui/console.js" >/dev/null || { echo "$bin: no console script"; exit 1; }
  kill -INT -- "-$server_pid"
  set +e; wait "$server_pid"; code=$?; set -e
  grep -q 'SIGINT: closing the fake flyte server' server.log || { cat server.log; echo "$bin: no clean stop"; exit 1; }
  if [ "$code" != 0 ] && [[ "$bin" != npx* ]]; then
    cat server.log; echo "$bin fake-server exited $code on Ctrl-C"; exit 1
  fi
done
echo 'CLI: npx flyte-client (CJS and ESM builds) serves the API and the console, refuses bad flags, stops on Ctrl-C'

# The README's Getting started, pasted into a fresh project over this same tarball.
bash "$root/scripts/check-getting-started.sh" "$work/$tarball"
