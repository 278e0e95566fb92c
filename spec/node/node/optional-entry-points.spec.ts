// The entry points that carry an optional dependency each (winston, prom-client), and the
// runtime's entry without them: these lists change only on purpose.
import * as metrics from '../../../lib/node/metrics.js';
import * as node from '../../../lib/node/index.js';
import * as winston from '../../../lib/node/winston.js';

describe('the optional entry points of the Node runtime', () => {
  it('flyte-client/node/winston exports the winston logger and its redacting format', () => {
    expect(Object.keys(winston).sort()).toEqual(['createLogger', 'redactFormat']);
  });

  it('flyte-client/node/metrics exports packMetrics', () => {
    expect(Object.keys(metrics)).toEqual(['packMetrics']);
  });

  it('flyte-client/node exports neither, so importing it loads neither package', () => {
    expect(Object.keys(node)).not.toContain('createLogger');
    expect(Object.keys(node)).not.toContain('redactFormat');
    expect(Object.keys(node)).not.toContain('packMetrics');
  });
});
