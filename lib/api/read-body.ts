import { NetworkError, TimeoutError } from '../model/errors.js';

/**
 * Limits on reading a response body.
 *
 * @example
 * const limits: BodyLimits = { method: 'GET', url, maxBytes: 8 * 1024 * 1024, idleTimeout: 30_000 };
 */
export interface BodyLimits {
  readonly method: string;
  readonly url: string;
  /** Most bytes read (after decompression); 0 for no cap. */
  readonly maxBytes: number;
  /** Longest pause between two chunks, in ms; 0 for none. */
  readonly idleTimeout: number;
}

/** What a fetch response offers to read its body (node-fetch 2 or WHATWG). */
interface BodySource {
  readonly headers: { get(name: string): string | null };
  readonly body?: unknown;
  text(): Promise<string>;
}

/**
 * Reads a response body as text within limits: refuses a `Content-Length` over the cap
 * before reading, counts the (decompressed) bytes while reading and stops at the cap, and
 * gives up when no chunk arrives for `idleTimeout` — even when the request has no timeout.
 * Reads `body` as a Node stream (node-fetch 2) or a WHATWG `ReadableStream` (browsers);
 * falls back to `text()` when there is neither.
 *
 * @param res - the fetch response.
 * @param limits - the URL and method (for the errors), the cap and the idle timeout.
 * @param abort - aborts the request (called when a limit is hit).
 * @returns the body as text.
 * @throws {@link NetworkError} naming the URL and the cap when the body is too large;
 * {@link TimeoutError} when it stalls.
 * @example
 * const text = await readBody(res, { method: 'GET', url, maxBytes: 8_388_608, idleTimeout: 30_000 }, () => controller.abort());
 */
export async function readBody(
  res: BodySource,
  limits: BodyLimits,
  abort: () => void,
): Promise<string> {
  const { method, url, maxBytes } = limits;
  const tooLarge = (what: string) => {
    abort();
    return new NetworkError(
      `${method} ${url} answered a body ${what} the limit of ${maxBytes} bytes (maxResponseBytes)`,
      { method, url },
    );
  };
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (maxBytes > 0 && declared > maxBytes) throw tooLarge(`of ${declared} bytes, over`);
  const chunks = chunksOf(res.body);
  if (!chunks) return res.text();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for await (const chunk of withIdleTimeout(chunks, limits, abort)) {
    size += chunk.byteLength;
    if (maxBytes > 0 && size > maxBytes) throw tooLarge('over');
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** The chunks of a Node stream or a WHATWG ReadableStream, if `body` is one. */
function chunksOf(body: unknown): AsyncIterable<Uint8Array> | undefined {
  if (body && typeof (body as ReadableStream).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            yield value;
          }
        } finally {
          void reader.cancel().catch(() => undefined);
        }
      },
    };
  }
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return body as AsyncIterable<Uint8Array>;
  }
  return undefined;
}

/** `chunks`, failing with a {@link TimeoutError} when one takes longer than the idle timeout. */
async function* withIdleTimeout(
  chunks: AsyncIterable<Uint8Array>,
  limits: BodyLimits,
  abort: () => void,
): AsyncIterable<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const { method, url, idleTimeout } = limits;
  try {
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<never>((_, reject) => {
        if (idleTimeout > 0) {
          timer = setTimeout(() => {
            abort();
            const message = `${method} ${url}: the response body stopped arriving for ${idleTimeout} ms (bodyIdleTimeout)`;
            reject(new TimeoutError({ method, url, timeoutMs: idleTimeout, message }));
          }, idleTimeout);
        }
      });
      try {
        const next = await Promise.race([iterator.next(), stalled]);
        if (next.done) return;
        yield next.value;
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    void iterator.return?.()?.catch?.(() => undefined);
  }
}
