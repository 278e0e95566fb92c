#!/usr/bin/env node
// The `flyte-client` command (package.json "bin"); the same file works from the ESM and the
// CommonJS build. Usage: `npx flyte-client --help`.
import { runCli } from './run-cli.js';

void runCli(process.argv.slice(2)).then((code) => process.exit(code));
