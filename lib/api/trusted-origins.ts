import type { Logger } from '../model/logger.js';

/**
 * Decides which URLs may receive the bearer token: those on the origin of the flyte API URL
 * and on the origins the user trusts. A link on any other origin (a server behind a proxy
 * may hand one back, see `X-Forwarded-Host`) is called without the token, and a warning is
 * logged once per origin (the warning never contains the token).
 *
 * @example
 * const origins = new TrustedOrigins('https://flyte.example/api', ['https://flyte-lb.example'], logger);
 * origins.mayReceiveToken('https://flyte.example/v1/packs'); // true
 */
export class TrustedOrigins {
  private readonly trusted: ReadonlySet<string>;
  private readonly warned = new Set<string>();

  /**
   * @param baseUrl - the flyte API URL given by the user.
   * @param extra - further trusted origins (`scheme://host[:port]`; a full URL is reduced to
   * its origin). Entries that are not URLs are ignored: check them with {@link checkTrustedOrigins}.
   * @param logger - where the warning about an untrusted origin goes.
   */
  constructor(
    baseUrl: string,
    extra: readonly string[],
    private readonly logger: Logger,
  ) {
    this.trusted = new Set([baseUrl, ...extra].flatMap((entry) => originOf(entry) ?? []));
  }

  /**
   * Whether a request to `url` may carry the token; logs a warning the first time an
   * untrusted origin is met.
   *
   * @param url - the URL about to be called.
   * @returns true when the URL's origin is trusted.
   * @example
   * const headers = origins.mayReceiveToken(url) ? { Authorization: `Bearer ${token}` } : {};
   */
  mayReceiveToken(url: string): boolean {
    const origin = originOf(url) ?? url;
    if (this.trusted.has(origin)) return true;
    if (!this.warned.has(origin)) {
      this.warned.add(origin);
      this.logger.warn(
        `flyte-client: not sending the bearer token to ${origin}: it is neither the origin of the ` +
          `flyte API URL nor in trustedOrigins. If the server is behind a proxy that hands back ` +
          `links on this origin, add it to trustedOrigins.`,
        { origin, url },
      );
    }
    return false;
  }
}

/**
 * Checks the `trustedOrigins` option: each entry must be an absolute URL.
 *
 * @param origins - the option's value.
 * @param problems - where a problem per invalid entry goes.
 * @example
 * checkTrustedOrigins(['https://flyte.example'], problems);
 */
export function checkTrustedOrigins(origins: unknown, problems: string[]): void {
  if (origins === undefined) return;
  if (!Array.isArray(origins)) {
    problems.push('trustedOrigins: must be an array of origins like "https://host:port"');
    return;
  }
  origins.forEach((entry: unknown, i) => {
    if (typeof entry !== 'string' || originOf(entry) === undefined) {
      problems.push(`trustedOrigins[${i}]: not an absolute URL: ${JSON.stringify(entry)}`);
    }
  });
}

function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
