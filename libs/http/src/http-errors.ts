import { STATUS_CODES } from 'node:http';
import { IntegrationError, redactText, type ErrorKind, type RateLimitStatus } from '@switchyard/core';

/** Response headers as undici returns them. */
export type HttpResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Where a failed request went, for error messages. Never carries request headers. */
export interface HttpErrorContext {
  /** The HTTP method, e.g. `GET`. */
  readonly method: string;
  /** The request path with its query string; redacted before it reaches a message. */
  readonly path: string;
  /** The provider id recorded on the error. Default: none. */
  readonly provider?: string | undefined;
}

/** An HTTP response with an error status, as {@link httpResponseError} reads it. */
export interface HttpErrorResponse extends HttpErrorContext {
  readonly status: number;
  readonly headers: HttpResponseHeaders;
  /** The response body as text (may be empty); only a short excerpt of its message is kept. */
  readonly body: string;
  /** Clock in epoch ms, for HTTP-date `Retry-After` values in tests. Default `Date.now`. */
  readonly now?: number | undefined;
}

/**
 * What a provider reads from its own error envelope to refine the shared
 * classification (see `HttpClientSettings.errorDetails`). Every field is
 * optional; what is left out keeps the default.
 */
export interface HttpErrorDetails {
  /** A different kind than the status gives, e.g. `not_found` for Telegram's 400 "chat not found". */
  readonly kind?: ErrorKind | undefined;
  /** The provider's own message, quoted in the error instead of the generic excerpt. */
  readonly message?: string | undefined;
  /** How long to wait, when the body says (Telegram's `parameters.retry_after`). */
  readonly retryAfterMs?: number | undefined;
  /** Provider error codes and such, kept on the error's (redacted) `details`. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** Reads a provider's error envelope; returns undefined to keep the default classification. */
export type HttpErrorDetailsReader = (response: { readonly status: number; readonly headers: HttpResponseHeaders; readonly body: string }) => HttpErrorDetails | undefined;

/** The longest excerpt of a provider's error message kept in an error message. */
const MAXIMUM_EXCERPT_LENGTH = 200;

/** A `X-RateLimit-Reset` value above this is epoch seconds (GitHub); below, seconds from now (IETF draft). */
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

const RATE_LIMIT_MESSAGE = /rate.?limit|too many requests|abuse/i;

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_ABORTED',
  'ABORT_ERR',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_INFO',
  'UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'REQUEST_SEND_ERROR',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

function kindForStatus(status: number, rateLimited: boolean): ErrorKind {
  switch (status) {
    case 400:
    case 422:
      return 'validation';
    case 401:
      return 'auth';
    case 403:
      return rateLimited ? 'rate_limit' : 'auth';
    case 404:
    case 410:
      return 'not_found';
    case 409:
    case 412:
      return 'conflict';
    case 429:
      return 'rate_limit';
    default:
      return 'provider';
  }
}

function header(headers: HttpResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the provider asked us to wait, in ms, from `Retry-After`
 * (seconds or an HTTP date), then `X-RateLimit-Reset` / `RateLimit-Reset`
 * (epoch seconds or seconds from now) and `X-RateLimit-Reset-After`.
 * Undefined when none is present or parseable. Header names are lower case,
 * as undici gives them.
 *
 * @example
 * ```ts
 * retryAfterMsFromHeaders({ 'retry-after': '30' }); // 30_000
 * ```
 */
export function retryAfterMsFromHeaders(headers: HttpResponseHeaders, now: number = Date.now()): number | undefined {
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter !== undefined && retryAfter !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const resetAfter = Number(header(headers, 'x-ratelimit-reset-after') ?? Number.NaN);
  if (Number.isFinite(resetAfter)) return Math.max(0, Math.ceil(resetAfter * 1000));
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

function stringField(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'object' && value !== null) {
    const nested = (value as { message?: unknown }).message;
    if (typeof nested === 'string' && nested.trim() !== '') return nested;
  }
  return undefined;
}

/**
 * The `{ "error": { "code", "message" } }` envelope of Azure Resource Manager
 * and Google APIs (`status` is Google's code name): "ResourceNotFound: The
 * Resource ... was not found", "NOT_FOUND: Function ... does not exist".
 */
function nestedErrorExcerpt(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return undefined;
  const record = error as Record<string, unknown>;
  const message = stringField(record.message);
  const code = stringField(record.status) ?? stringField(record.code);
  if (message === undefined) return code;
  return code === undefined ? message : `${code}: ${message}`;
}

/**
 * Per-field validation messages, as GitLab sends them:
 * `{ "message": { "title": ["can't be blank"] } }` → "title can't be blank".
 */
function fieldErrorsExcerpt(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const parts: string[] = [];
  for (const [field, problems] of Object.entries(message as Record<string, unknown>)) {
    const texts = (Array.isArray(problems) ? problems : [problems]).filter((problem): problem is string => typeof problem === 'string');
    if (texts.length > 0) parts.push(`${field} ${texts.join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * A short excerpt of the provider's own error message from a response body:
 * the usual JSON fields (`message`, `error`, `error_description`, `detail`,
 * `title`, `errors[0].message`, and `error.code: error.message` envelopes), else the start of a non-HTML text body.
 * At most 200 characters; undefined when there is nothing useful.
 */
export function errorMessageExcerpt(body: string): string | undefined {
  const trimmed = body.trim();
  if (trimmed === '') return undefined;
  let excerpt: string | undefined;
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      const errors = Array.isArray(parsed.errors) ? (parsed.errors as unknown[]) : [];
      excerpt =
        nestedErrorExcerpt(parsed.error) ??
        stringField(parsed.message) ??
        fieldErrorsExcerpt(parsed.message) ??
        stringField(parsed.error_description) ??
        stringField(parsed.error) ??
        stringField(parsed.detail) ??
        stringField(parsed.title) ??
        stringField(errors[0]);
    } catch {
      excerpt = trimmed;
    }
  } else if (!trimmed.startsWith('<')) {
    excerpt = trimmed;
  }
  if (excerpt === undefined) return undefined;
  const oneLine = excerpt.replace(/\s+/g, ' ');
  return oneLine.length > MAXIMUM_EXCERPT_LENGTH ? `${oneLine.slice(0, MAXIMUM_EXCERPT_LENGTH)}…` : oneLine;
}

/** `provider: ` prefix plus `METHOD /path` with secrets in the query string redacted. */
function describeRequest(context: HttpErrorContext): string {
  const prefix = context.provider === undefined ? '' : `${context.provider}: `;
  return `${prefix}${context.method} ${redactText(context.path)}`;
}

function isRateLimitSignal(response: HttpErrorResponse, excerpt: string | undefined): boolean {
  if (header(response.headers, 'x-ratelimit-remaining') === '0' || header(response.headers, 'ratelimit-remaining') === '0') return true;
  if (header(response.headers, 'retry-after') !== undefined) return true;
  return excerpt !== undefined && RATE_LIMIT_MESSAGE.test(excerpt);
}

/**
 * Classifies an HTTP error response into an {@link IntegrationError}: 400/422
 * `validation`, 401 `auth`, 403 `auth` — or `rate_limit` when it is a rate
 * limit in disguise (`x-ratelimit-remaining: 0`, `Retry-After`, or a body that
 * says so, as GitHub's secondary rate limit does) — 404/410 `not_found`,
 * 409/412 `conflict`, 429 `rate_limit`, 5xx and anything else `provider`.
 * `retryAfterMs` comes from {@link retryAfterMsFromHeaders} for rate limits,
 * and from `Retry-After` alone for any other status. The message
 * names the method and redacted path and quotes the provider's message.
 *
 * @example
 * ```ts
 * throw httpResponseError({ method: 'GET', path: '/repos/a/b', provider: 'github', status: 404, headers: {}, body: '{"message":"Not Found"}' });
 * ```
 */
export function httpResponseError(response: HttpErrorResponse, refinement?: HttpErrorDetails): IntegrationError {
  const ownMessage = refinement?.message === undefined ? undefined : errorMessageExcerpt(JSON.stringify({ message: refinement.message }));
  const excerpt = ownMessage ?? errorMessageExcerpt(response.body);
  const rateLimited = response.status === 429 || (response.status === 403 && isRateLimitSignal(response, excerpt));
  const kind = refinement?.kind ?? kindForStatus(response.status, rateLimited);
  const reason = STATUS_CODES[response.status] ?? 'Unknown Status';
  const detail = excerpt === undefined ? '' : `: ${excerpt}`;
  return new IntegrationError({
    kind,
    message: `${describeRequest(response)} failed with ${response.status} ${reason}${detail}`,
    provider: response.provider,
    statusCode: response.status,
    // Rate limits read every reset header; other statuses (a 503 in maintenance) only an explicit Retry-After.
    retryAfterMs:
      refinement?.retryAfterMs ??
      (rateLimited || header(response.headers, 'retry-after') !== undefined ? retryAfterMsFromHeaders(response.headers, response.now) : undefined),
    details: refinement?.details,
  });
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (TIMEOUT_CODES.has(code) || NETWORK_CODES.has(code))) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A failure before any usable response: what {@link transportFailure} found. */
export interface TransportFailure {
  readonly kind: 'network' | 'timeout';
  /** The error name or code that decided it, e.g. `ECONNREFUSED` or `AbortError`. */
  readonly code: string;
}

/**
 * Finds a transport failure on an error or its causes, for providers that
 * classify their own SDK's errors: aborts and timeouts (`AbortError`,
 * `TimeoutError`, `ETIMEDOUT`, `UND_ERR_*_TIMEOUT`) are `timeout`; socket
 * errors (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, Azure's
 * `REQUEST_SEND_ERROR`, DNS failures, ...) are `network`. Undefined when
 * the error is something else (an HTTP status, a bug).
 *
 * @example
 * ```ts
 * const transport = transportFailure(error);
 * if (transport) return new IntegrationError({ kind: transport.kind, message: `S3 unreachable (${transport.code})`, cause: error });
 * ```
 */
export function transportFailure(error: unknown): TransportFailure | undefined {
  const name = error instanceof Error ? error.name : undefined;
  if (name === 'AbortError' || name === 'TimeoutError') return { kind: 'timeout', code: name };
  const code = errorCode(error);
  if (code === undefined) return undefined;
  return { kind: TIMEOUT_CODES.has(code) ? 'timeout' : 'network', code };
}

/**
 * Classifies a request that failed without a usable response: aborts and
 * timeouts (`AbortError`, `TimeoutError`, `UND_ERR_*_TIMEOUT`) become
 * `timeout`, socket errors (`UND_ERR_SOCKET`, `ECONNRESET`, `ECONNREFUSED`,
 * ...) `network`, a `SyntaxError` (malformed JSON) and anything else
 * `provider`. An {@link IntegrationError} passes through unchanged.
 *
 * @example
 * ```ts
 * try { await pool.request(options); } catch (error) { throw httpFailureError(error, { method: 'GET', path: '/' }); }
 * ```
 */
export function httpFailureError(error: unknown, context: HttpErrorContext): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const name = error instanceof Error ? error.name : undefined;
  const transport = transportFailure(error);
  const request = describeRequest(context);
  const reason = error instanceof Error ? error.message : String(error);
  let kind: ErrorKind;
  let message: string;
  if (transport?.kind === 'timeout') {
    kind = 'timeout';
    message = `${request} timed out or was aborted: ${reason}`;
  } else if (transport !== undefined) {
    kind = 'network';
    message = `${request} failed on the network (${transport.code}): ${reason}`;
  } else if (name === 'SyntaxError') {
    kind = 'provider';
    message = `${request} returned malformed JSON: ${reason}`;
  } else {
    kind = 'provider';
    message = `${request} failed: ${reason}`;
  }
  return new IntegrationError({ kind, message, provider: context.provider, cause: error });
}
