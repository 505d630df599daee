import { IntegrationError, type SecretSet } from '@switchyard/core';
import {
  classifyHttpStatus,
  createProviderErrors,
  normalizeHeaders,
  type HttpErrorDetails,
  type ProviderErrorHint,
  type ProviderErrors,
} from '@switchyard/http';
import { z } from 'zod';

/**
 * Google error reasons that mean more than their status: a 403 whose reason
 * is a rate limit is a throttle, not a permission problem
 * (https://cloud.google.com/storage/docs/json_api/v1/status-codes#403-forbidden,
 * https://cloud.google.com/compute/api-quota).
 */
const HINT_BY_REASON: Readonly<Record<string, ProviderErrorHint>> = {
  rateLimitExceeded: { kind: 'rate_limit' },
  userRateLimitExceeded: { kind: 'rate_limit' },
  RATE_LIMIT_EXCEEDED: { kind: 'rate_limit' },
};

/** `google.rpc.Code` → the HTTP status Google maps it to (https://cloud.google.com/apis/design/errors#handling_errors). */
const HTTP_STATUS_BY_RPC_CODE: Readonly<Record<number, number>> = {
  1: 499, // CANCELLED
  2: 500, // UNKNOWN
  3: 400, // INVALID_ARGUMENT (a failed build)
  4: 504, // DEADLINE_EXCEEDED
  5: 404, // NOT_FOUND
  6: 409, // ALREADY_EXISTS
  7: 403, // PERMISSION_DENIED
  8: 429, // RESOURCE_EXHAUSTED
  9: 400, // FAILED_PRECONDITION
  10: 409, // ABORTED
  11: 400, // OUT_OF_RANGE
  12: 501, // UNIMPLEMENTED
  13: 500, // INTERNAL
  14: 503, // UNAVAILABLE
  15: 500, // DATA_LOSS
  16: 401, // UNAUTHENTICATED
};

const reasonsSchema = z.array(z.object({ reason: z.string().nullish() })).nullish();

/** Google's error envelope: `{ error: { code, message, status, errors: [{ reason }], details: [{ reason }] } }`. */
const envelopeSchema = z.object({ error: z.object({ status: z.string().nullish(), errors: reasonsSchema, details: reasonsSchema }) });

/** What the Storage SDK's `ApiError` (or a gaxios error) carries. */
const sdkErrorSchema = z.object({
  // A number for an HTTP answer; a socket error's code (`ECONNREFUSED`) otherwise.
  code: z.unknown().optional(),
  status: z.unknown().optional(),
  message: z.string().nullish(),
  errors: reasonsSchema,
  response: z.object({ headers: z.unknown().optional() }).nullish(),
});

function httpStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value < 600 ? value : undefined;
}

function reasonsOf(lists: readonly z.infer<typeof reasonsSchema>[]): string[] {
  return lists.flatMap((list) => list ?? []).flatMap(({ reason }) => (reason === undefined || reason === null ? [] : [reason]));
}

function hintFor(reasons: readonly string[]): ProviderErrorHint | undefined {
  const hinted = reasons.find((reason) => Object.hasOwn(HINT_BY_REASON, reason));
  return hinted === undefined ? undefined : HINT_BY_REASON[hinted];
}

/**
 * `createHttpClient`'s `errorDetails` for Google's REST APIs: the envelope's
 * `status` and reasons go on `details`, and a rate-limit reason is a
 * `rate_limit` hint. The message stays the client's excerpt (`STATUS: message`).
 */
export function googleErrorDetails({ body }: { readonly body: string }): HttpErrorDetails | undefined {
  // A body that is not JSON throws here, which the client takes as "nothing to add".
  const parsed = envelopeSchema.safeParse(JSON.parse(body));
  if (!parsed.success) return undefined;
  const reasons = reasonsOf([parsed.data.error.errors, parsed.data.error.details]);
  return { ...hintFor(reasons), details: { status: parsed.data.error.status ?? undefined, reasons } };
}

/**
 * The error factory of one Google Cloud provider: every message starts
 * `gcp: `, every status goes through the shared table, and every error is
 * redacted with the provider's secrets (keys, access and ID tokens).
 */
export interface GcpErrors extends ProviderErrors {
  /**
   * Classifies an error from the `@google-cloud/storage` SDK through the shared
   * status table (`ApiError.code`, the response headers, GCS's message and
   * reason, with {@link HINT_BY_REASON}); without a status, aborts become
   * `timeout` and socket errors `network`. An `IntegrationError` passes through.
   */
  readonly fromStorage: (error: unknown, operation: string) => IntegrationError;
  /** A long-running operation that finished with an error: its `google.rpc.Code` classified by the status Google maps it to. */
  readonly fromOperation: (
    operation: string,
    operationName: string,
    failure: { readonly code?: number | null; readonly message?: string | null },
  ) => IntegrationError;
  /** Runs a REST call and records `operation` on any `IntegrationError` it throws (the HTTP client knows only the path). */
  readonly tagOperation: <T>(operation: string, call: () => Promise<T>) => Promise<T>;
}

/** Creates the {@link GcpErrors} of one provider, redacting with its `secrets`. Default: patterns only. */
export function createGcpErrors(secrets?: SecretSet): GcpErrors {
  const errors = createProviderErrors('gcp', { secrets });
  return {
    ...errors,
    fromStorage(error, operation) {
      if (IntegrationError.isInstance(error)) return error;
      const parsed = sdkErrorSchema.safeParse(error);
      const sdkError = parsed.success ? parsed.data : undefined;
      const status = httpStatus(sdkError?.code) ?? httpStatus(sdkError?.status);
      if (sdkError === undefined || status === undefined) return errors.fromFailure(error, operation);
      const reasons = reasonsOf([sdkError.errors]);
      return errors.fromStatus({
        operation,
        status,
        headers: normalizeHeaders(sdkError.response?.headers),
        message: sdkError.message ?? undefined,
        code: reasons[0],
        hint: hintFor(reasons),
        cause: error,
      });
    },
    fromOperation(operation, operationName, failure) {
      const code = failure.code ?? 2;
      const message = failure.message ?? 'no message';
      const classified = classifyHttpStatus({ status: HTTP_STATUS_BY_RPC_CODE[code] ?? 500, message });
      return errors.create({
        kind: classified.kind,
        isRetryable: classified.retryable,
        message: `${operation}: operation ${operationName} failed (code ${code}): ${message}`,
        operation,
      });
    },
    async tagOperation(operation, call) {
      try {
        return await call();
      } catch (error) {
        if (!IntegrationError.isInstance(error) || error.operation !== undefined) throw error;
        throw errors.create({
          kind: error.kind,
          message: error.message,
          operation,
          statusCode: error.statusCode,
          retryAfterMs: error.retryAfterMs,
          isRetryable: error.isRetryable,
          cause: error,
          details: error.details,
        });
      }
    },
  };
}
