// flyte-client/testing resolves to node.ts in Node and index.ts in browsers: Node users must
// get every browser-safe export too, plus the fake server.
import * as browserKit from '../../../lib/testing/index.js';
import * as nodeKit from '../../../lib/testing/node.js';

describe('the testing entry points', () => {
  it('node.ts re-exports everything index.ts exports, plus FakeFlyteServer', () => {
    const missing = Object.keys(browserKit).filter((name) => !(name in nodeKit));
    expect(missing).withContext('add these to lib/testing/node.ts').toEqual([]);
    expect(typeof nodeKit.FakeFlyteServer).toBe('function');
    expect('FakeFlyteServer' in browserKit).toBeFalse();
  });

  it('node.ts adds the fake server and its options to index.ts, nothing else', () => {
    const added = Object.keys(nodeKit).filter((name) => !(name in browserKit));
    expect(added).toEqual(['FakeFlyteServer']);
  });
});
