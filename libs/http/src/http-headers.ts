import { parseRetryAfter, type RateLimitStatus } from '@switchyard/core';

/** Response headers as undici returns them. */
export type HttpResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** A `X-RateLimit-Reset` value above this is epoch seconds (GitHub); below, seconds from now (IETF draft). */
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

function header(headers: HttpResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the provider asked us to wait, in ms, from `Retry-After`
 * (seconds or an HTTP date), then `X-RateLimit-Reset` / `RateLimit-Reset`
 * (epoch seconds or seconds from now, and only when the window's remaining
 * count is 0 or not given) and `X-RateLimit-Reset-After`.
 * Undefined when none is present or parseable. Header names are lower case,
 * as undici gives them.
 *
 * @example
 * ```ts
 * retryAfterMsFromHeaders({ 'retry-after': '30' }); // 30_000
 * ```
 */
export function retryAfterMsFromHeaders(headers: HttpResponseHeaders, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const resetAfter = Number(header(headers, 'x-ratelimit-reset-after') ?? Number.NaN);
  if (Number.isFinite(resetAfter)) return Math.max(0, Math.ceil(resetAfter * 1000));
  // A reset is when the window refills: a reason to wait only once it is used up. GitHub sends its primary
  // window's headers on every answer, so a secondary limit with calls left would otherwise wait up to an hour.
  const remaining = Number(header(headers, 'x-ratelimit-remaining') ?? header(headers, 'ratelimit-remaining') ?? Number.NaN);
  if (Number.isFinite(remaining) && remaining > 0) return undefined;
  const reset = Number(header(headers, 'x-ratelimit-reset') ?? header(headers, 'ratelimit-reset') ?? Number.NaN);
  if (!Number.isFinite(reset)) return undefined;
  return Math.max(0, Math.ceil(reset > EPOCH_SECONDS_THRESHOLD ? reset * 1000 - now : reset * 1000));
}

/**
 * The rate-limit state a response's headers report, for
 * `context.reportRateLimit`: GitHub's `x-ratelimit-limit/-remaining/-reset`
 * (reset in epoch seconds), GitLab's `ratelimit-*` and the IETF draft's
 * `ratelimit-*` (reset in seconds from now). Undefined when the response
 * carries no limit and remaining count.
 *
 * @example
 * ```ts
 * const response = await client.request({ path: '/user' });
 * const status = rateLimitStatusFromHeaders(response.headers);
 * if (status) context.reportRateLimit?.(status);
 * ```
 */
export function rateLimitStatusFromHeaders(headers: HttpResponseHeaders, now: number = Date.now()): RateLimitStatus | undefined {
  const limit = Number(header(headers, 'x-ratelimit-limit') ?? header(headers, 'ratelimit-limit') ?? Number.NaN);
  const remaining = Number(header(headers, 'x-ratelimit-remaining') ?? header(headers, 'ratelimit-remaining') ?? Number.NaN);
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || limit <= 0) return undefined;
  const reset = Number(header(headers, 'x-ratelimit-reset') ?? header(headers, 'ratelimit-reset') ?? Number.NaN);
  const resetAt = Number.isFinite(reset) ? (reset > EPOCH_SECONDS_THRESHOLD ? reset * 1000 : now + reset * 1000) : undefined;
  return { limit, remaining: Math.max(0, remaining), resetAt };
}

/**
 * Response headers in undici's shape (lower-case names) from whatever an SDK
 * error carries: a fetch `Headers` or anything else iterable as
 * `[name, value]` pairs (`@azure/core-rest-pipeline`'s `HttpHeaders`),
 * anything with `toJSON()`, or a plain object. Values that are not strings
 * or numbers are dropped. Empty for anything else.
 *
 * @example
 * ```ts
 * const headers = normalizeHeaders(error.response?.headers);
 * ```
 */
export function normalizeHeaders(value: unknown): HttpResponseHeaders {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const plain: Record<string, string | string[]> = {};
  const add = (name: unknown, headerValue: unknown): void => {
    if (typeof name !== 'string') return;
    if (typeof headerValue === 'string') plain[name.toLowerCase()] = headerValue;
    else if (typeof headerValue === 'number') plain[name.toLowerCase()] = String(headerValue);
    else if (Array.isArray(headerValue)) plain[name.toLowerCase()] = headerValue.map(String);
  };
  if (typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
    for (const entry of value as Iterable<unknown>) {
      if (Array.isArray(entry)) add(entry[0], entry[1]);
    }
    return plain;
  }
  const json = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
  if (typeof json !== 'object' || json === null) return plain;
  for (const [name, headerValue] of Object.entries(json as Record<string, unknown>)) add(name, headerValue);
  return plain;
}
