import { FlyteError, errorMessage } from '../model/errors.js';

/**
 * A bearer token, or a function asked for one (again after a 401).
 *
 * @example
 * const token: TokenProvider = () => fetchIdToken(); // or a fixed string
 */
export type TokenProvider = string | (() => string | PromiseLike<string>);

/** How many past tokens are remembered for redaction. */
const REMEMBERED_TOKENS = 8;

/**
 * The bearer token of one {@link HttpFlyteApi}: a fixed string, or a provider function that
 * is asked lazily before the first request that needs a token and again after a 401.
 * Concurrent 401s share one refresh. Every token seen is remembered (the last few) so that
 * errors can be redacted.
 *
 * @example
 * const tokens = new TokenSource(() => getIdToken());
 * const token = await tokens.current();
 * const fresh = await tokens.refresh(token); // after a 401
 */
export class TokenSource {
  private cached?: Promise<string | undefined>;
  private unsettled?: Promise<string | undefined>;
  private readonly seen: string[] = [];

  constructor(private readonly provider?: TokenProvider) {
    if (typeof provider === 'string') this.remember(provider);
  }

  /** Whether a 401 is worth a retry: only a provider function can give a fresh token. */
  get refreshable(): boolean {
    return typeof this.provider === 'function';
  }

  /**
   * The fixed token, known without waiting; `undefined` when there is none or a provider
   * function gives it (ask {@link TokenSource.current}).
   *
   * @example
   * const token = tokens.refreshable ? await tokens.current() : tokens.fixed;
   */
  get fixed(): string | undefined {
    return typeof this.provider === 'string' && this.provider !== '' ? this.provider : undefined;
  }

  /**
   * The token to send: the fixed one, or the provider's (asked once, then cached).
   *
   * @returns the token, or `undefined` when there is none.
   * @example
   * const token = await tokens.current();
   */
  current(): Promise<string | undefined> {
    if (typeof this.provider !== 'function') return Promise.resolve(this.provider || undefined);
    this.cached ??= this.start();
    return this.cached;
  }

  /**
   * Forgets a token that is still being asked for (the caller gave up waiting), so that the
   * next request asks the provider again instead of waiting on the same hung call.
   *
   * @example
   * tokens.abandon(); // after the wait for the provider timed out
   */
  abandon(): void {
    if (this.unsettled !== undefined && this.cached === this.unsettled) this.cached = undefined;
    this.unsettled = undefined;
  }

  /**
   * A fresh token after `stale` was refused; when another request already refreshed it,
   * that token is used without asking the provider again.
   *
   * @param stale - the token the refused request carried.
   * @returns the fresh token.
   * @example
   * const fresh = await tokens.refresh(stale);
   */
  async refresh(stale: string | undefined): Promise<string | undefined> {
    const current = this.cached ? await this.cached.catch(() => undefined) : undefined;
    if (this.cached && current !== stale) return this.current();
    this.cached = this.start();
    return this.cached;
  }

  /**
   * Every token seen lately, for {@link FlyteError.redacted}.
   *
   * @returns the secrets.
   * @example
   * throw err.redacted(tokens.secrets());
   */
  secrets(): readonly string[] {
    return this.seen;
  }

  private start(): Promise<string | undefined> {
    const asking = this.ask();
    this.unsettled = asking;
    const settle = (): void => {
      if (this.unsettled === asking) this.unsettled = undefined;
    };
    asking.then(settle, settle);
    return asking;
  }

  private async ask(): Promise<string | undefined> {
    const provider = this.provider as () => string | PromiseLike<string>;
    try {
      const token = await provider();
      if (token !== undefined && token !== null && typeof token !== 'string') {
        throw new TypeError(`the token provider returned ${typeof token}, not a string`);
      }
      if (token) this.remember(token);
      return token || undefined;
    } catch (error) {
      this.cached = undefined;
      const reason = errorMessage(error);
      throw new FlyteError(`the token provider failed: ${reason}`, { cause: error });
    }
  }

  private remember(token: string): void {
    if (this.seen.includes(token)) return;
    this.seen.push(token);
    if (this.seen.length > REMEMBERED_TOKENS) this.seen.shift();
  }
}
