import type { FakeResponse, RequestLogEntry } from './fake-http-types.js';
import { errorResponse } from './fake-responses.js';

/**
 * Checks an `Authorization` header against the token the fake server requires, as flyte's auth
 * handler does: a missing or non-Bearer header gets `WWW-Authenticate: Bearer realm="token"`,
 * a wrong token adds `error="invalid_token"`. Token values never appear in the result.
 *
 * @param header - the request's `Authorization` header.
 * @param token - the required token; `null` when auth is off.
 * @returns how the header compares and, when refused, the 401 to send.
 * @example
 * authorize('Bearer abc', 'abc').outcome; // 'matched'
 * authorize(undefined, 'abc').response?.status; // 401
 */
export function authorize(
  header: string | undefined,
  token: string | null,
): { outcome: RequestLogEntry['authorization']; response?: FakeResponse } {
  if (token === null) return { outcome: 'unchecked' };
  const bearer = /^bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  if (!bearer) {
    const response = errorResponse(401, 'a bearer token is required');
    return {
      outcome: 'absent',
      response: {
        ...response,
        headers: { ...response.headers, 'www-authenticate': 'Bearer realm="token"' },
      },
    };
  }
  if (bearer[1] === token) return { outcome: 'matched' };
  const response = errorResponse(401, 'the bearer token is invalid');
  const challenge = 'Bearer realm="token", error="invalid_token"';
  return {
    outcome: 'unmatched',
    response: { ...response, headers: { ...response.headers, 'www-authenticate': challenge } },
  };
}
