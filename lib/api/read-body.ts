import type { NetworkError } from '../model/errors.js';
import { bodyStalled, bodyTooLarge } from './exchange-errors.js';

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

/**
 * The timers {@link readBody} arms for the idle timeout. Injected so that a spec drives time
 * through them instead of replacing the process's global timers, which other code shares.
 *
 * @example
 * const timers: BodyTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t as never) };
 */
export interface BodyTimers {
  /** Calls `fn` after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer `setTimeout` returned (a no-op for `undefined`). */
  clearTimeout(handle: unknown): void;
}

const globalTimers: BodyTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout> | undefined),
};

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
 * Reads `body` as a Node stream (node-fetch 2, through its events) or a WHATWG
 * `ReadableStream` (browsers); falls back to `text()` when there is neither.
 *
 * @param res - the fetch response.
 * @param limits - the URL and method (for the errors), the cap and the idle timeout.
 * @param abort - aborts the request (called when a limit is hit).
 * @param timers - the timers of the idle timeout; the global ones by default.
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
  timers: BodyTimers = globalTimers,
): Promise<string> {
  const { method, url, maxBytes } = limits;
  const tooLarge = (what: string) => {
    abort();
    return bodyTooLarge(method, url, maxBytes, what);
  };
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (maxBytes > 0 && declared > maxBytes) throw tooLarge(`of ${declared} bytes, over`);
  if (isNodeStream(res.body)) return readNodeStream(res.body, limits, abort, tooLarge, timers);
  const chunks = chunksOf(res.body);
  if (!chunks) return res.text();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for await (const chunk of withIdleTimeout(chunks, limits, abort, timers)) {
    size += chunk.byteLength;
    if (maxBytes > 0 && size > maxBytes) throw tooLarge('over');
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** What a Node readable stream (node-fetch 2's body) offers, as far as {@link readBody} needs. */
interface NodeStream {
  on(event: string, listener: (arg: never) => void): unknown;
  removeListener(event: string, listener: (arg: never) => void): unknown;
  destroy(): unknown;
}

const ignore = (): void => undefined;

function isNodeStream(body: unknown): body is NodeStream {
  const stream = body as Partial<NodeStream> | undefined;
  return (
    typeof stream?.on === 'function' &&
    typeof stream.removeListener === 'function' &&
    typeof stream.destroy === 'function'
  );
}

/**
 * Reads a Node stream through its events: one promise and (with an idle timeout) one timer
 * re-armed per chunk, rather than an async iterator racing a timer for every chunk. A stream
 * that closes before its end (a body cut off mid-way) fails like node-fetch does.
 */
function readNodeStream(
  stream: NodeStream,
  limits: BodyLimits,
  abort: () => void,
  tooLarge: (what: string) => NetworkError,
  timers: BodyTimers,
): Promise<string> {
  const { method, url, maxBytes, idleTimeout } = limits;
  return new Promise<string>((resolve, reject) => {
    const decoder = new TextDecoder();
    let text = '';
    let size = 0;
    let timer: unknown;
    let done = false;
    /** Detaches from the stream; false when already done. */
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      timers.clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
      return true;
    };
    /** Fails with the error `cause` makes (after detaching: it may abort the request, and
     * the stream's errors from then on are ignored). */
    const fail = (cause: () => unknown): void => {
      if (!finish()) return;
      stream.on('error', ignore);
      const error = cause();
      stream.destroy();
      reject(error);
    };
    const stalled = (): void =>
      fail(() => {
        abort();
        return bodyStalled(method, url, idleTimeout);
      });
    const arm = (): void => {
      if (idleTimeout <= 0) return;
      timers.clearTimeout(timer);
      timer = timers.setTimeout(stalled, idleTimeout);
    };
    const onData = (chunk: Uint8Array): void => {
      size += chunk.byteLength;
      if (maxBytes > 0 && size > maxBytes) return fail(() => tooLarge('over'));
      text += decoder.decode(chunk, { stream: true });
      arm();
    };
    const onEnd = (): void => {
      if (finish()) resolve(text + decoder.decode());
    };
    const onError = (error: unknown): void => fail(() => error);
    const onClose = (): void => fail(() => new Error('premature close'));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    arm();
  });
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
  timers: BodyTimers,
): AsyncIterable<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const { method, url, idleTimeout } = limits;
  try {
    for (;;) {
      let timer: unknown;
      const stalled = new Promise<never>((_, reject) => {
        if (idleTimeout > 0) {
          timer = timers.setTimeout(() => {
            abort();
            reject(bodyStalled(method, url, idleTimeout));
          }, idleTimeout);
        }
      });
      try {
        const next = await Promise.race([iterator.next(), stalled]);
        if (next.done) return;
        yield next.value;
      } finally {
        timers.clearTimeout(timer);
      }
    }
  } finally {
    void iterator.return?.()?.catch?.(() => undefined);
  }
}
