# flyte-client for TypeScript. `make test` is all a newcomer needs; `make run-example` runs a pack.
SHELL := /bin/bash
NODE_TS := node --import tsx
CHROME_BIN ?= $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
export CHROME_BIN

.PHONY: init deps chromium test lint typecheck browser-bundle test-node test-browser build docs fake-server run-example soak bench check-package check-getting-started clean docker-build

init: deps chromium

# node_modules from the committed lockfile, only when missing or older than the lockfile.
deps: node_modules/.install-stamp
node_modules/.install-stamp: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Debian packages the specs need, when missing: chromium (browser specs), curl and jq (the
# shell walk-through of docs/fake-server.md, the package check).
SYSTEM_TOOLS := chromium curl jq
chromium:
	@missing=""; for tool in $(SYSTEM_TOOLS); do \
	  command -v $$tool >/dev/null 2>&1 || [ -x /usr/bin/$$tool ] || missing="$$missing $$tool"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

test: deps chromium lint typecheck browser-bundle test-node test-browser

lint: deps
	npx eslint .
	node scripts/check-layers.mjs
	npx prettier --check .

# tsc over the sources, specs and samples; then every ```ts block of README.md, CONTRIBUTING.md
# and docs/*.md against the package's entry points (scripts/check-doc-blocks.mjs says the rules).
typecheck: deps
	npx tsc -p tsconfig.json
	node scripts/check-doc-blocks.mjs

# Invariant: the core, the operators and the browser testing kit bundle for the browser (no Node built-ins).
browser-bundle: deps
	@mkdir -p .tmp
	npx esbuild lib/index.ts --bundle --platform=browser --format=esm --log-level=warning --outfile=.tmp/browser-core.js
	npx esbuild lib/streams/index.ts --bundle --platform=browser --format=esm --log-level=warning --outfile=.tmp/browser-streams.js
	npx esbuild lib/testing/index.ts --bundle --platform=browser --format=esm --log-level=warning --outfile=.tmp/browser-testing.js

# --allow-natives-syntax: the shape specs (spec/node/shapes) compare V8's hidden classes.
test-node: deps
	$(NODE_TS) --allow-natives-syntax node_modules/jasmine/bin/jasmine.js --config=spec/support/jasmine.json

test-browser: deps chromium
	$(NODE_TS) node_modules/karma/bin/karma start karma.conf.js --single-run

# The same script is npm's `prepack`, so `npm pack` and `npm publish` always ship a fresh dist/.
build: deps
	node scripts/build.cjs

# The API reference (TypeDoc, typedoc.json) of the four entry points, into api-docs/ (git-ignored):
# open api-docs/index.html. Any warning — an export or member without documentation, a broken
# {@link}, a public type that is not exported — fails the build.
docs: deps
	npx typedoc

# The fake flyte server and its console (`npx flyte-client fake-server` from the source):
# `make fake-server PORT=9090`, or any flag with ARGS="--token dev --latency-ms 200".
fake-server: deps
	$(NODE_TS) lib/cli/bin.ts fake-server $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST)) $(ARGS)

run-example: deps
	$(NODE_TS) samples/run-example.ts

# The packed package, installed into a scratch project, used from ESM, CJS, TypeScript, a browser
# bundle; then the README's Getting started, pasted into a fresh project and run.
check-package: deps
	bash scripts/check-package.sh

# The 2,000-action "nothing lost" soak of docs/guarantees.md (10 to 20 s, so not part of
# `make test`; CI runs it as its own step). SOAK_ACTIONS=500 make soak for a shorter run.
soak: deps
	$(NODE_TS) node_modules/jasmine/bin/jasmine.js --config=spec/support/jasmine.json spec/node/integration/nothing-lost.soak.ts

# The README's Getting started only (check-package runs it too).
check-getting-started: deps
	bash scripts/check-getting-started.sh

# Builds dist/ first: the lean figures (bench/lean.ts) run the built package in plain Node.
bench: deps build
	$(NODE_TS) bench/run.ts

docker-build:
	docker build -f samples/rota-pack/Dockerfile -t flyte-rota-pack .

clean:
	rm -rf dist coverage api-docs
