// Builds dist/: ESM with declarations, then CommonJS, each folder marked with its module type.
// Plain Node (no make, no shell) so that npm's `prepack` can run it anywhere.
const { execFileSync } = require('node:child_process');
const { rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'tsconfig.cjs.json'])
  execFileSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
writeFileSync(join(root, 'dist/esm/package.json'), '{"type":"module"}\n');
writeFileSync(join(root, 'dist/cjs/package.json'), '{"type":"commonjs"}\n');
