import {
  type FlyteError,
  HttpError,
  NetworkError,
  PackNotFoundError,
  TimeoutError,
  UnauthorizedError,
} from '../model/errors.js';

/** The calls of the `FlyteApi` port, as the in-memory API names them. */
export type ApiMethod =
  'discover' | 'register' | 'take' | 'complete' | 'event' | 'health' | 'audit';

/**
 * What a scripted fault does to a call:
 * - a status number: the call errors with the {@link HttpError} the HTTP adapter would raise
 *   (404 → {@link PackNotFoundError}, 401 → {@link UnauthorizedError});
 * - `'network'`: a {@link NetworkError} (connection refused or dropped);
 * - `'timeout'`: a {@link TimeoutError};
 * - `'hang'`: no answer at all, until the caller unsubscribes;
 * - an `Error`: that error, as it is.
 *
 * @example
 * api.failNext('take', 500);          // one take answers 500
 * api.failNext('complete', 'network'); // one result post is dropped
 */
export type FaultKind = number | 'network' | 'timeout' | 'hang' | Error;

/**
 * A fault and when it strikes: `before` the server sees the call (nothing changes on the
 * server), or `after` (the server did the work — took the action, recorded the result — and
 * the answer was lost on the way back).
 *
 * @example
 * api.failNext('take', { fault: 'network', when: 'after' }); // the action is PENDING, the pack never hears of it
 */
export interface Fault {
  /** What happens: an HTTP status, a network error, a timeout, a hang or an error of yours. */
  readonly fault: FaultKind;
  /** @default 'before' */
  readonly when?: 'before' | 'after';
}

/**
 * A call as a fault hook sees it, before it runs.
 *
 * @example
 * api.onCall((call) => (call.method === 'take' && call.time >= 5000 ? 503 : undefined));
 */
export interface CallInfo {
  /** Which method of the API is called. */
  readonly method: ApiMethod;
  /** `scheduler.now()` when the call was made. */
  readonly time: number;
  /** The URL the call goes to (synthetic). */
  readonly url: string;
  /** 1 for the first call of this method, 2 for the second, ... */
  readonly attempt: number;
}

/** A hook deciding, per call, whether it fails; `undefined` lets it through. */
export type FaultHook = (call: CallInfo) => FaultKind | Fault | undefined;

/** The HTTP method each call uses on the wire. */
export const HTTP_METHOD: Readonly<Record<ApiMethod, 'GET' | 'POST'>> = {
  discover: 'GET',
  register: 'POST',
  take: 'POST',
  complete: 'POST',
  event: 'POST',
  health: 'GET',
  audit: 'GET',
};

/**
 * The error a fault (or a model refusal with that status) raises, as the HTTP adapter would.
 *
 * @param kind - the fault; `'hang'` is not an error and must be handled by the caller.
 * @param method - the API method, for the error's HTTP method.
 * @param url - the URL named in the error.
 * @param body - the response body excerpt, for statuses.
 * @returns the error.
 * @example
 * faultError(404, 'take', 'http://flyte.test/v1/packs/x/actions/take'); // PackNotFoundError
 */
export function faultError(
  kind: Exclude<FaultKind, 'hang'>,
  method: ApiMethod,
  url: string,
  body = '',
): Error | FlyteError {
  const http = HTTP_METHOD[method];
  if (kind instanceof Error) return kind;
  if (kind === 'network') {
    return new NetworkError(`${http} ${url} failed: connection dropped (scripted fault)`, {
      url,
      method: http,
    });
  }
  if (kind === 'timeout') return new TimeoutError({ method: http, url, timeoutMs: 0 });
  const init = { method: http, url, status: kind, body };
  if (kind === 404) return new PackNotFoundError(init);
  if (kind === 401) return new UnauthorizedError(init);
  return new HttpError(init);
}

/**
 * The fault script of an in-memory API: queued one-off faults per method, then hooks.
 * Internal to the testing kit; use `InMemoryFlyteApi.failNext` and `onCall`.
 *
 * @example
 * const script = new FaultScript();
 * script.queue('take', { fault: 500 }, 2);
 * script.next({ method: 'take', time: 0, url: '', attempt: 1 }); // { fault: 500 }
 */
export class FaultScript {
  private readonly queued = new Map<ApiMethod, Fault[]>();
  private readonly hooks: FaultHook[] = [];

  /** Queues `times` faults for the next calls of `method`. */
  queue(method: ApiMethod, fault: Fault, times: number): void {
    const list = this.queued.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.queued.set(method, list);
  }

  /** Adds a hook; returns the function that removes it. */
  hook(hook: FaultHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  /** The fault for this call, if any: a queued one first, then the first hook that answers. */
  next(call: CallInfo): Fault | undefined {
    const queued = this.queued.get(call.method)?.shift();
    if (queued) return queued;
    for (const hook of this.hooks) {
      const answer = hook(call);
      if (answer !== undefined) return toFault(answer);
    }
    return undefined;
  }

  /** Forgets every queued fault and hook. */
  clear(): void {
    this.queued.clear();
    this.hooks.length = 0;
  }
}

/**
 * A fault in its long form.
 *
 * @param value - a fault kind (struck `before`) or a fault.
 * @returns the fault.
 * @example
 * toFault(500); // { fault: 500 }
 */
export function toFault(value: FaultKind | Fault): Fault {
  const long = typeof value === 'object' && !(value instanceof Error) && 'fault' in value;
  return long ? value : { fault: value };
}
