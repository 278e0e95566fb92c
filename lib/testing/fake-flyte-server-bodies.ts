import type { ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { DEFAULT_BODY_BYTES } from './fake-faults.js';
import { CORS_HEADERS } from './fake-flyte-server-io.js';
import type { BodyFault, FakeResponse } from './fake-http-types.js';

/** Padding is written in chunks of this size, so memory stays small whatever `bytes` is. */
const CHUNK = 64 * 1024;

/** Resolves once `sink` can take more, or the response is gone (then `false`). */
function drained(sink: Writable, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      sink.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    sink.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Writes `head` then spaces until `total` bytes are written (forever when `Infinity`), waiting
 * for the client to read each chunk; stops when the client goes away.
 *
 * @returns whether everything was written.
 */
async function writePadded(
  sink: Writable,
  res: ServerResponse,
  head: Buffer,
  total: number,
): Promise<boolean> {
  const pad = Buffer.alloc(CHUNK, ' ');
  let written = 0;
  let next: Buffer = head.subarray(0, Math.min(head.length, total));
  while (!res.destroyed) {
    written += next.length;
    if (!sink.write(next) && !(await drained(sink, res))) return false;
    if (written >= total) return !res.destroyed;
    next =
      written < head.length
        ? head.subarray(written)
        : pad.subarray(0, Math.min(CHUNK, total - written));
  }
  return false;
}

/**
 * Sends `response` with a broken body (see {@link BodyFault}): the status (a 204 becomes 200)
 * and headers of the answer with CORS, then a huge, endless, truncated or gzip-bomb body.
 * Memory stays bounded: the body is written in small chunks as the client reads them.
 *
 * @param res - the Node response.
 * @param response - the answer the route gave.
 * @param fault - the body fault.
 * @returns a promise that settles once the body is sent, cut, or the client went away.
 * @example
 * await sendBrokenBody(res, { status: 200, body: '{}' }, { mode: 'huge', bytes: 1e8 });
 */
export async function sendBrokenBody(
  res: ServerResponse,
  response: FakeResponse,
  fault: BodyFault,
): Promise<void> {
  if (res.destroyed || res.headersSent) return;
  const head = Buffer.from(response.body ?? '');
  const bytes = Math.max(fault.bytes ?? DEFAULT_BODY_BYTES, head.length + 1);
  const status = response.status === 204 ? 200 : response.status;
  const headers = {
    ...CORS_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    ...response.headers,
  };
  switch (fault.mode) {
    case 'huge':
      res.writeHead(status, { ...headers, 'content-length': bytes });
      if (await writePadded(res, res, head, bytes)) res.end();
      return;
    case 'endless':
      res.writeHead(status, headers); // chunked
      await writePadded(res, res, head, Infinity);
      return;
    case 'truncated':
      res.writeHead(status, { ...headers, 'content-length': bytes });
      if (await writePadded(res, res, head, Math.floor(bytes / 2))) res.socket?.destroySoon();
      return;
    case 'gzip-bomb': {
      res.writeHead(status, { ...headers, 'content-encoding': 'gzip' }); // chunked
      const gzip = createGzip({ level: 9 });
      gzip.pipe(res);
      res.once('close', () => gzip.destroy());
      if (await writePadded(gzip, res, head, bytes)) gzip.end();
      return;
    }
  }
}
