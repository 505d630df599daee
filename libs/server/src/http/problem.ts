import { errorReport, IntegrationError, type ErrorKind, type ErrorReport } from '@switchyard/core';
import { z } from 'zod';

/** The media type of RFC 9457 problem details. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where the problem types are described (`type` is this plus the kind). */
export const PROBLEM_TYPE_BASE = 'https://switchyard.dev/problems/';

/** One input field that failed validation. */
export interface FieldProblem {
  /** Where: `body.input.bucket`, `query.limit`, `params.id`. */
  readonly field: string;
  readonly message: string;
}

/**
 * An RFC 9457 problem: `type`, `title`, `status`, `detail`, plus Switchyard's
 * `kind` (an error kind, or `unauthorized`, `forbidden`, `rate_limited`,
 * `payload_too_large`, `not_found` for routes), whether retrying may help,
 * the provider attempts and the fields that failed validation.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly kind: string;
  readonly isRetryable: boolean;
  readonly retryAfterMs?: number;
  readonly attempts?: ErrorReport['attempts'];
  readonly errors?: readonly FieldProblem[];
}

/** The schema of {@link Problem}, for the OpenAPI document. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    kind: z.string().describe('An error kind (validation, not_found, rate_limit, ...) or unauthorized, forbidden, payload_too_large'),
    isRetryable: z.boolean(),
    retryAfterMs: z.number().optional(),
    attempts: z
      .array(z.object({ provider: z.string(), attempt: z.int(), kind: z.string(), message: z.string() }))
      .optional()
      .describe('Every provider attempt the router made, in order'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('The input fields that failed validation'),
  })
  .meta({ description: 'RFC 9457 problem details with the error kind' });

/**
 * The HTTP status of an error kind the hub threw. A provider refusing our
 * credentials (`auth`) is a bad gateway for the caller, not a 401: the
 * caller's own key was fine.
 */
const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  validation: 400,
  unsupported: 400,
  not_found: 404,
  conflict: 409,
  rate_limit: 429,
  auth: 502,
  provider: 502,
  network: 502,
  circuit_open: 503,
  timeout: 504,
};

const TITLES: Readonly<Record<string, string>> = {
  validation: 'Invalid request',
  unsupported: 'Unsupported operation',
  not_found: 'Not found',
  conflict: 'Conflict',
  rate_limit: 'Rate limited',
  auth: 'The provider refused the credentials',
  provider: 'The provider failed',
  network: 'The provider could not be reached',
  circuit_open: 'Every provider is unavailable',
  timeout: 'The provider timed out',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  payload_too_large: 'Payload too large',
  internal: 'Internal error',
};

/** A problem the server makes itself (auth, routes, limits). */
export function problem(status: number, kind: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${kind}`,
    title: TITLES[kind] ?? kind,
    status,
    detail,
    kind,
    isRetryable: extra.isRetryable ?? (status === 429 || status >= 500),
    ...extra,
  };
}

/**
 * The problem for an error the hub (or a platform service) threw: already
 * redacted; anything else says nothing of itself. `inputField` is where the
 * operation's input sat in the request (`body.input` for execute, `body` for
 * a tool call), to name the fields of a validation error.
 */
export function problemFromError(error: unknown, inputField = 'body.input'): Problem {
  if (!IntegrationError.isInstance(error)) return problem(500, 'internal', 'The server failed unexpectedly.', { isRetryable: false });
  const report = errorReport(error);
  return problem(STATUS_BY_KIND[report.kind], report.kind, report.message, {
    isRetryable: report.isRetryable,
    ...(report.retryAfterMs === undefined ? {} : { retryAfterMs: report.retryAfterMs }),
    ...(report.attempts.length === 0 ? {} : { attempts: report.attempts }),
    ...(report.kind === 'validation' ? { errors: fieldProblems(error.details, report.fields, inputField) } : {}),
  });
}

/** The fields of a validation error with their messages (`input.bucket`: Required), from the zod issues in its details. */
function fieldProblems(details: unknown, fields: readonly string[] | undefined, prefix: string): FieldProblem[] {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return (fields ?? []).map((field) => ({ field: `${prefix}.${field}`, message: 'invalid' }));
  return issues.map((issue: { path?: unknown; message?: unknown }) => ({
    field: [prefix, ...(Array.isArray(issue.path) ? issue.path.map(String) : [])].join('.'),
    message: typeof issue.message === 'string' ? issue.message : 'invalid',
  }));
}

/** A route's own refusal, carried as an exception to the error handler. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(body: Problem) {
    super(body.detail);
    this.problem = body;
  }
}
