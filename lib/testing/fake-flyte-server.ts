import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveRequest } from './fake-flyte-server-pipeline.js';
import { FakeFlyteState } from './fake-flyte-state.js';
import type { FlyteModel } from './flyte-model.js';

/**
 * Options of a {@link FakeFlyteServer}.
 *
 * @example
 * new FakeFlyteServer({ port: 0, seed: 7 } satisfies FakeFlyteServerOptions);
 */
export interface FakeFlyteServerOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Port; 0 picks a free one (kept across {@link FakeFlyteServer.restart}). @default 0 */
  readonly port?: number;
  /** The state to serve; pass one with an injected clock to test `lastSeen`. @default a new FlyteModel */
  readonly model?: FlyteModel;
  /** Default seed of the fault PRNG. @default 1 */
  readonly seed?: number;
  /** Serve the API under this path (e.g. `/flyte`), as behind a prefix-aware proxy. @default '' */
  readonly pathPrefix?: string;
  /**
   * Time of one store operation, in ms. Above 0 a take reads, waits one operation and updates
   * only if the action is still NEW (else an empty 500: a lost race); a result reads, waits,
   * updates only if still PENDING, then waits one more for the flow's work. 0 keeps every
   * operation atomic. `setFaults({ storeLatencyMs })` overrides it while set. @default 0
   */
  readonly storeLatencyMs?: number;
  /** How injected latency and store operations wait; inject one to control it from a test. @default setTimeout */
  readonly delay?: (ms: number) => Promise<void>;
}

/**
 * A faithful fake of the flyte server over real HTTP (Node only), with a programmatic control
 * surface (this class) and an HTTP one (`/_fake/*`, see docs/fake-server.md).
 *
 * @example
 * const server = new FakeFlyteServer();
 * await server.start();
 * const action = server.enqueueAction({ packName: 'Slack', command: 'Send', input: 'hi' });
 * // ... run a pack against server.url ...
 * await server.waitForResults(1);
 * server.action(action.id)?.state; // 'SUCCESS'
 * await server.close();
 */
export class FakeFlyteServer extends FakeFlyteState {
  private readonly host: string;
  private readonly pathPrefix: string;
  private readonly delay: (ms: number) => Promise<void>;
  private server?: Server;
  private boundPort: number;
  private closing = new AbortController();

  /** @param options - see {@link FakeFlyteServerOptions}. */
  constructor(options: FakeFlyteServerOptions = {}) {
    super(options);
    this.host = options.host ?? '127.0.0.1';
    this.boundPort = options.port ?? 0;
    this.pathPrefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
    this.delay = options.delay ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * The base URL to give a client, e.g. `http://127.0.0.1:41234` (plus the path prefix).
   * Still valid while closed after a first start, so a spec can watch a client fail and recover.
   */
  get url(): string {
    if (!this.server && this.boundPort === 0)
      throw new Error('the fake flyte server is not started: await start() first');
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}${this.pathPrefix}`;
  }

  /** The port listened on (0 before the first start when none was given). */
  get port(): number {
    return this.boundPort;
  }

  /** Starts listening (on the same port as before, after a close). */
  async start(): Promise<void> {
    if (this.server) return;
    this.closing = new AbortController();
    const server = createServer((req, res) => {
      serveRequest(req, res, {
        control: this,
        pathPrefix: this.pathPrefix,
        healthy: () => this.healthy,
        token: () => this.token,
        faults: this.faults,
        log: this.log,
        delay: this.delay,
        storeLatencyMs: () => this.storeLatencyMs(),
        closing: this.closing.signal,
        now: () => new Date().toISOString(),
      }).catch((e: unknown) => {
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end(String(e));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Like flyte's Go server, no idle timeout: clients close idle connections first, so none
    // reuses a connection the server is closing at that moment (a spurious ECONNRESET).
    server.keepAliveTimeout = 0;
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  /** Stops listening and destroys every connection (keep-alive, in-flight, hung), so the process can exit. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.closing.abort();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    // One more turn of the event loop lets in-process clients see their pooled sockets close,
    // so the first request after a restart opens a fresh connection instead of failing.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Closes and listens again on the same port; state, faults and auth are kept. */
  async restart(): Promise<void> {
    await this.close();
    await this.start();
  }
}
