/**
 * The wait a `Retry-After` header asks for: delay-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`, counted from `now`). A date in the past is 0.
 *
 * @param value - the header's value, or null when absent.
 * @param now - the current time, in ms since the epoch.
 * @returns the wait in ms, or `undefined` when absent or unreadable.
 * @example
 * retryAfterMs('3', Date.now()); // 3000
 */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, date - now);
}
