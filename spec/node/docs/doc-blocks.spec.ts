// scripts/check-doc-blocks.mjs, which `make typecheck` runs over README.md, CONTRIBUTING.md and
// docs/*.md: run here over documents written for the spec, each with one kind of mistake.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '../../../scripts/check-doc-blocks.mjs');
const F = '```';

describe('the documentation check (scripts/check-doc-blocks.mjs)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'doc-blocks-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the check over one document with `text`; its exit code and output. */
  function check(text: string): Promise<{ code: number; output: string }> {
    const doc = join(dir, 'doc.md');
    writeFileSync(doc, text);
    return new Promise((resolve) =>
      execFile(
        process.execPath,
        [SCRIPT, doc],
        { env: { ...process.env, DOC_BLOCKS_OUT: join(dir, 'out') }, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` }),
      ),
    );
  }

  it('passes blocks that type-check against the entry points, and leaves sh and text alone', async () => {
    const { code, output } = await check(
      [
        '<!-- doc-check: declare const name: string; -->',
        `${F}ts`,
        "import { fatalEvent } from 'flyte-client';",
        "import { testPackWith } from 'flyte-client/testing';",
        'export const failed = fatalEvent({ name }), kit = testPackWith;',
        F,
        `${F}sh`,
        'this is not code',
        F,
        `${F}text`,
        'nor this',
        F,
      ].join('\n'),
    );
    expect(output).toContain('1 TypeScript blocks type-check');
    expect(code).toBe(0);
  }, 60_000);

  it('names the document line of a type error, a file of the repository imported, and a block without a language', async () => {
    const { code, output } = await check(
      [
        '# a doc',
        `${F}ts`,
        "import { FakeFlyteServerControl } from '../../lib/testing/fake-flyte-server-control.js';",
        'const n: number = "one";',
        F,
        F,
        'what language is this?',
        F,
      ].join('\n'),
    );
    expect(code).toBe(1);
    expect(output).toMatch(/doc\.md:4: error TS2322/);
    expect(output).toContain("doc.md:2: imports '../../lib/testing/fake-flyte-server-control.js'");
    expect(output).toContain('doc.md:6: a code block without a language');
  }, 60_000);
});
