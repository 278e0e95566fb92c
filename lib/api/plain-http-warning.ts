import type { TokenProvider } from './token.js';

/** Whether a host name stays on this machine: `localhost` (and its subdomains) and the loopback addresses. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * The warning due when a bearer token would travel over plain `http:` to another machine,
 * where anyone on the network path can read it and replay it until it expires. Loopback
 * URLs (a local fake server, a sidecar proxy) are fine. The warning names the server, never
 * the token.
 *
 * @param url - the flyte API's base URL.
 * @param token - the token or token provider in the options, if any.
 * @returns the warning to log, or `undefined` when there is nothing to warn about.
 * @example
 * plainHttpWarning('http://flyte.internal:8080', token);
 * // 'the bearer token is sent to flyte.internal:8080 over plain http: ...'
 */
export function plainHttpWarning(
  url: string,
  token: TokenProvider | undefined,
): string | undefined {
  if (token === undefined || token === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // an invalid URL is refused with its own message
  }
  if (parsed.protocol !== 'http:' || isLoopback(parsed.hostname)) return undefined;
  return (
    `the bearer token is sent to ${parsed.host} over plain http: anyone on the network ` +
    'path can read it and use it until it expires; use an https URL for the flyte API'
  );
}
