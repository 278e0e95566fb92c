#!/usr/bin/env bash
# Runs the README's "Getting started" as a newcomer would: its files, extracted verbatim into a
# fresh project, over the packed package (the tarball given, or a new `npm pack`); then its
# commands: install, type-check, test, and the pack against `npx flyte-client fake-server`
# with an action created by the README's curl lines, which must end SUCCESS. The guide's
# samples marked `guide` (docs/guide.md) are type-checked in the same project.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=fake-server-url.sh
source "$root/scripts/fake-server-url.sh"
work="$(mktemp -d)"
server_pid=""
pack_pid=""
cleanup() {
  for pid in $pack_pid $server_pid; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

tarball="${1:-}"
if [ -z "$tarball" ]; then
  tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -1)"
fi
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"

project="$work/hello-pack"
mkdir -p "$project/guide"
node "$root/scripts/readme-files.mjs" "$root/README.md" getting-started "$project" >/dev/null
node "$root/scripts/readme-files.mjs" "$root/docs/guide.md" guide "$project/guide" >/dev/null
cd "$project"

# The one change: flyte-client comes from the packed tarball instead of git.
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync("package.json", "utf8"));
  if (!manifest.dependencies || !manifest.dependencies["flyte-client"])
    throw new Error("the Getting-started package.json does not depend on flyte-client");
  manifest.dependencies["flyte-client"] = "file:" + process.argv[1];
  fs.writeFileSync("package.json", JSON.stringify(manifest, null, 2) + "\n");
' "$tarball"

export npm_config_audit=false npm_config_fund=false npm_config_prefer_offline=true
bash -euo pipefail check.sh 2>&1 | tee check.log # npm install, npm run typecheck, npm test
# The documented install is quiet: no engine mismatch, no install script left to approve.
if grep -qE 'EBADENGINE|install-scripts' check.log; then
  echo "the Getting-started install warns (see above)"; exit 1
fi
echo 'Getting started: the pasted project installs, type-checks and passes its spec'

cat > tsconfig.guide.json <<'JSON'
{ "extends": "./tsconfig.json", "include": ["guide"] }
JSON
npx --no-install tsc -p tsconfig.guide.json
echo "docs/guide.md: its samples type-check against the packed package"

# run.sh: the fake server (on a free port here) and the pack, each in its own process group.
server_line="$(grep -E '^npx flyte-client fake-server' run.sh)"
pack_line="$(grep -E '^FLYTE_API=' run.sh)"
readme_url="$(grep -oE 'http://127\.0\.0\.1:8080' <<<"$pack_line")"
setsid bash -c "$server_line --port 0 --quiet" >server.log 2>&1 &
server_pid=$!
url="$(fake_server_url server.log)"
FLYTE_HEALTH_PORT=off setsid bash -c "${pack_line//$readme_url/$url}" >pack.log 2>&1 &
pack_pid=$!

# action.sh: create the action and wait for its result, against this server.
out="$(bash -euo pipefail -c "$(sed "s#$readme_url#$url#g" action.sh)")" \
  || { cat pack.log; echo "the README's curl lines failed: $out"; exit 1; }
# The last curl line shows the actions: the one created ended SUCCESS with the greeting.
action="$(jq -cs 'last | .[0] | {state, result: (.result | {event, payload})}' <<<"$out")"
expected='{"state":"SUCCESS","result":{"event":"Greeted","payload":{"text":"Hello, Countess Ada!"}}}'
if [ "$action" != "$expected" ]; then
  cat pack.log; echo "expected the README's curl lines to show $expected, got: $out"; exit 1
fi

# Ctrl-C (SIGINT to the group, as a terminal sends it) stops the pack gracefully with code 0;
# npm then reports the signal itself, so the pack's own last line is what counts.
kill -INT -- "-$pack_pid"
set +e; wait "$pack_pid"; set -e
pack_pid=""
grep -q 'stopped; exiting with code 0' pack.log || { cat pack.log; echo 'the pack did not stop cleanly'; exit 1; }
echo 'Getting started: npm start ran the pack against npx flyte-client fake-server; its action ended SUCCESS'
