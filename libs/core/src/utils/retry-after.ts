/**
 * Milliseconds to wait from an HTTP `Retry-After` value (RFC 9110: a number
 * of seconds, or an HTTP date), or undefined when there is none or it cannot
 * be read. Never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
