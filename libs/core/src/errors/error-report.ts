import { IntegrationError, type ErrorKind } from './integration-error';

/**
 * An error as Switchyard's surfaces (MCP, the HTTP API, the bus) report it to
 * their callers: no causes, no details beyond the field list of a validation
 * error. Built from an error the hub threw, so already redacted.
 */
export interface ErrorReport {
  readonly kind: ErrorKind;
  readonly message: string;
  /** Whether the same call may succeed if made again. */
  readonly isRetryable: boolean;
  /** How long the provider asked callers to wait, when it said. */
  readonly retryAfterMs?: number;
  /** Every provider attempt the router made, in order. */
  readonly attempts: readonly { readonly provider: string; readonly attempt: number; readonly kind: string; readonly message: string }[];
  /** The input paths that failed validation (`repository.owner`), for `validation` errors. */
  readonly fields?: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The paths of the zod issues in a validation error's `details` (`{ issues }` or the issue list itself). */
export function validationFields(details: unknown): string[] | undefined {
  const issues = isRecord(details) && Array.isArray(details.issues) ? details.issues : Array.isArray(details) ? details : undefined;
  if (issues === undefined) return undefined;
  const fields = issues
    .map((issue: unknown) => (isRecord(issue) && Array.isArray(issue.path) ? issue.path.map(String).join('.') : undefined))
    .filter((field): field is string => field !== undefined);
  return fields.length === 0 ? undefined : fields;
}

/**
 * The report of an error the hub threw; anything that is not an
 * `IntegrationError` becomes a non-retryable `provider` error without its
 * text (it may hold anything).
 */
export function errorReport(error: unknown): ErrorReport {
  if (!IntegrationError.isInstance(error)) {
    return { kind: 'provider', message: 'The operation failed unexpectedly.', isRetryable: false, attempts: [] };
  }
  const fields = error.kind === 'validation' ? validationFields(error.details) : undefined;
  return {
    kind: error.kind,
    message: error.message,
    isRetryable: error.isRetryable,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    attempts: error.attempts.map(({ provider, attempt, kind, message }) => ({ provider, attempt, kind, message })),
    ...(fields === undefined ? {} : { fields }),
  };
}
