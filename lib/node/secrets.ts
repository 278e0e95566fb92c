import type { TokenProvider } from '../api/token.js';

/**
 * The values that must never be logged or served: a fixed array, or a live set such as
 * {@link SecretSet} that grows while the process runs. Read afresh for every entry.
 *
 * @example
 * const secrets: Secrets = [process.env.FLYTE_JWT];
 */
export type Secrets = Iterable<string | undefined>;

/** How many issued tokens a {@link SecretSet} remembers besides its fixed secrets. */
export const REMEMBERED_SECRETS = 8;

/**
 * The non-empty secrets as they stand now.
 *
 * @param secrets - fixed or live secrets.
 * @returns a snapshot without empty values.
 * @example
 * secretsNow(['abc', undefined, '']); // ['abc']
 */
export function secretsNow(secrets: Secrets): string[] {
  return [...secrets].filter((s): s is string => Boolean(s));
}

/**
 * A live, bounded set of secrets: fixed ones (the configured token) plus the last few added
 * (tokens a provider issued). Loggers and the health server given it redact every value it
 * holds at the time of each entry.
 *
 * @example
 * const secrets = new SecretSet([process.env.FLYTE_JWT]);
 * secrets.add(freshToken);
 * const logger = createLogger({ secrets });
 */
export class SecretSet implements Iterable<string> {
  private readonly fixed: string[];
  private readonly added: string[] = [];

  /**
   * @param fixed - secrets kept for good (empty values are ignored).
   * @param max - how many added secrets are kept; the oldest goes first. @default 8
   */
  constructor(
    fixed: Secrets = [],
    private readonly max = REMEMBERED_SECRETS,
  ) {
    this.fixed = secretsNow(fixed);
  }

  /**
   * Adds a secret (empty values and ones already held are ignored).
   *
   * @param secret - e.g. a token a provider just issued.
   * @example
   * secrets.add(token);
   */
  add(secret: string | undefined): void {
    if (!secret || this.fixed.includes(secret) || this.added.includes(secret)) return;
    this.added.push(secret);
    if (this.added.length > this.max) this.added.shift();
  }

  /** The secrets held now, fixed ones first. */
  [Symbol.iterator](): Iterator<string> {
    return [...this.fixed, ...this.added][Symbol.iterator]();
  }
}

/**
 * Wraps a token provider so that every token it issues joins `secrets` before anyone uses
 * it; a fixed token joins at once. Nothing else changes: failures and odd values reach the
 * caller as before.
 *
 * @param provider - the token or token function, e.g. `packOptions.token`.
 * @param secrets - where issued tokens are remembered.
 * @returns the same kind of provider.
 * @example
 * const token = rememberTokens(() => getIdToken(), secrets);
 */
export function rememberTokens(
  provider: TokenProvider | undefined,
  secrets: SecretSet,
): TokenProvider | undefined {
  if (typeof provider !== 'function') {
    secrets.add(provider);
    return provider;
  }
  return async () => {
    const token = await provider();
    if (typeof token === 'string') secrets.add(token);
    return token;
  };
}
