import type { Agent as HttpAgent, AgentOptions, ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * How long a kept-alive connection may idle before it is closed, in ms, as Node's global agent.
 * Shorter than the idle timeouts servers and proxies commonly use, so that a request is never
 * sent on a connection the other side is closing.
 *
 * @example
 * const agent = keepAliveAgent(Agent, {}, IDLE_SOCKET_TIMEOUT_MS);
 */
export const IDLE_SOCKET_TIMEOUT_MS = 5000;

/**
 * An agent that keeps connections alive and reuses the most recently used first, and closes a
 * connection once it has idled for `idleTimeout` (or for the shorter keep-alive timeout the
 * server announced, less a second, as Node does).
 *
 * Unlike a plain agent given `timeout`, it disarms the timer while a connection carries a
 * request: an armed socket timer is refreshed at every read and write, which would cost each
 * request a timer refresh per chunk although the exchange has a timeout of its own. Node arms
 * it again when the connection is free.
 *
 * @param Agent - `http.Agent` or `https.Agent`.
 * @param options - the agent's other options (TLS ones for https).
 * @param idleTimeout - the longest idle, in ms.
 * @returns the agent.
 * @example
 * import { Agent } from 'node:https';
 * const agent = keepAliveAgent(Agent, { rejectUnauthorized: false });
 */
export function keepAliveAgent<O extends AgentOptions, A extends HttpAgent>(
  Agent: new (options: O) => A,
  options: NoInfer<Omit<O, 'keepAlive' | 'scheduling' | 'timeout'>>,
  idleTimeout: number = IDLE_SOCKET_TIMEOUT_MS,
): A {
  const agent = new Agent({
    ...options,
    keepAlive: true,
    scheduling: 'lifo',
    timeout: idleTimeout,
  } as O);
  // A new connection starts carrying its first request: no timer yet.
  const connect = (agent as unknown as Connecting).createConnection.bind(agent);
  (agent as unknown as Connecting).createConnection = (connection, callback) =>
    connect({ ...connection, timeout: undefined }, callback);
  // Node's own version, as documented for overriding: it refs the socket again.
  const reuse = agent.reuseSocket.bind(agent);
  agent.reuseSocket = (socket: Duplex, request: ClientRequest): void => {
    (socket as Socket).setTimeout(0);
    reuse(socket, request);
  };
  return agent;
}

/** `createConnection` of an agent (Node's, not in its typings). */
interface Connecting {
  createConnection(
    options: Record<string, unknown>,
    callback: (error: Error | null, socket?: Duplex) => void,
  ): Duplex | undefined;
}
