// docs/tracing.md lists the attributes the spans carry: every one the pack sets, and no other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPAN_ATTRIBUTES } from '../../../lib/pack/pack-tracing.js';

const DOC = readFileSync(join(__dirname, '../../../docs/tracing.md'), 'utf8');

describe('docs/tracing.md', () => {
  it('documents every span attribute, and only those', () => {
    const documented = new Set(
      [...DOC.matchAll(/^\| `(flyte\.[a-z_.]+)`/gm)].map(([, name]) => name),
    );
    expect([...documented].sort()).toEqual([...new Set(Object.values(SPAN_ATTRIBUTES))].sort());
  });
});
