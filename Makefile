# flyte-client for TypeScript. `make test` is all a newcomer needs; `make run-example` runs a pack.
SHELL := /bin/bash
NODE_TS := node --import tsx
CHROME_BIN ?= $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
export CHROME_BIN

.PHONY: init deps chromium test lint typecheck browser-bundle test-node test-browser build fake-server run-example bench check-package clean docker-build

init: deps chromium

# node_modules from the committed lockfile, only when missing or older than the lockfile.
deps: node_modules/.install-stamp
node_modules/.install-stamp: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Debian's chromium for the browser specs, when it is not there yet.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian chromium for the browser specs"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

test: deps chromium lint typecheck browser-bundle test-node test-browser

lint: deps
	npx eslint .
	node scripts/check-layers.mjs
	npx prettier --check .

typecheck: deps
	npx tsc -p tsconfig.json

# Invariant: the core, the operators and the browser testing kit bundle for the browser (no Node built-ins).
browser-bundle: deps
	@mkdir -p .tmp
	npx esbuild lib/index.ts --bundle --platform=browser --format=esm --log-level=warning --outfile=.tmp/browser-core.js
	npx esbuild lib/streams/index.ts --bundle --platform=browser --format=esm --log-level=warning --outfile=.tmp/browser-streams.js
	npx esbuild lib/testing/index.ts --bundle --platform=browser --format=esm --log-level=warning --outfile=.tmp/browser-testing.js

test-node: deps
	$(NODE_TS) node_modules/jasmine/bin/jasmine.js --config=spec/support/jasmine.json

test-browser: deps chromium
	$(NODE_TS) node_modules/karma/bin/karma start karma.conf.js --single-run

build: deps
	rm -rf dist
	npx tsc -p tsconfig.build.json
	npx tsc -p tsconfig.cjs.json
	echo '{"type":"module"}' > dist/esm/package.json
	echo '{"type":"commonjs"}' > dist/cjs/package.json

fake-server: deps
	$(NODE_TS) lib/testing/fake-flyte-server-cli.ts

run-example: deps
	$(NODE_TS) samples/run-example.ts

# The packed package, installed into a scratch project, used from ESM, CJS, TypeScript, a browser bundle.
check-package: deps
	bash scripts/check-package.sh

bench: deps
	$(NODE_TS) bench/run.ts

docker-build:
	docker build -f samples/rota-pack/Dockerfile -t flyte-rota-pack .

clean:
	rm -rf dist coverage
