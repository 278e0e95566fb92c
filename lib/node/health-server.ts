import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlyteError } from '../model/errors.js';
import { silentLogger, type Logger } from '../model/logger.js';
import { DEFAULT_HEALTH_HOST, DEFAULT_HEALTH_PORT } from './config.js';
import { DEFAULT_CHECK_TIMEOUT, type HealthCheck, healthJsonReplacer } from './health-check.js';
import { DEFAULT_ANSWER_WITHIN, LastAnswers } from './last-answers.js';
import { answerKindOf, countsFor, probeVerdict } from './probe-verdict.js';
import { redact } from '../model/redact.js';
import { redactValue } from './redact-value.js';
import { type Secrets, secretsNow } from './secrets.js';

/**
 * Options of {@link startHealthServer}.
 *
 * @example
 * const options: HealthServerOptions = { checks: [defaultHealthCheck()], host: '127.0.0.1', port: 0 };
 */
export interface HealthServerOptions {
  /** The checks run on every request; names must be unique. */
  readonly checks: readonly HealthCheck[];
  /** Address to listen on. @default '0.0.0.0' */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (see `port` on the result). @default 8090 */
  readonly port?: number;
  /** Timeout of checks without their own, in ms. @default 5000 */
  readonly checkTimeout?: number;
  /**
   * The longest an answer waits for its checks, in ms; a check still running then is shown
   * with its last outcome and goes on in the background. @default 500
   */
  readonly answerWithin?: number;
  /**
   * While it returns true, unhealthy answers are not logged: they are expected (a graceful
   * stop in progress, say). @default () => false
   */
  readonly quiet?: () => boolean;
  /** Values removed from every answer (the endpoint is unauthenticated); read per answer. @default [] */
  readonly secrets?: Secrets;
  /** @default silentLogger */
  readonly logger?: Logger;
  /**
   * Served at `GET /metrics` (a prom-client `Registry` is one, e.g. {@link "flyte-client/node/metrics".packMetrics}'s);
   * without it, `/metrics` is not found.
   */
  readonly metrics?: MetricsSource;
}

/**
 * What `GET /metrics` serves: Prometheus text and its content type. A prom-client
 * `Registry` is one.
 *
 * @example
 * const metrics: MetricsSource = packMetrics(pack).registry;
 */
export interface MetricsSource {
  /** The content type of the text, e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  /**
   * The metrics now, in the Prometheus text format.
   *
   * @returns the text.
   */
  metrics(): Promise<string>;
}

/**
 * A running health server.
 *
 * @example
 * const server = await startHealthServer({ checks, port: 0 });
 * console.log(server.url); // http://127.0.0.1:41234
 * await server.close();
 */
export interface HealthServer {
  /** A URL that reaches the server from this machine (loopback when listening on all interfaces). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

function localUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Serves the pack's health checks over HTTP, like the Go flyte client: `GET /` and
 * `GET /health` answer every check, 200 when all critical checks are healthy, 500
 * otherwise, with the JSON body `{ "<name>": { "healthy": bool, "status": any } }`.
 * `GET /livez` and `GET /readyz` answer the same way for the checks of that probe
 * ({@link HealthCheck.probes}), with 503 when unhealthy. No answer waits more than
 * `answerWithin` for a check: a slow one is shown with its last outcome (concurrent answers
 * share one run of each check). With `metrics`, `GET /metrics` answers them in the
 * Prometheus text format.
 *
 * @param options - the checks, address and timeouts.
 * @returns the running server, once it listens.
 * @throws {FlyteError} when the address cannot be listened on (e.g. the port is taken).
 * @example
 * const server = await startHealthServer({ checks: [{ name: 'Db', check: () => ({ healthy: true, status: 'up' }) }] });
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { checks, host = DEFAULT_HEALTH_HOST, port = DEFAULT_HEALTH_PORT } = options;
  const logger = options.logger ?? silentLogger;
  const names = checks.map((c) => c.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0)
    throw new FlyteError(`health check names repeat: ${repeated.join(', ')}`);

  const answers = new LastAnswers(options.checkTimeout ?? DEFAULT_CHECK_TIMEOUT);
  const answerWithin = options.answerWithin ?? DEFAULT_ANSWER_WITHIN;
  const quiet = options.quiet ?? (() => false);
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const metrics = path === '/metrics' ? options.metrics : undefined;
    const kind = answerKindOf(path);
    if (!kind && !metrics) return send(res, 404, { error: `no such path: ${path}` });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, { error: `method ${req.method} not allowed` });
    }
    if (metrics) return sendMetrics(res, metrics, req.method === 'HEAD');
    if (!kind) return; // the 404 above answered it
    const outcomes = await answers.of(
      checks.filter((c) => countsFor(kind, c)),
      answerWithin,
    );
    const { healthy, code, report } = probeVerdict(kind, outcomes);
    if (!healthy && !quiet())
      logger.warn('health check failed', {
        path,
        report: redactValue(report, secretsNow(secrets)),
      });
    send(res, code, report, req.method === 'HEAD');
  };
  const secrets = options.secrets ?? [];
  const send = (res: ServerResponse, status: number, body: unknown, headOnly = false): void => {
    const text = JSON.stringify(redactValue(body, secretsNow(secrets)), healthJsonReplacer);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    });
    res.end(headOnly ? undefined : text);
  };

  const sendMetrics = async (
    res: ServerResponse,
    metrics: MetricsSource,
    headOnly: boolean,
  ): Promise<void> => {
    const text = redact(await metrics.metrics(), secretsNow(secrets));
    res.writeHead(200, {
      'Content-Type': metrics.contentType,
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    });
    res.end(headOnly ? undefined : text);
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((e: unknown) => {
      logger.error('health endpoint failed', { error: redactValue(e, secretsNow(secrets)) });
      if (!res.headersSent) send(res, 500, { error: 'health endpoint failed' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: Error) =>
      reject(
        new FlyteError(`health server cannot listen on ${host}:${port}: ${e.message}`, {
          cause: e,
        }),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  server.on('error', (e: Error) => logger.error('health server error', { error: e.message }));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: localUrl(host, bound),
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
