import type { FakeResponse } from './fake-http-types.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const YAML_TYPE = 'application/x-yaml; charset=utf-8';

/**
 * A JSON response, as flyte writes it. When `accept` is exactly `application/x-yaml` the body is
 * labelled YAML (JSON is valid YAML, so the text stays the same).
 *
 * @param status - the HTTP status.
 * @param value - the body.
 * @param accept - the request's `Accept` header.
 * @returns the response.
 * @example
 * jsonResponse(200, { links: [] }); // { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"links":[]}' }
 */
export function jsonResponse(status: number, value: unknown, accept?: string): FakeResponse {
  const type = accept === 'application/x-yaml' ? YAML_TYPE : JSON_TYPE;
  return { status, headers: { 'content-type': type }, body: JSON.stringify(value) };
}

/**
 * An error response with a JSON body `{ "error": message }` (flyte sends these bodies empty;
 * the fake says what went wrong, which helps when a test fails).
 *
 * @example
 * errorResponse(404, 'pack "x" not found');
 */
export function errorResponse(status: number, message: string): FakeResponse {
  return jsonResponse(status, { error: message });
}

/**
 * An error answer with an empty body, as flyte sends every 500; `detail` is kept for the
 * request log and never sent.
 *
 * @example
 * bareError(500, 'action "action-1" is SUCCESS, not PENDING'); // { status: 500, detail: '...' }
 */
export function bareError(status: number, detail: string): FakeResponse {
  return { status, detail };
}

/**
 * Parses a request body as JSON; an empty body is not JSON (flyte answers 400 to both).
 *
 * @param body - the raw body.
 * @returns the value, or a 400 response naming the problem.
 * @example
 * const parsed = parseJsonBody('{"name":"x"}');
 * if ('response' in parsed) return parsed.response;
 */
export function parseJsonBody(body: string): { value: unknown } | { response: FakeResponse } {
  try {
    if (body.trim() === '') throw new Error('the body is empty');
    return { value: JSON.parse(body) as unknown };
  } catch (e) {
    return {
      response: errorResponse(400, `the request body is not JSON: ${(e as Error).message}`),
    };
  }
}

/**
 * Splits a path into decoded segments (`/v1/packs/a%20b` → `['v1', 'packs', 'a b']`);
 * `null` when a segment is not valid percent-encoding.
 *
 * @example
 * pathSegments('/v1/packs/'); // ['v1', 'packs']
 */
export function pathSegments(path: string): string[] | null {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}
