// docs/fake-server.md's "whole round trip by hand", run as written (bash + curl + jq) against a
// fake server whose action ids no longer start at 1, so the text cannot rot.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';

const DOC = join(__dirname, '../../../docs/fake-server.md');

/** The first ```sh block after `marker` in the doc. */
function shellBlockAfter(marker: string): string {
  const text = readFileSync(DOC, 'utf8');
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`docs/fake-server.md has no "${marker}"`);
  const block = text.slice(at).match(/```sh\n([\s\S]*?)```/);
  if (!block) throw new Error(`no sh block after "${marker}"`);
  return block[1]!;
}

/** How long the walk-through's shell block (curl against a loopback server) may run. */
const SCRIPT_LIMIT_MS = 20_000;

function bash(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'bash',
      ['-euo', 'pipefail', '-c', script],
      { env: { ...process.env, ...env }, timeout: SCRIPT_LIMIT_MS },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

describe('docs/fake-server.md walk-through', () => {
  const server = new FakeFlyteServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());

  it(
    'completes the action it created, whatever id the server gave it',
    async () => {
      server.enqueueAction({ packName: 'Other', command: 'Other' });
      server.reset(); // ids are never reused: the walk-through's action is not action-1
      const out = await bash(shellBlockAfter('A whole round trip by hand'), { F: server.url });
      const [action] = server.actions();
      expect(action?.id).not.toBe('action-1');
      expect(action?.state).toBe('SUCCESS');
      expect(action?.result?.payload).toBe('Ann');
      // the block ends by showing that action, as the server records it
      expect(out.trimEnd().endsWith(JSON.stringify(action))).toBeTrue();
    },
    SCRIPT_LIMIT_MS + 5_000,
  ); // the spec waits for the script's own end or its kill
});
