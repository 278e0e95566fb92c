// Type-checks every TypeScript code block of the Markdown documentation (README.md,
// CONTRIBUTING.md, docs/*.md) against the package's entry points, so a sample cannot rot.
//
// The rules, for any document, whoever writes it:
// - every fenced block names its language: ```ts is code and is type-checked; ```sh, ```text,
//   ```json, ```yaml, ... are not code and are left alone; a block without a language is refused,
//   and so is ```js (write it as ts);
// - a ts block imports only the package's entry points (flyte-client, flyte-client/streams,
//   flyte-client/node and its /winston and /metrics, flyte-client/testing), installed packages
//   and Node built-ins; never a
//   file of this repository;
// - each block is a module of its own. Names a snippet takes from the prose around it are
//   declared in an HTML comment just before the block, which readers do not see:
//     <!-- doc-check: declare const pack: Pack; -->
//   (its imports come from the package too);
// - a block marked `<!-- <kind>: <path> -->` (the README's Getting started) is written at that
//   path beside the other blocks of that kind in that document, so relative imports between
//   them resolve, as in the project they make.
//
// Usage: node scripts/check-doc-blocks.mjs [file.md ...]   (default: every document)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.env.DOC_BLOCKS_OUT ?? join(root, '.tmp', 'doc-blocks');
const CHECKED = new Set(['ts', 'typescript']);
const REFUSED = new Map([
  ['js', 'write it as ```ts, so that it is type-checked'],
  ['javascript', 'write it as ```ts, so that it is type-checked'],
  ['', 'name its language: ```ts (type-checked) or ```sh, ```text, ```json ... (not code)'],
]);
const ENTRY_POINTS = {
  'flyte-client': 'lib/index.ts',
  'flyte-client/streams': 'lib/streams/index.ts',
  'flyte-client/node': 'lib/node/index.ts',
  'flyte-client/node/winston': 'lib/node/winston.ts',
  'flyte-client/node/metrics': 'lib/node/metrics.ts',
  'flyte-client/testing': 'lib/testing/node.ts',
};

const documents = process.argv.slice(2).length
  ? process.argv.slice(2).map((file) => relative(root, resolve(file)))
  : [
      ...['README.md', 'CONTRIBUTING.md'].filter((file) => existsSync(join(root, file))),
      ...readdirSync(join(root, 'docs'))
        .filter((file) => file.endsWith('.md'))
        .sort()
        .map((file) => `docs/${file}`),
    ];

/** The fenced blocks of a Markdown text, with their language, first line and marker comments. */
function blocksOf(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)(.*)$/);
    // CommonMark: a backtick fence's info string has no backtick (else it is inline code)
    if (!open || (open[2][0] === '`' && open[4].includes('`'))) continue;
    const [, , fence, lang] = open;
    let end = i + 1;
    while (
      end < lines.length &&
      !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[end])
    )
      end++;
    const before = lines.slice(0, i).join('\n').trimEnd();
    const at = before.lastIndexOf('<!-- doc-check:');
    const comment = at >= 0 && before.endsWith('-->') ? before.slice(at + 15, -3) : undefined;
    const declared = comment !== undefined && !comment.includes('-->') ? comment : undefined;
    const marked = before.match(/<!-- ([\w-]+): (\S+) -->$/);
    blocks.push({
      lang: lang.toLowerCase(),
      line: i + 2, // the block's first line of code, 1-based
      code: lines.slice(i + 1, end).join('\n'),
      preamble: declared ? declared.trim() : '',
      ...(marked && marked[1] !== 'doc-check' && { kind: marked[1], path: marked[2] }),
    });
    i = end;
  }
  return blocks;
}

const problems = [];
const written = []; // { file, doc, line, preambleLines }
rmSync(out, { recursive: true, force: true });
for (const doc of documents) {
  const slug = doc.replace(/[^\w]+/g, '-');
  for (const block of blocksOf(readFileSync(join(root, doc), 'utf8'))) {
    const where = `${doc}:${block.line - 1}`;
    if (REFUSED.has(block.lang)) {
      problems.push(
        `${where}: a code block ${block.lang ? `in ${block.lang}` : 'without a language'}: ${REFUSED.get(block.lang)}`,
      );
      continue;
    }
    if (!CHECKED.has(block.lang)) continue;
    const dir = block.kind ? join(out, slug, block.kind) : join(out, slug);
    const file = block.kind ? join(dir, normalize(block.path)) : join(dir, `line-${block.line}.ts`);
    if (!file.startsWith(dir)) {
      problems.push(`${where}: ${block.path} leaves its project`);
      continue;
    }
    for (const [, specifier] of `${block.preamble}\n${block.code}`.matchAll(
      /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g,
    )) {
      const relativeImport = specifier.startsWith('.');
      const outside = relativeImport && !resolve(dirname(file), specifier).startsWith(dir);
      if ((relativeImport && !block.kind) || outside || /(^|\/)lib\//.test(specifier)) {
        problems.push(
          `${where}: imports '${specifier}'; import the package's entry points (${Object.keys(ENTRY_POINTS).join(', ')}) instead`,
        );
      }
    }
    mkdirSync(dirname(file), { recursive: true });
    const preamble = block.preamble ? `${block.preamble}\n` : '';
    writeFileSync(file, `${preamble}${block.code}\nexport {};\n`);
    written.push({ file, doc, line: block.line, preambleLines: preamble.split('\n').length - 1 });
  }
}

if (written.length) {
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          module: 'preserve',
          moduleResolution: 'bundler',
          strict: true,
          skipLibCheck: true,
          esModuleInterop: true,
          noEmit: true,
          types: ['node', 'jasmine'], // doc specs are written for jasmine, as this repository's
          typeRoots: [join(root, 'node_modules/@types')],
          paths: Object.fromEntries(
            Object.entries(ENTRY_POINTS).map(([name, path]) => [name, [join(root, path)]]),
          ),
        },
        files: written.map(({ file }) => file),
      },
      null,
      2,
    ),
  );
  try {
    execFileSync(
      join(root, 'node_modules/.bin/tsc'),
      ['-p', join(out, 'tsconfig.json'), '--pretty', 'false'],
      {
        cwd: out,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (e) {
    const byFile = new Map(written.map((w) => [w.file, w]));
    for (const line of `${e.stdout ?? ''}${e.stderr ?? ''}`.split('\n').filter(Boolean)) {
      const m = line.match(/^(.+?)\((\d+),(\d+)\): (.*)$/);
      const w = m && byFile.get(resolve(out, m[1]));
      if (!w) {
        problems.push(line);
        continue;
      }
      const codeLine = Number(m[2]) - w.preambleLines;
      problems.push(
        codeLine >= 1
          ? `${w.doc}:${w.line + codeLine - 1}: ${m[4]}`
          : `${w.doc}:${w.line - 1} (its doc-check comment): ${m[4]}`,
      );
    }
  }
}

if (problems.length) {
  console.error(`Code blocks of the documentation:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `documentation: ${written.length} TypeScript blocks type-check in ${documents.length} documents`,
);
