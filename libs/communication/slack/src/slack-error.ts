import { IntegrationError, type ErrorKind } from '@switchyard/core';
import { createProviderErrors, type HttpResponseHeaders, type ProviderErrorHint, type ProviderErrors } from '@switchyard/http';

/**
 * Slack errors whose text is the provider's own (input checks, webhook
 * refusals, a missing token): messages start `slack: `, and each records the
 * provider. Errors that carry Slack's answers come from the client's own
 * factory, which redacts them with the provider's secrets.
 */
export const slackErrors = createProviderErrors('slack');

const hints = (kind: ErrorKind, codes: readonly string[]): Record<string, ProviderErrorHint> =>
  Object.fromEntries(codes.map((code) => [code, { kind }]));

/**
 * Slack `error` codes that mean more than the status they came with. Slack
 * answers platform errors with HTTP 200 (`{ ok: false, error }`), which the
 * shared table reads as `provider` (retryable); these codes say otherwise.
 * Codes not listed (`fatal_error`, `internal_error`, `service_unavailable`,
 * codes Slack adds later) keep the status's answer.
 *
 * `missing_scope` and `not_in_channel` are `auth`: the credential as
 * installed can never do this, and another provider may well deliver.
 */
const HINT_BY_CODE: Readonly<Record<string, ProviderErrorHint>> = {
  ...hints('not_found', [
    'channel_not_found',
    'user_not_found',
    'users_not_found',
    'message_not_found',
    'thread_not_found',
    'cant_update_message',
  ]),
  ...hints('auth', [
    'invalid_auth',
    'not_authed',
    'token_revoked',
    'token_expired',
    'account_inactive',
    'no_permission',
    'missing_scope',
    'not_in_channel',
  ]),
  ...hints('validation', [
    'is_archived',
    'invalid_blocks',
    'invalid_blocks_format',
    'msg_too_long',
    'no_text',
    'too_many_attachments',
    'invalid_arguments',
    'invalid_arg_name',
    'invalid_cursor',
    'invalid_ts_latest',
    'invalid_ts_oldest',
  ]),
  ...hints('rate_limit', ['ratelimited', 'rate_limited']),
};

/** The answer a call's last request got, recorded by the client's `fetch`. */
export interface SlackAnswer {
  readonly status: number;
  readonly headers: HttpResponseHeaders;
}

/** What went wrong on one call, for {@link slackError}. */
export interface SlackFailure {
  readonly error: unknown;
  readonly operation: string;
  readonly method: string;
  /** The answer, when one came: its status and headers classify the error. */
  readonly answer: SlackAnswer | undefined;
  /** Whether the call's signal fired: then a failure without an answer is a `timeout`, whatever the reason. */
  readonly aborted: boolean;
}

interface SlackErrorShape {
  readonly code?: unknown;
  readonly data?: { readonly error?: unknown } | undefined;
  readonly body?: { readonly error?: unknown } | undefined;
  readonly original?: unknown;
}

/** A Slack error code (`channel_not_found`), or undefined for anything else (an unparsable body the SDK passes as one). */
function slackCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[a-z][a-z0-9_.]{0,99}$/.test(value) ? value : undefined;
}

/**
 * Classifies what `@slack/web-api` threw. With an answer, by its status and
 * headers through the shared table (`classifyHttpStatus`), with Slack's
 * `error` code as a hint: platform errors (`{ ok: false, error }`, HTTP 200),
 * a rejected rate-limited call (429, `Retry-After` in seconds or as a date),
 * other statuses. A body that is not a Slack answer is `provider`. Without
 * an answer: aborted → `timeout`, socket failures → `network`, else
 * `provider`. The code is named in the message and in `details.slackError`.
 * `errors` is the client's factory, redacting with the provider's secrets.
 */
export function slackError(errors: ProviderErrors, failure: SlackFailure): IntegrationError {
  const { error, operation, method, answer } = failure;
  if (IntegrationError.isInstance(error)) return error;
  const shape: SlackErrorShape = typeof error === 'object' && error !== null ? error : {};
  const platform = shape.code === 'slack_webapi_platform_error';
  if (answer !== undefined && (platform || answer.status !== 200)) {
    const code = slackCode(platform ? shape.data?.error : shape.body?.error);
    const unreadable = platform && code === undefined;
    return errors.fromStatus({
      operation,
      status: answer.status,
      headers: answer.headers,
      code,
      message: unreadable ? 'the answer is not a Slack JSON answer' : undefined,
      hint: code === undefined ? undefined : HINT_BY_CODE[code],
      details: { method, ...(code === undefined ? {} : { slackError: code }) },
      cause: error,
    });
  }
  if (failure.aborted) return errors.create({ kind: 'timeout', message: `${operation} timed out or was aborted`, operation, cause: error });
  return errors.fromFailure(shape.code === 'slack_webapi_request_error' ? shape.original : error, operation);
}
