// Issue 22: a Node pack whose API goes over node:http never loads node-fetch (whose punycode
// dependency prints a deprecation warning on Node >= 21, and whose streams cost per request).
// Checked in a fresh process: this one has loaded node-fetch for other specs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FIXTURE = 'spec/node/api/loaded-fetch-modules.ts';

/** The fetch packages a fresh process has loaded after one request of the API `how` builds. */
async function loadedAfterDiscover(how: 'runPack' | 'core'): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', FIXTURE, how], {
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as string[];
}

describe('node-fetch in a Node pack (fresh process)', () => {
  it('is never loaded by the API runPack builds', async () => {
    expect(await loadedAfterDiscover('runPack')).toEqual([]);
  }, 60_000);

  it('is loaded by the core HttpFlyteApi (cross-fetch), which shows the check can see it', async () => {
    expect(await loadedAfterDiscover('core')).toEqual(['cross-fetch', 'node-fetch']);
  }, 60_000);
});
