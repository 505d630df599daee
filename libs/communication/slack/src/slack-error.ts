import { IntegrationError, type ErrorKind } from '@switchyard/core';
import { transportFailure } from '@switchyard/http';

/** Slack `error` codes (from `{ ok: false, error }`) and the kind each maps to; unknown codes are `provider`. */
const KIND_BY_CODE: Readonly<Record<string, ErrorKind>> = {
  channel_not_found: 'not_found',
  user_not_found: 'not_found',
  users_not_found: 'not_found',
  message_not_found: 'not_found',
  thread_not_found: 'not_found',
  cant_update_message: 'not_found',
  invalid_auth: 'auth',
  not_authed: 'auth',
  token_revoked: 'auth',
  token_expired: 'auth',
  account_inactive: 'auth',
  no_permission: 'auth',
  // The token lacks a scope, or the bot is not a member: the call can never succeed with this credential as it
  // stands, and another provider may well deliver, so these are auth (not retried, failed over).
  missing_scope: 'auth',
  not_in_channel: 'auth',
  is_archived: 'validation',
  invalid_blocks: 'validation',
  invalid_blocks_format: 'validation',
  msg_too_long: 'validation',
  no_text: 'validation',
  too_many_attachments: 'validation',
  invalid_arguments: 'validation',
  invalid_arg_name: 'validation',
  invalid_cursor: 'validation',
  invalid_ts_latest: 'validation',
  invalid_ts_oldest: 'validation',
  ratelimited: 'rate_limit',
  rate_limited: 'rate_limit',
  fatal_error: 'provider',
  internal_error: 'provider',
  service_unavailable: 'provider',
  request_timeout: 'provider',
};

interface SlackErrorShape {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly data?: { readonly error?: unknown } | undefined;
  readonly retryAfter?: unknown;
  readonly statusCode?: unknown;
  readonly original?: unknown;
}

function shapeOf(value: unknown): SlackErrorShape {
  return typeof value === 'object' && value !== null ? value : {};
}

/** The kind a Slack `error` code maps to; unknown codes are `provider` (retryable). */
export function slackErrorKind(code: string): ErrorKind {
  return KIND_BY_CODE[code] ?? 'provider';
}

/**
 * Classifies an error from `@slack/web-api` into an `IntegrationError`.
 * Platform errors (HTTP 200 with `{ ok: false, error }`) by their code (see
 * the table in docs/providers/slack.md); a rate-limited call
 * (`rejectRateLimitedCalls`) → `rate_limit` with `retryAfterMs` from
 * `Retry-After`; other HTTP statuses: 5xx → `provider`, 401/403 → `auth`,
 * 404 → `not_found`, 400/422 → `validation`; an aborted request → `timeout`;
 * socket failures → `network`. Messages carry the method and Slack's code,
 * never the token.
 */
export function slackError(error: unknown, operation: string, method: string): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const shape = shapeOf(error);
  const prefix = `slack: ${operation} (${method})`;
  const base = { provider: 'slack', operation, cause: error } as const;
  switch (shape.code) {
    case 'slack_webapi_platform_error': {
      const code = typeof shape.data?.error === 'string' ? shape.data.error.slice(0, 100) : 'unknown_error';
      const kind = slackErrorKind(code);
      return new IntegrationError({ ...base, kind, message: `${prefix} failed: ${code}`, statusCode: 200, details: { slackError: code } });
    }
    case 'slack_webapi_rate_limited_error': {
      const seconds = typeof shape.retryAfter === 'number' && Number.isFinite(shape.retryAfter) ? shape.retryAfter : undefined;
      return new IntegrationError({
        ...base,
        kind: 'rate_limit',
        message: `${prefix} was rate limited${seconds === undefined ? '' : `: retry after ${seconds} s`}`,
        statusCode: 429,
        retryAfterMs: seconds === undefined ? undefined : seconds * 1000,
      });
    }
    case 'slack_webapi_http_error': {
      const status = typeof shape.statusCode === 'number' ? shape.statusCode : 0;
      return new IntegrationError({ ...base, kind: kindForStatus(status), message: `${prefix} failed with HTTP ${status}`, statusCode: status, isRetryable: status >= 500 || status === 0 ? undefined : false });
    }
    case 'slack_webapi_request_error': {
      const original = shapeOf(shape.original) as { cause?: unknown };
      const failure = transportFailure(shape.original) ?? transportFailure(original.cause);
      if (failure?.kind === 'timeout' || isAbort(shape.original)) {
        return new IntegrationError({ ...base, kind: 'timeout', message: `${prefix} timed out or was aborted` });
      }
      return new IntegrationError({ ...base, kind: 'network', message: `${prefix} failed on the network${failure === undefined ? '' : ` (${failure.code})`}` });
    }
    default:
      if (isAbort(error)) return new IntegrationError({ ...base, kind: 'timeout', message: `${prefix} timed out or was aborted` });
      // A 429 whose Retry-After is missing or not a number: the SDK throws a plain Error naming the header.
      if (typeof shape.message === 'string' && shape.message.startsWith('Retry header did not contain a valid timeout')) {
        return new IntegrationError({ ...base, kind: 'rate_limit', message: `${prefix} was rate limited without a usable Retry-After`, statusCode: 429 });
      }
      return new IntegrationError({ ...base, kind: 'provider', message: `${prefix} failed: ${typeof shape.message === 'string' ? shape.message.split('\n')[0] : 'unknown error'}` });
  }
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

function kindForStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 400 || status === 422) return 'validation';
  if (status === 429) return 'rate_limit';
  return 'provider';
}
