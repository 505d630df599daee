import type { IntegrationError, SecretSet } from '@switchyard/core';
import { createProviderErrors, normalizeHeaders, type ProviderErrorHint, type ProviderErrors } from '@switchyard/http';
import { z } from 'zod';
import { githubErrorBodySchema } from './github-api';

/**
 * GitHub errors whose text is the provider's own (input checks, webhook
 * refusals): messages start `github: `, each records the provider. Errors
 * that carry GitHub's answers or a cause come from the provider object's
 * own factory ({@link createGithubErrors}), which redacts with its secrets.
 */
export const githubErrors = createProviderErrors('github');

/** The error factory of one provider object: every error it creates is redacted with that provider's `secrets`. */
export function createGithubErrors(secrets: SecretSet): ProviderErrors {
  return createProviderErrors('github', { secrets });
}

/** The fields of `@octokit/request-error`'s `RequestError` this module reads: an answer GitHub gave. */
const requestErrorSchema = z.object({
  status: z.number().int(),
  response: z.object({ headers: z.unknown().optional(), data: z.unknown().optional() }),
});

/** GitHub's own message and, for a 422, the first field error: "Validation Failed: color invalid". */
function githubMessage(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  const body = githubErrorBodySchema.safeParse(data);
  if (!body.success) return undefined;
  const message = body.data.message ?? undefined;
  const first = body.data.errors?.[0];
  const detail =
    typeof first === 'string' || first === undefined ? first : (first.message ?? [first.field ?? '', first.code ?? ''].join(' ').trim());
  return detail === undefined || detail === '' ? message : `${message ?? 'Error'}: ${detail}`;
}

/**
 * Classifies what Octokit threw for `operation` through the shared status
 * table (`classifyHttpStatus`): a 403 with `x-ratelimit-remaining: 0`, a
 * `retry-after` or a "secondary rate limit" message, and a 429, are
 * `rate_limit`, waiting per `retry-after`, else until `x-ratelimit-reset`
 * once the window is used up;
 * 400/422 are `validation` with GitHub's first field error in the message.
 * `hints` are what a status means for one call (a 404 on the installation
 * token exchange is a wrong app setting: `auth`). Anything without an answer
 * (aborts, socket errors) goes through `fromFailure`. Integration errors
 * pass through. `errors` is the provider object's factory
 * ({@link createGithubErrors}): GitHub may echo a token in its message.
 */
export function githubError(
  errors: ProviderErrors,
  error: unknown,
  operation: string,
  hints: Readonly<Record<number, ProviderErrorHint>> = {},
): IntegrationError {
  const answer = requestErrorSchema.safeParse(error);
  // Octokit wraps what fetch rejected with (a socket error, a TimeoutError abort reason) in a status-500 "HttpError"
  // without a response; transportFailure finds the real failure among its causes.
  if (!answer.success) return errors.fromFailure(error, operation);
  const { status, response } = answer.data;
  return errors.fromStatus({
    operation,
    status,
    headers: normalizeHeaders(response.headers),
    message: githubMessage(response.data),
    hint: hints[status],
    cause: error,
  });
}
