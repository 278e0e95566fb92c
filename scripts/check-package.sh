#!/usr/bin/env bash
# Proves the published package works for a consumer: builds dist/, packs it, installs the
# tarball into a scratch project, and uses every entry point from ESM, CommonJS, TypeScript
# (node16 and bundler resolution) and a browser bundle.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
make build >/dev/null
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
if tar tzf "$work/$tarball" | grep -qE '^package/(lib|spec|node_modules)/'; then
  echo "the package ships sources or specs it should not"; exit 1
fi

cd "$work"
npm init -y >/dev/null
rxjs_version="$(node -p "require('$root/node_modules/rxjs/package.json').version")"
npm install --no-audit --no-fund --silent "./$tarball" "rxjs@$rxjs_version"

cat > esm.mjs <<'JS'
import { Pack } from 'flyte-client';
import { FakeFlyteServer } from 'flyte-client/testing';
const server = new FakeFlyteServer();
await server.start();
const done = { name: 'Done' };
const handler = (input) => ({ eventDef: done, payload: input });
const pack = new Pack({ name: 'consumer', commands: [{ name: 'Echo', outputEvents: [done], handler }] },
  { url: server.url, pollInterval: 500, logger: { error() {}, warn() {}, info() {}, debug() {} } });
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
for (const [name, value] of [['Pack', core.Pack], ['poll$', streams.poll$], ['CapacityGate', streams.CapacityGate], ['runPack', node.runPack], ['FakeFlyteServer', testing.FakeFlyteServer], ['InMemoryFlyteApi', testing.InMemoryFlyteApi]])
  if (typeof value !== 'function') throw new Error(`require: ${name} is missing`);
console.log('CJS: every entry point loads');
JS
node cjs.cjs

cat > typed.ts <<'TS'
import { Pack, type EventDef, type PackDef } from 'flyte-client';
import { readConfig, runPack } from 'flyte-client/node';
import { CapacityGate, poll$, type PollDeps, type Registration } from 'flyte-client/streams';
import { InMemoryFlyteApi, packTester } from 'flyte-client/testing';
const done: EventDef<number> = { name: 'Done' };
const def: PackDef = { name: 'typed', commands: [{ name: 'C', outputEvents: [done], handler: () => ({ eventDef: done, payload: 1 }) }] };
export const pack = new Pack(def, { api: new InMemoryFlyteApi() });
export const takes = (registration$: PollDeps['registration$']) =>
  poll$({ registration$, take: () => { throw new Error('unused'); }, gate: new CapacityGate(1), pollInterval: 500 });
export type { Registration };
export { readConfig, runPack, packTester };
TS
tsc="$root/node_modules/.bin/tsc"
"$tsc" --noEmit --strict --skipLibCheck false --types node --typeRoots "$root/node_modules/@types" --module node16 --moduleResolution node16 typed.ts
"$tsc" --noEmit --strict --types node --typeRoots "$root/node_modules/@types" --module esnext --moduleResolution bundler typed.ts
echo 'TypeScript: the declarations type-check under node16 and bundler resolution'

cat > browser.ts <<'TS'
import { Pack } from 'flyte-client';
import { poll$ } from 'flyte-client/streams';
import { FakeServerControl, InMemoryFlyteApi } from 'flyte-client/testing';
console.log(Pack, poll$, FakeServerControl, InMemoryFlyteApi);
TS
"$root/node_modules/.bin/esbuild" browser.ts --bundle --platform=browser --format=esm --log-level=warning --outfile=browser.js
echo 'browser: the core, the operators and the testing kit bundle without Node built-ins'
