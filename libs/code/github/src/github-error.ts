import { IntegrationError, type ErrorKind } from '@switchyard/core';
import { retryAfterMsFromHeaders, transportFailure } from '@switchyard/http';

type Headers = Readonly<Record<string, string | number | undefined>>;

/** The fields of an `@octokit/request-error` `RequestError` (or a fetch failure) this module reads. */
interface OctokitErrorShape {
  readonly message?: unknown;
  readonly status?: unknown;
  readonly response?: { readonly headers?: Headers; readonly data?: unknown } | undefined;
}

function shapeOf(value: unknown): OctokitErrorShape {
  return typeof value === 'object' && value !== null ? value : {};
}

/** GitHub's own message and, for 422, the first field error: "Validation Failed: Label does not exist". */
function githubMessage(data: unknown, fallback: string): string {
  if (typeof data !== 'object' || data === null) return typeof data === 'string' && data.trim() !== '' ? data.slice(0, 200) : fallback;
  const record = data as { message?: unknown; errors?: unknown };
  const message = typeof record.message === 'string' ? record.message : fallback;
  const first = Array.isArray(record.errors) ? (record.errors[0] as unknown) : undefined;
  if (typeof first === 'string') return `${message}: ${first}`;
  if (typeof first === 'object' && first !== null) {
    const detail = first as { message?: unknown; field?: unknown; code?: unknown };
    const described = typeof detail.message === 'string' ? detail.message : [detail.field, detail.code].filter((part) => typeof part === 'string').join(' ');
    if (described !== '') return `${message}: ${described}`;
  }
  return message;
}

function header(headers: Headers | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}

/**
 * How long GitHub asks to wait: `retry-after` (secondary limits), else the
 * primary window's `x-ratelimit-reset` (epoch seconds) when nothing is left.
 */
export function githubRetryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) return retryAfterMsFromHeaders({ 'retry-after': retryAfter }, now);
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  if (header(headers, 'x-ratelimit-remaining') === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1000 - now);
  return undefined;
}

function isRateLimited(status: number, headers: Headers | undefined, message: string): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  return header(headers, 'x-ratelimit-remaining') === '0' || header(headers, 'retry-after') !== undefined || /secondary rate limit|abuse detection/i.test(message);
}

function kindForStatus(status: number): ErrorKind {
  if (status === 400 || status === 422) return 'validation';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  return 'provider';
}

/**
 * Classifies an error from Octokit into an `IntegrationError`:
 * 401 → `auth`; 403 with `x-ratelimit-remaining: 0`, a `retry-after` or a
 * "secondary rate limit" message (and 429) → `rate_limit` with `retryAfterMs`
 * from `retry-after` or `x-ratelimit-reset`; other 403 → `auth`; 404/410 →
 * `not_found`; 409 → `conflict`; 400/422 → `validation` (not retryable, so no
 * failover); 5xx → `provider` (retryable); connection failures → `network`;
 * an aborted request → `timeout`. Integration errors pass through. Messages
 * carry the status and GitHub's own message, never the token.
 */
export function githubError(error: unknown, operation: string): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const prefix = `github: ${operation}`;
  const shape = shapeOf(error);
  const reason = typeof shape.message === 'string' ? (shape.message.split('\n')[0] ?? '') : String(error);
  const response = shape.response;
  const status = typeof shape.status === 'number' ? shape.status : undefined;
  // Octokit rethrows an abort as the AbortError itself, and reports a failed fetch as a RequestError with status 500
  // and no response, the socket error in its causes.
  const transport = response === undefined ? transportFailure(error) : undefined;
  if (transport?.kind === 'timeout') return new IntegrationError({ kind: 'timeout', message: `${prefix} timed out or was aborted`, provider: 'github', operation, cause: error });
  if (response === undefined || status === undefined) {
    const kind: ErrorKind = transport === undefined ? 'provider' : 'network';
    return new IntegrationError({ kind, message: `${prefix} failed${transport === undefined ? '' : ` on the network (${transport.code})`}: ${reason}`, provider: 'github', operation, cause: error });
  }
  const message = githubMessage(response.data, reason);
  const rateLimited = isRateLimited(status, response.headers, message);
  const kind = rateLimited ? 'rate_limit' : kindForStatus(status);
  return new IntegrationError({
    kind,
    message: `${prefix} failed with ${status}: ${message}`,
    provider: 'github',
    operation,
    statusCode: status,
    retryAfterMs: rateLimited ? githubRetryAfterMs(response.headers) : undefined,
    isRetryable: kind === 'validation' ? false : undefined,
    cause: error,
  });
}
