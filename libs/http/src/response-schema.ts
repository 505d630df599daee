import { IntegrationError } from '@switchyard/core';

/**
 * A response schema: anything with zod's `safeParse` (a zod schema is one).
 * List only the fields the code reads, `.nullish()` for optional ones.
 */
export interface ResponseSchema<T> {
  safeParse(value: unknown):
    | { readonly success: true; readonly data: T }
    | {
        readonly success: false;
        readonly error: { readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] };
      };
}

/** Where a response came from, for the error a mismatch raises. */
export interface ResponseContext {
  /** The provider id recorded on the error. Default: none. */
  readonly provider?: string | undefined;
  /** What was called: `capability.operation`, or `METHOD /path` (redacted by the error). */
  readonly operation: string;
}

/**
 * The `provider` error for a response that does not match its schema. It
 * names each field (up to three in the message, all in `details.issues`)
 * and never quotes the body, so nothing the response held (tokens, personal
 * data) reaches the message. Not retryable: the same answer would come back.
 */
export function responseSchemaError(
  context: ResponseContext,
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): IntegrationError {
  const named = issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
  const listed = named.slice(0, 3).map((issue) => `field "${issue.path}": ${issue.message}`);
  const prefix = context.provider === undefined ? '' : `${context.provider}: `;
  return new IntegrationError({
    kind: 'provider',
    message: `${prefix}${context.operation} returned a response that does not match its schema: ${listed.join('; ')}`,
    provider: context.provider,
    operation: context.operation.includes(' ') ? undefined : context.operation,
    isRetryable: false,
    details: { issues: named },
  });
}

/**
 * Parses a response body with its schema, or throws the `provider` error of
 * {@link responseSchemaError}. For bodies an SDK already parsed; requests
 * through `createHttpClient` take `responseSchema` instead.
 *
 * @example
 * ```ts
 * const issue = parseResponse(issueSchema, await octokit.rest.issues.get(...).then((r) => r.data), { provider: 'github', operation: 'issues.getIssue' });
 * ```
 */
export function parseResponse<T>(schema: ResponseSchema<T>, value: unknown, context: ResponseContext): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw responseSchemaError(context, parsed.error.issues);
}
