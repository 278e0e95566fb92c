import { InvalidResponseError } from '../model/errors.js';
import type { HttpResponse } from './http-exchange.js';
import type { Link } from '../model/wire-types.js';

/** Longest body excerpt quoted in an {@link InvalidResponseError}. */
const EXCERPT = 200;

/**
 * An {@link InvalidResponseError} that names the request, the status and what was wrong.
 *
 * @param res - the response that was wrong.
 * @param problem - what was wrong, e.g. `"links" must be an array, got a string`.
 * @returns the error (to throw).
 * @example
 * throw invalidResponse(res, '"command" must be a non-empty string');
 */
export function invalidResponse(res: HttpResponse, problem: string): InvalidResponseError {
  return new InvalidResponseError(
    `${res.method} ${res.url} answered ${res.status} with an invalid body: ${problem}`,
    { url: res.url, method: res.method },
  );
}

/**
 * The body of a response parsed as a JSON object.
 *
 * @param res - the response.
 * @returns the object.
 * @throws {@link InvalidResponseError} when the body is not JSON or not an object.
 * @example
 * const body = parseJsonObject(res);
 */
export function parseJsonObject(res: HttpResponse): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    const excerpt = res.text.slice(0, EXCERPT);
    throw invalidResponse(res, `not JSON: ${excerpt ? JSON.stringify(excerpt) : 'empty body'}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidResponse(res, `expected a JSON object, got ${kind(body)}`);
  }
  return body as Record<string, unknown>;
}

/**
 * A `links` array checked link by link; hrefs are resolved against the response's URL.
 *
 * @param res - the response the links came in (for messages and resolution).
 * @param value - the value of the `links` field.
 * @param field - where the field is, e.g. `links` or `commands[0].links`.
 * @returns the links.
 * @throws {@link InvalidResponseError} when it is not an array of `{ href, rel }` strings.
 * @example
 * const links = parseLinks(res, body.links, 'links');
 */
export function parseLinks(res: HttpResponse, value: unknown, field: string): Link[] {
  if (!Array.isArray(value)) {
    throw invalidResponse(res, `"${field}" must be an array of links, got ${kind(value)}`);
  }
  return value.map((link: unknown, i) => {
    const at = `${field}[${i}]`;
    if (typeof link !== 'object' || link === null) {
      throw invalidResponse(res, `"${at}" must be a link object, got ${kind(link)}`);
    }
    const { href, rel } = link as Record<string, unknown>;
    if (typeof rel !== 'string') {
      throw invalidResponse(res, `"${at}.rel" must be a string, got ${kind(rel)}`);
    }
    if (typeof href !== 'string') {
      throw invalidResponse(res, `"${at}.href" must be a string, got ${kind(href)}`);
    }
    let url: URL;
    try {
      url = new URL(href, res.url);
    } catch {
      throw invalidResponse(res, `"${at}.href" is not a URL: ${JSON.stringify(href)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      // A javascript: or file: link would be called, and retried, for ever.
      throw invalidResponse(
        res,
        `"${at}.href" (rel ${JSON.stringify(rel)}) is not an http(s) URL: ${JSON.stringify(href.slice(0, 200))}`,
      );
    }
    return { href: url.href, rel };
  });
}

/**
 * A required non-empty string field.
 *
 * @param res - the response (for messages).
 * @param body - the parsed body.
 * @param field - the field's name.
 * @returns the string.
 * @throws {@link InvalidResponseError} when it is missing, empty or not a string.
 * @example
 * const id = requireString(res, body, 'id');
 */
export function requireString(
  res: HttpResponse,
  body: Record<string, unknown>,
  field: string,
): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw invalidResponse(res, `"${field}" must be a non-empty string, got ${kind(value)}`);
  }
  return value;
}

/**
 * A short description of a JSON value's type for messages.
 *
 * @param value - a parsed JSON value.
 * @returns e.g. `a string`, `an array`, `null`, `nothing`.
 * @example
 * kind([]); // 'an array'
 */
export function kind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
}
