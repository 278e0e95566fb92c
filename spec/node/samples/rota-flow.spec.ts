import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rotaPack } from '../../../samples/rota-pack/pack.js';

/** The steps of flow.yaml that name the page-of-duty pack: `event` or `command` blocks and the name they use. */
function packReferences(yaml: string, packName: string): { kind: string; name: string }[] {
  const block = new RegExp(
    `(event|command):\\s*\\n\\s*packName:\\s*${packName}\\s*\\n\\s*name:\\s*(\\S+)`,
    'g',
  );
  return [...yaml.matchAll(block)].map((m) => ({ kind: m[1]!, name: m[2]! }));
}

describe('samples/rota-pack/flow.yaml', () => {
  const yaml = readFileSync(join(__dirname, '../../../samples/rota-pack/flow.yaml'), 'utf8');
  const def = rotaPack();

  it('triggers the pack with a command it registers and reacts to events it can produce', () => {
    const refs = packReferences(yaml, def.name);
    const commands = (def.commands ?? []).map((c) => c.name);
    const events = (def.commands ?? []).flatMap((c) => c.outputEvents.map((e) => e.name));
    expect(refs.filter((r) => r.kind === 'command').map((r) => r.name)).toEqual(['Rota']);
    expect(refs.filter((r) => r.kind === 'event').map((r) => r.name)).toEqual([
      'RotaRetrieved',
      'Error',
    ]);
    for (const ref of refs) {
      expect(ref.kind === 'command' ? commands : events).toContain(ref.name);
    }
  });

  it('has the fields flyte requires of a flow', () => {
    expect(yaml).toMatch(/^name: \S+/m);
    expect(yaml).toMatch(/^steps:/m);
  });
});
