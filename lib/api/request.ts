import { TimeoutError } from '../model/errors.js';
import { lostAnswer } from './exchange-errors.js';
import type { ExchangeRequest, HttpExchange, HttpResponse } from './http-exchange.js';
import { readBody } from './read-body.js';

export type { HttpResponse } from './http-exchange.js';

/**
 * The {@link HttpExchange} over a fetch function (cross-fetch, a browser's fetch, a spy):
 * the request is made with `redirect: 'manual'` and its body read within the limits
 * ({@link readBody}).
 *
 * The timeout is a plain timer inside the exchange's promise (transport, not a stream). It
 * aborts the request and the promise rejects with {@link TimeoutError} even when the fetch
 * implementation ignores the abort reason (node-fetch 2 behind cross-fetch) or the signal.
 *
 * @param call - the fetch function; called as a plain function (never as a method).
 * @param agent - Node only: handed to node-fetch as `agent` (e.g. an insecure TLS agent).
 * @returns the exchange.
 * @example
 * const exchange = fetchExchange(window.fetch.bind(window));
 * const res = await exchange({ method: 'GET', url, headers: {}, timeout: 10_000, signal,
 *   maxResponseBytes: 0, bodyIdleTimeout: 0 });
 */
export function fetchExchange(call: typeof fetch, agent?: unknown): HttpExchange {
  return (request) => sendRequest(request, call, agent);
}

/**
 * The {@link HttpExchange} over cross-fetch, loaded at the first request: a Node process that
 * uses another exchange never loads cross-fetch (nor node-fetch under it).
 *
 * @param agent - Node only: handed to node-fetch as `agent`.
 * @returns the exchange.
 * @example
 * const exchange = crossFetchExchange();
 */
export function crossFetchExchange(agent?: unknown): HttpExchange {
  let loading: Promise<typeof fetch> | undefined;
  const call = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    loading ??= import('cross-fetch').then((m) => m.default);
    return (await loading)(input, init);
  };
  return fetchExchange(call, agent);
}

function sendRequest(
  request: ExchangeRequest,
  call: typeof fetch,
  agent: unknown,
): Promise<HttpResponse> {
  const { method, url, timeout } = request;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  // One promise settled by whichever comes first: the exchange, or the timeout (no race).
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', abort);
      return true;
    };
    if (request.signal.aborted) controller.abort();
    else request.signal.addEventListener('abort', abort);
    if (timeout > 0) {
      timer = setTimeout(() => {
        if (!settle()) return;
        controller.abort();
        reject(new TimeoutError({ method, url, timeoutMs: timeout }));
      }, timeout);
    }
    exchange(request, call, agent, controller).then(
      (res) => {
        if (settle()) resolve(res);
      },
      (error: unknown) => {
        if (settle()) reject(lostAnswer(request.method, request.url, error));
      },
    );
  });
}

/** The request and its body read, aborted through `controller`. */
async function exchange(
  request: ExchangeRequest,
  call: typeof fetch,
  agent: unknown,
  controller: AbortController,
): Promise<HttpResponse> {
  const { method, url } = request;
  const init: RequestInit & { agent?: unknown } = {
    method,
    headers: request.headers,
    signal: controller.signal,
    redirect: 'manual',
  };
  if (request.body !== undefined) init.body = request.body;
  if (agent !== undefined) init.agent = agent;
  const res = await call(url, init);
  const limits = {
    method,
    url,
    maxBytes: request.maxResponseBytes,
    idleTimeout: request.bodyIdleTimeout,
  };
  const text = await readBody(res, limits, () => controller.abort());
  return { method, url, status: res.status, text, header: (name) => res.headers.get(name) };
}
