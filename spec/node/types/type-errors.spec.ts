// The compiler's messages for the common mistakes of a pack author must say what is wrong in
// their FIRST line (editors and CI logs often show no more). Compiles the fixtures of
// spec/type-errors/ (left out of `make typecheck`, since they do not compile) with the
// project's compiler options, and compares the first line of each diagnostic with the
// `// error:` comment above its line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../../..');
const fixtures = join(root, 'spec/type-errors');

/** `line: first line of the message` of every diagnostic, and of every expectation. */
function compile(): { actual: string[]; expected: string[] } {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const files = readdirSync(fixtures)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(fixtures, f));
  const program = ts.createProgram(files, { ...options, noUnusedLocals: false });
  const actual = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName.slice(fixtures.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : '?';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`;
  });
  const expected = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i, lines) => {
        const match = /^\s*\/\/ error: (.*)$/.exec(line);
        if (!match) return [];
        // Several comments may stack above one line: they are about the first line below them.
        let target = i + 1;
        while (/^\s*\/\//.test(lines[target] ?? '')) target += 1;
        return [`${file.slice(fixtures.length + 1)}:${target + 1}: ${match[1]}`];
      }),
  );
  return { actual, expected };
}

describe('type errors of the common mistakes', () => {
  it('say what is wrong in their first line', () => {
    const { actual, expected } = compile();
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  }, 120_000);
});
