/** What stands in for a secret in any text the SDK produces. */
export const REDACTED = '[REDACTED]';

/**
 * Replaces every occurrence of each secret in `text` by {@link REDACTED}.
 * Empty secrets are ignored.
 *
 * @param text - the text to clean.
 * @param secrets - the values that must never appear.
 * @returns the text without any of the secrets.
 * @example
 * redact('Bearer abc.def', ['abc.def']); // 'Bearer [REDACTED]'
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join(REDACTED);
  }
  return out;
}
