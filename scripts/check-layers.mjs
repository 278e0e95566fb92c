// Proves that `make lint` enforces the layer rule: lints imports as if they were written in
// each layer (ESLint's lintText with a file path; no file is written) and fails unless every
// upward import is refused and every downward one accepted.
import { ESLint } from 'eslint';

const cases = [
  ['lib/model', '../api/flyte-api.js', false],
  ['lib/model', '../streams/polling.js', false],
  ['lib/model', '../pack/pack.js', false],
  ['lib/model', '../node/config.js', false],
  ['lib/model', '../testing/test-pack.js', false],
  ['lib/model', '../index.js', false],
  ['lib/api', '../streams/backoff.js', false],
  ['lib/api', '../pack/pack.js', false],
  ['lib/api', '../model/errors.js', true],
  ['lib/streams', '../pack/pack.js', false],
  ['lib/streams', '../node/config.js', false],
  ['lib/streams', '../model/errors.js', true],
  ['lib/streams', '../api/flyte-api.js', true],
  ['lib/pack', '../node/config.js', false],
  ['lib/pack', '../testing/test-pack.js', false],
  ['lib/pack', '../streams/polling.js', true],
  ['lib/node', '../pack/pack.js', true],
  ['lib/testing', '../pack/pack.js', true],
  ['lib/model', 'node:fs', false],
];

const eslint = new ESLint();
const wrong = [];
for (const [folder, target, allowed] of cases) {
  const code = `import { x } from '${target}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: `${folder}/layer-check.ts` });
  const refused = result.messages.some((m) => m.ruleId === 'no-restricted-imports');
  if (refused === allowed) {
    wrong.push(
      `${folder} importing ${target}: ${refused ? 'refused' : 'accepted'}, expected ${allowed ? 'accepted' : 'refused'}`,
    );
  }
}
if (wrong.length) {
  console.error(`the layer rule in eslint.config.js is not enforced:\n  ${wrong.join('\n  ')}`);
  process.exit(1);
}
console.log(`layer rule: ${cases.length} imports checked (upward ones refused)`);
