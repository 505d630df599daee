import { IntegrationError, type ErrorKind } from '@switchyard/core';
import { retryAfterMsFromHeaders, transportFailure } from '@switchyard/http';

/** Blob service error codes (`x-ms-error-code`) that decide the kind before the status does. */
const KIND_BY_CODE: Readonly<Record<string, ErrorKind>> = {
  BlobNotFound: 'not_found',
  ContainerNotFound: 'not_found',
  ResourceNotFound: 'not_found',
  CannotVerifyCopySource: 'not_found',
  ContainerAlreadyExists: 'conflict',
  BlobAlreadyExists: 'conflict',
  ContainerBeingDeleted: 'conflict',
  LeaseIdMissing: 'conflict',
  AuthenticationFailed: 'auth',
  AuthorizationFailure: 'auth',
  AuthorizationPermissionMismatch: 'auth',
  InvalidAuthenticationInfo: 'auth',
  ServerBusy: 'rate_limit',
  OperationTimedOut: 'timeout',
  InvalidResourceName: 'validation',
  InvalidInput: 'validation',
  InvalidQueryParameterValue: 'validation',
  OutOfRangeInput: 'validation',
};

/** The fields of an `@azure/core-rest-pipeline` `RestError` (or a Node system error) this module reads. */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly response?: { readonly headers?: { get?(name: string): string | undefined } } | undefined;
  readonly cause?: unknown;
}

function kindForStatus(status: number): ErrorKind {
  if (status === 400) return 'validation';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429 || status === 503) return 'rate_limit';
  return 'provider';
}

/**
 * Classifies an error thrown by `@azure/storage-blob` into an
 * `IntegrationError`: the service's error code first (`BlobNotFound`,
 * `ContainerNotFound` → `not_found`; `ContainerAlreadyExists`,
 * `BlobAlreadyExists` → `conflict`; `AuthenticationFailed`,
 * `AuthorizationFailure` → `auth`; `ServerBusy` → `rate_limit`), then the
 * status (401/403 `auth`, 404 `not_found`, 409/412 `conflict`, 429/503
 * `rate_limit` with `Retry-After`, other 5xx `provider`), then transport
 * failures (`REQUEST_SEND_ERROR`, `ECONNREFUSED`, ... → `network`; `AbortError`
 * → `timeout`). Integration errors pass through.
 */
export function azureBlobError(error: unknown, operation: string): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const reason = typeof shape.message === 'string' ? shape.message.split('\n')[0] : String(error);
  const prefix = `azure: ${operation}`;
  const status = typeof shape.statusCode === 'number' ? shape.statusCode : undefined;
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const transport = status === undefined || status === 0 ? transportFailure(error) : undefined;
  if (transport?.kind === 'timeout') {
    return new IntegrationError({ kind: 'timeout', message: `${prefix} timed out or was aborted`, provider: 'azure', operation, cause: error });
  }
  if (status === undefined || status === 0) {
    if (transport !== undefined) {
      return new IntegrationError({ kind: 'network', message: `${prefix} failed on the network (${transport.code}): ${reason}`, provider: 'azure', operation, cause: error });
    }
    return new IntegrationError({ kind: 'provider', message: `${prefix} failed: ${reason}`, provider: 'azure', operation, cause: error });
  }
  const kind = (code === undefined ? undefined : KIND_BY_CODE[code]) ?? kindForStatus(status);
  const retryAfter = shape.response?.headers?.get?.('retry-after');
  const retryAfterMs = retryAfter === undefined ? undefined : retryAfterMsFromHeaders({ 'retry-after': retryAfter });
  return new IntegrationError({
    kind,
    message: `${prefix} failed with ${status}${code === undefined ? '' : ` ${code}`}: ${reason}`,
    provider: 'azure',
    operation,
    statusCode: status,
    retryAfterMs,
    cause: error,
  });
}
