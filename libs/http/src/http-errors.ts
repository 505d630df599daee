import { IntegrationError, redactText, type ErrorKind, type RedactionSecrets } from '@switchyard/core';
import { redactedExcerpt } from './error-excerpt';
import type { HttpResponseHeaders } from './http-headers';
import { classifyHttpStatus, type ProviderErrorHint } from './http-status';

/** Where a failed request went, for error messages. Never carries request headers. */
export interface HttpErrorContext {
  /** The HTTP method, e.g. `GET`. */
  readonly method: string;
  /** The request path with its query string; redacted before it reaches a message. */
  readonly path: string;
  /** The provider id recorded on the error. Default: none. */
  readonly provider?: string | undefined;
  /**
   * The secrets to redact from the path and the quoted body before anything
   * is cut: the provider's set and the request's own auth values. Default:
   * core's patterns only.
   */
  readonly secrets?: RedactionSecrets;
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
 * classification (see `HttpClientSettings.errorDetails`): a
 * {@link ProviderErrorHint} plus its own message and error codes. Every field
 * is optional; what is left out keeps the default.
 */
export interface HttpErrorDetails extends ProviderErrorHint {
  /** The provider's own message, quoted in the error instead of the generic excerpt. */
  readonly message?: string | undefined;
  /** Provider error codes and such, kept on the error's (redacted) `details`. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** Reads a provider's error envelope; returns undefined to keep the default classification. */
export type HttpErrorDetailsReader = (response: {
  readonly status: number;
  readonly headers: HttpResponseHeaders;
  readonly body: string;
}) => HttpErrorDetails | undefined;

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
 * Redacted with `secrets` before it is cut to at most 200 characters at a
 * word boundary (see `redactedExcerpt`); undefined when there is nothing useful.
 */
export function errorMessageExcerpt(body: string, secrets?: RedactionSecrets): string | undefined {
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
  const quoted = redactedExcerpt(excerpt, { secrets });
  return quoted === '' ? undefined : quoted;
}

/** `provider: ` prefix plus `METHOD /path` with secrets in the query string redacted. */
function describeRequest(context: HttpErrorContext): string {
  const prefix = context.provider === undefined ? '' : `${context.provider}: `;
  return `${prefix}${context.method} ${redactText(context.path, context.secrets)}`;
}

/**
 * The reason phrase of a status (`404` → `Not Found`), from node:http, which
 * is read when an error is built rather than imported: loading node:http
 * costs ~20 ms at import, which a host whose calls succeed should not pay.
 */
function reasonPhrase(status: number): string {
  return process.getBuiltinModule('node:http').STATUS_CODES[status] ?? 'Unknown Status';
}

/**
 * Classifies an HTTP error response into an {@link IntegrationError} through
 * {@link classifyHttpStatus} (the one status table every provider shares),
 * refined by the provider's own reading of its envelope. The message names
 * the method and redacted path and quotes the provider's message.
 *
 * @example
 * ```ts
 * throw httpResponseError({ method: 'GET', path: '/repos/a/b', provider: 'github', status: 404, headers: {}, body: '{"message":"Not Found"}' });
 * ```
 */
export function httpResponseError(response: HttpErrorResponse, refinement?: HttpErrorDetails): IntegrationError {
  const { secrets } = response;
  const ownMessage =
    refinement?.message === undefined ? undefined : errorMessageExcerpt(JSON.stringify({ message: refinement.message }), secrets);
  const excerpt = ownMessage ?? errorMessageExcerpt(response.body, secrets);
  const classified = classifyHttpStatus({
    status: response.status,
    headers: response.headers,
    message: excerpt,
    hint: refinement,
    now: response.now,
  });
  const reason = reasonPhrase(response.status);
  const detail = excerpt === undefined ? '' : `: ${excerpt}`;
  return new IntegrationError({
    kind: classified.kind,
    message: `${describeRequest(response)} failed with ${response.status} ${reason}${detail}`,
    provider: response.provider,
    statusCode: response.status,
    retryAfterMs: classified.retryAfterMs,
    isRetryable: classified.retryable,
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
 * the error is something else (an HTTP status, a bug). A socket code wins
 * over the error's name: an SDK that calls a reset connection a
 * `TimeoutError` still gets `network`.
 *
 * @example
 * ```ts
 * const transport = transportFailure(error);
 * if (transport) return new IntegrationError({ kind: transport.kind, message: `S3 unreachable (${transport.code})`, cause: error });
 * ```
 */
export function transportFailure(error: unknown): TransportFailure | undefined {
  // A socket code decides before the error's name: SDKs rename a reset connection `TimeoutError` (the AWS SDK does).
  const code = errorCode(error);
  if (code !== undefined) return { kind: TIMEOUT_CODES.has(code) ? 'timeout' : 'network', code };
  // An abort wrapped by an SDK (Octokit wraps a `TimeoutError` reason in its own error) is found among the causes.
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth += 1) {
    const name = (current as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError') return { kind: 'timeout', code: name };
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
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
