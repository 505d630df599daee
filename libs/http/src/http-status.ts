import type { ErrorKind } from '@switchyard/core';
import { retryAfterMsFromHeaders, type HttpResponseHeaders } from './http-headers';

/**
 * What a provider knows about an answer that its status alone does not say,
 * read from its own error code or envelope. Every field is optional; each one
 * given overrides the shared table. A provider documents each hint it gives
 * (e.g. Azure Storage's `ServerBusy` on a 503 is a throttle, so `rate_limit`).
 */
export interface ProviderErrorHint {
  /** The kind this answer really is, e.g. `not_found` for Telegram's 400 "chat not found". */
  readonly kind?: ErrorKind | undefined;
  /** Whether the same call may succeed if repeated. Default: by kind (see `IntegrationError`). */
  readonly retryable?: boolean | undefined;
  /** How long to wait, when the body says so (Telegram's `parameters.retry_after`). */
  readonly retryAfterMs?: number | undefined;
}

/** An HTTP error answer, as {@link classifyHttpStatus} reads it. */
export interface HttpStatusAnswer {
  readonly status: number;
  /** Lower-case header names (undici's shape). Default: none. */
  readonly headers?: HttpResponseHeaders | undefined;
  /** The provider's own message, if any: a 403 saying "rate limit" is a rate limit. */
  readonly message?: string | undefined;
  /** The provider's own reading of the answer; wins over the table. */
  readonly hint?: ProviderErrorHint | undefined;
  /** Clock in epoch ms, for HTTP-date `Retry-After` values. Default `Date.now()`. */
  readonly now?: number | undefined;
}

/** What an HTTP error answer means to the router. */
export interface HttpStatusClassification {
  readonly kind: ErrorKind;
  /** Whether repeating the call (here or on another provider) may succeed. */
  readonly retryable: boolean;
  /** How long the provider asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;
}

const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set(['rate_limit', 'network', 'timeout', 'provider']);

const RATE_LIMIT_MESSAGE = /rate.?limit|too many requests|abuse/i;

/**
 * The one status table every provider shares. Client errors that no row
 * names are `validation` (repeating them cannot help); server errors that no
 * row names are `provider` (retryable, so the router fails over).
 */
const KIND_BY_STATUS: ReadonlyMap<number, ErrorKind> = new Map<number, ErrorKind>([
  [400, 'validation'],
  [401, 'auth'],
  [403, 'auth'],
  [404, 'not_found'],
  [408, 'timeout'],
  [409, 'conflict'],
  [410, 'not_found'],
  [412, 'conflict'],
  [422, 'validation'],
  [429, 'rate_limit'],
  [501, 'unsupported'],
]);

function header(headers: HttpResponseHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A 403 that is a rate limit in disguise: no calls left, a `Retry-After`, or a message that says so (GitHub's secondary limit). */
function isRateLimitedForbidden(answer: HttpStatusAnswer): boolean {
  const headers = answer.headers;
  if (header(headers, 'x-ratelimit-remaining') === '0' || header(headers, 'ratelimit-remaining') === '0') return true;
  if (header(headers, 'retry-after') !== undefined) return true;
  return answer.message !== undefined && RATE_LIMIT_MESSAGE.test(answer.message);
}

function tableKind(status: number): ErrorKind {
  const listed = KIND_BY_STATUS.get(status);
  if (listed !== undefined) return listed;
  if (status >= 400 && status < 500) return 'validation';
  return 'provider';
}

/**
 * Classifies an HTTP error status the same way for every provider:
 *
 * | status | kind | retryable |
 * |---|---|---|
 * | 400, 422, other 4xx | `validation` | no |
 * | 401 | `auth` | no |
 * | 403 | `auth`, or `rate_limit` with `x-ratelimit-remaining: 0`, `Retry-After` or a "rate limit" message | no / yes |
 * | 404, 410 | `not_found` | no |
 * | 408 | `timeout` | yes |
 * | 409, 412 | `conflict` | no |
 * | 429 | `rate_limit` | yes |
 * | 501 | `unsupported` | no |
 * | other 5xx (and anything else) | `provider` | yes |
 *
 * `retryAfterMs`: for a rate limit, every reset header
 * ({@link retryAfterMsFromHeaders}); for any other status, only an explicit
 * `Retry-After` (a 503 in maintenance). A provider's `hint` overrides kind,
 * retryability and wait. SDK-based providers pass the SDK error's status and
 * headers through this same function.
 *
 * @example
 * ```ts
 * classifyHttpStatus({ status: 503, hint: { kind: 'rate_limit' } }); // Azure's ServerBusy
 * ```
 */
export function classifyHttpStatus(answer: HttpStatusAnswer): HttpStatusClassification {
  const status = answer.status;
  let kind = answer.hint?.kind ?? tableKind(status);
  if (answer.hint?.kind === undefined && status === 403 && isRateLimitedForbidden(answer)) kind = 'rate_limit';
  const explicitWait = header(answer.headers, 'retry-after') !== undefined;
  const headerWait =
    answer.headers !== undefined && (kind === 'rate_limit' || explicitWait)
      ? retryAfterMsFromHeaders(answer.headers, answer.now)
      : undefined;
  return {
    kind,
    retryable: answer.hint?.retryable ?? RETRYABLE_KINDS.has(kind),
    retryAfterMs: answer.hint?.retryAfterMs ?? headerWait,
  };
}
