// The parent's handle on bench/fake-server-child.ts: the fake flyte server in a child process,
// driven over IPC (bulk enqueue, reset, wait for results) and over HTTP (`/_fake/stats`).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EndpointStats, FaultEndpoint } from '../lib/testing/fake-http-types.js';
import { FakeFlyteServerControl } from '../lib/testing/fake-flyte-server-control.js';

/**
 * What the parent asks the child.
 *
 * @example
 * child.send({ id: 1, op: 'enqueue', packName: 'rota-bench', command: 'Rota', count: 1000 });
 */
export type FakeServerRequest =
  | { id: number; op: 'enqueue'; packName: string; command: string; count: number }
  | { id: number; op: 'reset' }
  | { id: number; op: 'wait'; results: number; timeoutMs: number }
  | { id: number; op: 'cpu' }
  | { id: number; op: 'close' };

/**
 * What the child answers: `at` is its wall-clock time (ms, sub-ms resolution) when done.
 *
 * @example
 * const reply: FakeServerReply = { id: 1, at: wallClock(), value: 1000 };
 */
export interface FakeServerReply {
  readonly id: number;
  readonly at: number;
  readonly value: number;
  readonly error?: string;
  readonly url?: string;
}

type Pending = { resolve: (r: FakeServerReply) => void; reject: (e: Error) => void };
type RequestBody<R> = R extends { id: number } ? Omit<R, 'id'> : never;

/**
 * The fake flyte server running in a child process.
 *
 * @example
 * const server = await FakeServerProcess.start({ storeLatencyMs: 1, latencyMs: 1 });
 * await server.enqueue('rota-bench', 'Rota', 1000);
 * await server.waitForResults(1000, 60_000);
 * await server.close();
 */
export class FakeServerProcess {
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly control: FakeFlyteServerControl;

  /** @param child - the forked child, listening at `url`. */

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.control = new FakeFlyteServerControl(url);
    child.on('message', (reply: FakeServerReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!p) return;
      if (reply.error) p.reject(new Error(`fake server: ${reply.error} (at ${reply.value})`));
      else p.resolve(reply);
    });
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`fake server exited (${code})`));
      this.pending.clear();
    });
  }

  /** Forks the child and waits until it listens. */
  static async start(options: {
    storeLatencyMs: number;
    latencyMs: number;
  }): Promise<FakeServerProcess> {
    const child = fork(
      fileURLToPath(new URL('./fake-server-child.ts', import.meta.url)),
      [
        '--store-latency-ms',
        String(options.storeLatencyMs),
        '--latency-ms',
        String(options.latencyMs),
      ],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    // Never outlive the bench, whatever ends it.
    process.once('exit', () => child.kill());
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: FakeServerReply) => resolve(m.url!));
      child.once('exit', (code) =>
        reject(new Error(`fake server exited (${code}) before listening`)),
      );
    });
    return new FakeServerProcess(child, url);
  }

  private ask(request: RequestBody<FakeServerRequest>): Promise<FakeServerReply> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...request, id });
    });
  }

  /** Enqueues `count` actions; resolves with the child's clock when they are queued. */
  async enqueue(packName: string, command: string, count: number): Promise<number> {
    return (await this.ask({ op: 'enqueue', packName, command, count })).at;
  }

  /** Forgets everything (actions, packs, request log) and sets the latency again. */
  async reset(): Promise<void> {
    await this.ask({ op: 'reset' });
  }

  /** Resolves with the child's clock once `n` actions have a result; rejects after `timeoutMs`. */
  async waitForResults(n: number, timeoutMs: number): Promise<number> {
    return (await this.ask({ op: 'wait', results: n, timeoutMs })).at;
  }

  /** The server process's CPU time so far (user + system), in µs. */
  async cpuUs(): Promise<number> {
    return (await this.ask({ op: 'cpu' })).value;
  }

  /** `GET /_fake/stats`: per endpoint, requests, statuses and races. */
  stats(): Promise<Partial<Record<FaultEndpoint, EndpointStats>>> {
    return this.control.stats();
  }

  /** Closes the server and ends the child. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.ask({ op: 'close' }).catch(() => undefined);
    await exited;
  }
}

/**
 * Wall-clock time in ms with sub-ms resolution, comparable with the child's `at`.
 *
 * @example
 * const pickup = wallClock() - (await server.enqueue('rota-bench', 'Rota', 1));
 */
export const wallClock = (): number => performance.timeOrigin + performance.now();
