// The fake flyte server of the issue-11 bench, in a process of its own so that serving
// requests never competes with the pack for the pack's thread. Started by
// bench/fake-server-process.ts with `--store-latency-ms N --latency-ms N`; it reports its URL
// over IPC and then answers the parent's requests (see FakeServerRequest).
import { FakeFlyteServer } from '../lib/testing/fake-flyte-server.js';
import type { FakeServerReply, FakeServerRequest } from './fake-server-process.js';

const flag = (name: string): number => {
  const i = process.argv.indexOf(name);
  return i < 0 ? 0 : Number(process.argv[i + 1]);
};
const storeLatencyMs = flag('--store-latency-ms');
const latencyMs = flag('--latency-ms');
/** Wall-clock time in ms with sub-ms resolution, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

const server = new FakeFlyteServer({ host: '127.0.0.1', port: 0, storeLatencyMs, seed: 11 });
const applyFaults = () => {
  if (latencyMs > 0) server.setFaults({ latencyMs });
};

/** Actions with a result; counted at most once per turn of the event loop, while waited for. */
let results = 0;
const countResults = () => {
  results = server.actions().filter((a) => a.result).length;
};
let check: (() => void) | undefined;
let scheduled = false;
server.onChange(() => {
  if (!check || scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    check?.();
  });
});

function answer(req: FakeServerRequest): Promise<FakeServerReply> | FakeServerReply {
  switch (req.op) {
    case 'enqueue':
      for (let i = 0; i < req.count; i++)
        server.enqueueAction({ packName: req.packName, command: req.command, input: i });
      return { id: req.id, at: now(), value: req.count };
    case 'reset':
      server.reset();
      applyFaults();
      return { id: req.id, at: now(), value: 0 };
    case 'wait':
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          check = undefined;
          countResults();
          resolve({
            id: req.id,
            at: now(),
            value: results,
            error: `timed out after ${req.timeoutMs} ms`,
          });
        }, req.timeoutMs);
        check = () => {
          countResults();
          if (results < req.results) return;
          clearTimeout(timer);
          check = undefined;
          resolve({ id: req.id, at: now(), value: results });
        };
        check();
      });
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      return { id: req.id, at: now(), value: user + system };
    }
    case 'close':
      return server.close().then(() => ({ id: req.id, at: now(), value: 0 }));
  }
}

process.on('message', (req: FakeServerRequest) => {
  void Promise.resolve(answer(req)).then((reply) => {
    process.send?.(reply);
    if (req.op === 'close') process.disconnect();
  });
});
// The parent went away (bench done, watchdog, crash): do not outlive it.
process.on('disconnect', () => void server.close().then(() => process.exit(0)));

void server.start().then(() => {
  applyFaults();
  process.send?.({ id: 0, at: now(), value: 0, url: server.url } satisfies FakeServerReply);
});
