// docs/guarantees.md's table, checked against the specs it names: every row names at least one
// spec, every spec letter is defined, and every quoted spec title starts a title that exists in
// that file (… stands for any text), so the table cannot point at a spec that is gone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const DOC = readFileSync(join(ROOT, 'docs/guarantees.md'), 'utf8');

/** The spec files the doc defines: `X` = `spec/...`. */
function letters(): Map<string, string> {
  const defined = new Map<string, string>();
  for (const [, letter, path] of DOC.matchAll(/`([A-Z]{1,2})`\s*=\s*`(spec\/[^`]+)`/g))
    defined.set(letter!, path!);
  return defined;
}

/** The table's rows: the failure (first cell) and the spec cell (last). */
function rows(): { failure: string; specs: string }[] {
  return DOC.split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| failure') && !/^\|-/.test(line))
    .map((line) => line.split(' | '))
    .map((cells) => ({ failure: cells[0]!.slice(2), specs: cells.at(-1)!.replace(/ \|$/, '') }));
}

/** Every `it(` title of a spec file (the first string argument, quotes of any kind). */
function titles(path: string): string[] {
  const text = readFileSync(join(ROOT, path), 'utf8').replace(/\n\s*/g, ' ');
  return [...text.matchAll(/\bit\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)].map(([, , title]) =>
    title!.replace(/\\(.)/g, '$1'),
  );
}

/** Each reference of a spec cell: a letter and the titles quoted after it (none: the whole file). */
function references(cell: string): { letter: string; quoted: string[] }[] {
  return cell
    .split(/;\s*|,\s*(?=[A-Z]{1,2}\b)/)
    .map((part) => part.trim())
    .filter((part) => /^[A-Z]{1,2}\b/.test(part))
    .map((part) => ({
      letter: /^[A-Z]{1,2}/.exec(part)![0],
      quoted: [...part.matchAll(/"([^"]+)"/g)].map(([, title]) => title!),
    }));
}

/**
 * Whether a quoted title names `title`: it starts the title, and each `…` stands for any text
 * (the whole title, the `${...}` of a template title included).
 */
function matches(quoted: string, title: string): boolean {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = quoted
    .split('…')
    .map((part) => escape(part.trim()))
    .join('.*');
  return new RegExp(`^${pattern}`).test(title);
}

describe('docs/guarantees.md', () => {
  const defined = letters();

  it('names a spec for every failure of its table', () => {
    const table = rows();
    expect(table.length).toBeGreaterThan(15);
    for (const { failure, specs } of table)
      expect(references(specs).length).withContext(failure).toBeGreaterThan(0);
  });

  it('points every quoted title at a spec that exists in the file its letter names', () => {
    // Counted, so that a doc or a parser that finds nothing fails instead of passing empty.
    let letterChecks = 0;
    let titleChecks = 0;
    const table = rows();
    expect(table.length).toBeGreaterThan(15);
    for (const { failure, specs } of table) {
      for (const { letter, quoted } of references(specs)) {
        letterChecks += 1;
        const path = defined.get(letter);
        expect(path).withContext(`${failure}: spec letter ${letter}`).toBeDefined();
        if (!path) continue;
        const known = titles(path);
        expect(known.length).withContext(`${path} has it() titles`).toBeGreaterThan(0);
        for (const title of quoted) {
          titleChecks += 1;
          const found = known.some((t) => matches(title, t));
          expect(found).withContext(`${failure}: ${letter} "${title}" in ${path}`).toBeTrue();
        }
      }
    }
    expect(letterChecks).toBeGreaterThanOrEqual(table.length);
    expect(titleChecks).toBeGreaterThan(15);
  });
});
