import { IntegrationError, type ErrorKind } from '@switchyard/core';
import { retryAfterMsFromHeaders, transportFailure, type HttpResponseHeaders } from '@switchyard/http';

/** Where a failed storage call came from, for the error. */
export interface GcpErrorContext {
  /** `capability.operation`, e.g. `storage.getObject`. */
  readonly operation: string;
  /** What was being touched, e.g. `object "a.txt" in bucket "b"`, for the message. */
  readonly subject?: string | undefined;
}

function kindForStatus(status: number): ErrorKind {
  if (status === 400) return 'validation';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate_limit';
  return 'provider';
}

/** Response headers from an SDK error's response: a plain object or a fetch `Headers`. */
function responseHeaders(error: object): HttpResponseHeaders {
  const response = (error as { response?: { headers?: unknown } }).response;
  const headers = response?.headers;
  if (headers === undefined || headers === null || typeof headers !== 'object') return {};
  if (typeof (headers as Headers).forEach === 'function' && !Array.isArray(headers) && typeof (headers as Headers).get === 'function') {
    const plain: Record<string, string> = {};
    (headers as Headers).forEach((value, name) => {
      plain[name.toLowerCase()] = value;
    });
    return plain;
  }
  const plain: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string' || Array.isArray(value)) plain[name.toLowerCase()] = value as string | string[];
  }
  return plain;
}

/** The HTTP status an SDK error carries (`ApiError.code`), if any. */
function statusOf(error: object): number | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && code >= 100 && code < 600) return code;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 100 && status < 600 ? status : undefined;
}

/**
 * Classifies an error from the `@google-cloud/storage` SDK: `ApiError.code`
 * 400 → `validation`, 401/403 → `auth`, 404 → `not_found`, 409/412 →
 * `conflict`, 429 → `rate_limit` (with `Retry-After`), 5xx → `provider`;
 * `ECONNREFUSED`/`ECONNRESET` and other socket errors → `network`; aborts
 * and `ETIMEDOUT` → `timeout`. An `IntegrationError` passes through. The
 * message names the operation and quotes GCS's own message (redacted).
 */
export function gcpStorageError(error: unknown, context: GcpErrorContext): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const about = context.subject === undefined ? '' : ` (${context.subject})`;
  const base = { provider: 'gcp', operation: context.operation, cause: error };
  if (typeof error === 'object' && error !== null) {
    const status = statusOf(error);
    if (status !== undefined) {
      const kind = kindForStatus(status);
      const headers = responseHeaders(error);
      const retryAfterMs = kind === 'rate_limit' || headers['retry-after'] !== undefined ? retryAfterMsFromHeaders(headers) : undefined;
      return new IntegrationError({
        ...base,
        kind,
        statusCode: status,
        retryAfterMs,
        message: `gcp: ${context.operation}${about} failed with ${status}: ${reason}`,
      });
    }
    const transport = transportFailure(error);
    if (transport?.kind === 'timeout') {
      return new IntegrationError({ ...base, kind: 'timeout', message: `gcp: ${context.operation}${about} timed out or was aborted: ${reason}` });
    }
    if (transport !== undefined) {
      return new IntegrationError({ ...base, kind: 'network', message: `gcp: ${context.operation}${about} failed on the network (${transport.code}): ${reason}` });
    }
  }
  return new IntegrationError({ ...base, kind: 'provider', message: `gcp: ${context.operation}${about} failed: ${reason}` });
}
