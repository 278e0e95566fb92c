// Writes the fenced blocks of a Markdown file that are marked `<!-- <kind>: <path> -->` (the
// line before the opening fence) to <out dir>/<path>, exactly as written, and lists them.
// Usage: node scripts/readme-files.mjs README.md getting-started /tmp/project
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';

const [doc, kind, outDir] = process.argv.slice(2);
if (!doc || !kind || !outDir) {
  console.error('usage: node scripts/readme-files.mjs <markdown file> <kind> <out dir>');
  process.exit(2);
}
const text = readFileSync(doc, 'utf8');
const marker = new RegExp(
  `<!-- ${kind}: (\\S+) -->\\n(\`{3,})[^\\n]*\\n([\\s\\S]*?)\\n\\2\\n`,
  'g',
);
const written = new Set();
for (const [, path, , body] of text.matchAll(marker)) {
  const file = normalize(path);
  if (isAbsolute(file) || file.startsWith('..'))
    throw new Error(`${doc}: ${path} leaves the project`);
  if (written.has(file)) throw new Error(`${doc}: two blocks are marked ${kind}: ${path}`);
  written.add(file);
  mkdirSync(dirname(join(outDir, file)), { recursive: true });
  writeFileSync(join(outDir, file), `${body}\n`);
}
const markers = text.split(`<!-- ${kind}: `).length - 1;
if (markers === 0) throw new Error(`${doc} has no block marked <!-- ${kind}: <path> -->`);
if (markers !== written.size) {
  throw new Error(
    `${doc}: ${markers - written.size} "${kind}" marker(s) not followed by a fenced block`,
  );
}
console.log([...written].join('\n'));
