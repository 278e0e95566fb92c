// A loopback HTTP/1.1 server that answers with raw bytes, so that specs can send what a
// well-behaved server never would: a body cut off mid-way, a 204 that carries a body, headers
// followed by silence. It parses just enough of each request (headers, a Content-Length body).
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** One request as the raw server read it. */
export interface RawRequest {
  /** 0 for the first request the server read, 1 for the next, ... */
  readonly index: number;
  readonly method: string;
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The connection it came on: 0 for the first connection the server accepted, ... */
  readonly connection: number;
}

/** Answers one request by writing to (and perhaps ending or destroying) the socket. */
export type RawAnswer = (request: RawRequest, socket: Socket) => void;

/** A raw server listening on 127.0.0.1. */
export interface RawHttpServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every request read so far. */
  readonly requests: RawRequest[];
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A well-formed answer: the status line, the headers (Content-Length added), the body.
 *
 * @example
 * socket.write(rawAnswer(200, '{"links":[]}', { 'Content-Type': 'application/json' }));
 */
export function rawAnswer(
  status: number,
  body = '',
  headers: Readonly<Record<string, string>> = {},
): string {
  const lines = Object.entries({ 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  return `HTTP/1.1 ${status} X\r\n${lines.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`;
}

/**
 * Starts a raw server whose every request is answered by `answer`.
 *
 * @example
 * const server = await rawHttpServer((req, socket) => socket.write(rawAnswer(204)));
 */
export async function rawHttpServer(answer: RawAnswer): Promise<RawHttpServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    const connection = connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [start = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = buffer.subarray(end + 4, end + 4 + length).toString();
        buffer = buffer.subarray(end + 4 + length);
        const [method = '', path = ''] = start.split(' ');
        const request = { index: requests.length, method, path, headers, body, connection };
        requests.push(request);
        answer(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
