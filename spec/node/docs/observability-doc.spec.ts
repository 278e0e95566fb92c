// docs/observability.md lists the metrics /metrics serves: every one packMetrics registers,
// with its type and labels, and no other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { packMetrics } from '../../../lib/node/pack-metrics.js';
import { packRig, rotaPack, rotaRetrieved } from '../../pack/pack-fixtures.js';

const DOC = readFileSync(join(__dirname, '../../../docs/observability.md'), 'utf8');

/** The rows of the metrics table: `| \`name\` | type | labels | meaning |`. */
function documented(): Record<string, { type: string; labels: string[] }> {
  const rows: Record<string, { type: string; labels: string[] }> = {};
  for (const [, name, type, labels] of DOC.matchAll(
    /^\| `(flyte_pack_[a-z_]+)` \| ([a-z]+) \| ([^|]*) \|/gm,
  )) {
    const names = [...labels!.matchAll(/`([a-z_]+)`/g)].map(([, label]) => label!);
    rows[name!] = { type: type!, labels: ['pack', ...names].sort() };
  }
  return rows;
}

describe('docs/observability.md', () => {
  it('documents every metric packMetrics registers, with its type and labels, and no other', async () => {
    const { pack } = packRig(() => rotaPack(() => ({ eventDef: rotaRetrieved, payload: '' })));
    const registry = new Registry();
    const subscription = packMetrics(pack, { registry, commands: ['Rota'] });
    const registered: Record<string, { type: string; labels: string[] }> = {};
    for (const metric of registry.getMetricsAsArray()) {
      const { name, type, labelNames } = metric as unknown as {
        name: string;
        type: string;
        labelNames: string[];
      };
      registered[name] = { type, labels: [...labelNames].sort() };
    }
    subscription.unsubscribe();
    expect(Object.keys(registered).length).toBeGreaterThan(15);
    expect(documented()).toEqual(registered);
  });
});
