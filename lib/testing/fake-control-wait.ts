import type { FlyteModel } from './flyte-model.js';
import type { FakeRequest, FakeResponse } from './fake-http-types.js';
import { errorResponse, jsonResponse } from './fake-responses.js';

/** Longest a `GET /_fake/wait` may hold the request. */
const MAX_WAIT_MS = 120_000;
const DEFAULT_WAIT_MS = 10_000;

/**
 * The counts `GET /_fake/wait` waits for and answers with.
 *
 * @example
 * const c: WaitCounts = progressOf(model); // { results: 2, taken: 3, events: 0 }
 */
export interface WaitCounts {
  /** Actions that have a result. */
  readonly results: number;
  /** Actions that were taken (no longer NEW). */
  readonly taken: number;
  /** Spontaneous events received. */
  readonly events: number;
}

/**
 * The model's progress as {@link WaitCounts}.
 *
 * @example
 * progressOf(model).results;
 */
export function progressOf(model: FlyteModel): WaitCounts {
  const actions = model.actions();
  return {
    results: actions.filter((a) => a.result).length,
    taken: actions.filter((a) => a.state !== 'NEW').length,
    events: model.events().length,
  };
}

/**
 * `GET /_fake/wait?results=N&taken=N&events=N&timeoutMs=T`: answers 200 with the counts as soon
 * as every given count is reached, 408 when `timeoutMs` (default 10 s) runs out first.
 *
 * @param req - the request.
 * @param model - the model to watch.
 * @param signal - ends the wait early (client gone, server closing).
 * @returns the response.
 * @example
 * await waitRoute(req, server.model, signal);
 */
export async function waitRoute(
  req: FakeRequest,
  model: FlyteModel,
  signal: AbortSignal,
): Promise<FakeResponse> {
  const want: Partial<Record<keyof WaitCounts, number>> = {};
  for (const key of ['results', 'taken', 'events'] as const) {
    const raw = req.query.get(key);
    if (raw === null) continue;
    if (!/^\d+$/.test(raw)) return errorResponse(400, `${key} must be a whole number`);
    want[key] = Number(raw);
  }
  const timeoutMs = Math.min(
    Number(req.query.get('timeoutMs') ?? DEFAULT_WAIT_MS) || 0,
    MAX_WAIT_MS,
  );
  const reached = (c: WaitCounts) =>
    (Object.keys(want) as (keyof WaitCounts)[]).every((k) => c[k] >= (want[k] ?? 0));
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  const onClose = () => stop.abort();
  signal.addEventListener('abort', onClose);
  try {
    await model.waitFor((m) => reached(progressOf(m)), { signal: stop.signal });
    return jsonResponse(200, progressOf(model));
  } catch {
    const counts = progressOf(model);
    return jsonResponse(408, {
      error: `not reached within ${timeoutMs} ms: ${JSON.stringify(want)}`,
      ...counts,
    });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onClose);
  }
}
