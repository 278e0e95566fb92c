import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeResponse } from './fake-http-types.js';
import { errorResponse } from './fake-responses.js';

/** Largest request body the fake server reads. */
const BODY_LIMIT = 10 * 1024 * 1024;

/**
 * CORS headers on every answer (preflights included), so browser specs can call the fake.
 *
 * @example
 * res.writeHead(204, CORS_HEADERS);
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers':
    'Authorization, Content-Type, Accept, X-Forwarded-Host, X-Forwarded-Proto, X-Flyte-Host',
  'access-control-expose-headers': 'Location, WWW-Authenticate, Retry-After, Date',
  'access-control-max-age': '600',
};

/**
 * The request headers with lower-cased names, repeated ones joined by `, `.
 *
 * @example
 * headersOf(req).host; // '127.0.0.1:8080'
 */
export function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
  );
}

/**
 * Reads the whole request body as UTF-8 text.
 *
 * @returns the body, or a 413 response when it is larger than 10 MB.
 * @example
 * const body = await readBody(req);
 */
export function readBody(req: IncomingMessage): Promise<string | FakeResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        size > BODY_LIMIT
          ? errorResponse(413, 'the body is larger than 10 MB')
          : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    req.on('error', reject);
  });
}

/**
 * Writes a response with the CORS headers; does nothing when the connection is gone.
 *
 * @example
 * send(res, { status: 204 });
 */
export function send(res: ServerResponse, response: FakeResponse): void {
  if (res.destroyed || res.headersSent) return;
  const body = response.body ?? '';
  res.writeHead(response.status, {
    ...CORS_HEADERS,
    ...response.headers,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * An AbortSignal that fires when the client goes away before the answer, or `closing` fires.
 *
 * @example
 * await handleControlRequest(req, server, requestSignal(res, closing));
 */
export function requestSignal(res: ServerResponse, closing: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  res.on('close', () => {
    closing.removeEventListener('abort', abort);
    if (!res.writableFinished) abort();
  });
  closing.addEventListener('abort', abort);
  if (closing.aborted) abort();
  return controller.signal;
}
