// The fake server's request printer, against a real server: a line per answered request,
// once, read from the log's tail only.
import { printRequests } from '../../../lib/cli/print-requests.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { register, take } from '../testing/fake-server-helpers.js';

describe('printRequests', () => {
  let delays: Array<() => void>;
  let onDelay: () => void;
  let server: FakeFlyteServer;
  let lines: string[];
  let stop: () => void;

  beforeEach(async () => {
    delays = [];
    onDelay = () => undefined;
    server = new FakeFlyteServer({
      storeLatencyMs: 1,
      delay: () =>
        new Promise<void>((release) => {
          delays.push(release);
          onDelay();
        }),
    });
    await server.start();
    lines = [];
    stop = printRequests(server, (line) => lines.push(line));
  });
  afterEach(async () => {
    stop();
    delays.splice(0).forEach((release) => release());
    await server.close();
  });

  const released = async <T>(pending: Promise<T>): Promise<T> => {
    onDelay = () => delays.splice(0).forEach((release) => release());
    onDelay();
    return pending;
  };
  /** Registers, then sends a take of a queued action that waits on the store until released. */
  const takeHeldOnTheStore = async () => {
    const { pack } = await released(register(server.url));
    server.enqueueAction({ packName: 'Slack', command: 'Rota' });
    onDelay = () => undefined;
    const held = take(pack);
    await new Promise<void>((resolve) => (onDelay = resolve));
    return { held }; // wrapped: an async function returning the take would wait for it
  };
  const paths = () => lines.map((l) => / ((?:GET|POST) \S+ -> \S+)/.exec(l)![1]);

  it('prints each answered request once, in the order of the answers', async () => {
    const { pack } = await released(register(server.url));
    await released(take(pack));
    expect(paths()).toEqual([
      'GET /v1 -> 200',
      'POST /v1/packs -> 201',
      'POST /v1/packs/Slack.env.prod/actions/take -> 204',
    ]);
  });

  it('prints a request answered after later ones once it is answered, and reads past it then', async () => {
    const { held } = await takeHeldOnTheStore();
    await fetch(`${server.url}/v1`); // answered while the take is in flight
    expect(paths().slice(-1)).toEqual(['GET /v1 -> 200']);
    const reads = spyOn(server, 'requestsAfter').and.callThrough();
    await released(held);
    expect(paths().slice(-1)).toEqual(['POST /v1/packs/Slack.env.prod/actions/take -> 200']);
    // Printed so far: 4 requests; the reads began at the take in flight (seq 2 was the last
    // before it) and, once it was printed, past every request.
    expect(reads.calls.allArgs().map(([seq]) => seq)).toContain(2);
    await fetch(`${server.url}/v1`);
    expect(reads.calls.mostRecent().args).toEqual([4]);
    expect(paths()).toHaveSize(5);
  });

  it('goes on after the log is cleared, with a request of the old log still in flight', async () => {
    const { held } = await takeHeldOnTheStore();
    server.clearRequests();
    await fetch(`${server.url}/v1`);
    await released(held);
    await fetch(`${server.url}/v1`);
    expect(paths()).toEqual([
      'GET /v1 -> 200',
      'POST /v1/packs -> 201',
      'GET /v1 -> 200',
      'GET /v1 -> 200',
    ]);
  });
});
