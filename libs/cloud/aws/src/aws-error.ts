import { IntegrationError, type ErrorKind } from '@switchyard/core';
import { retryAfterMsFromHeaders, transportFailure, type HttpResponseHeaders } from '@switchyard/http';

/** How long to wait after a throttling error that carries no `Retry-After` header. */
export const DEFAULT_THROTTLE_RETRY_AFTER_MS = 1000;

/** AWS error codes (the SDK error's `name` or `Code`) by the kind they are classified as. */
const KIND_BY_CODE: Readonly<Record<string, ErrorKind>> = {
  // not_found
  NoSuchKey: 'not_found',
  NotFound: 'not_found',
  NoSuchBucket: 'not_found',
  NoSuchUpload: 'not_found',
  ResourceNotFoundException: 'not_found',
  'InvalidInstanceID.NotFound': 'not_found',
  'InvalidAMIID.NotFound': 'not_found',
  // auth
  AccessDenied: 'auth',
  AccessDeniedException: 'auth',
  InvalidAccessKeyId: 'auth',
  SignatureDoesNotMatch: 'auth',
  ExpiredToken: 'auth',
  ExpiredTokenException: 'auth',
  InvalidClientTokenId: 'auth',
  UnrecognizedClientException: 'auth',
  AuthFailure: 'auth',
  UnauthorizedOperation: 'auth',
  CredentialsProviderError: 'auth',
  // rate_limit
  Throttling: 'rate_limit',
  ThrottlingException: 'rate_limit',
  ThrottledException: 'rate_limit',
  SlowDown: 'rate_limit',
  TooManyRequestsException: 'rate_limit',
  RequestLimitExceeded: 'rate_limit',
  RequestThrottled: 'rate_limit',
  ProvisionedThroughputExceededException: 'rate_limit',
  // conflict
  BucketAlreadyExists: 'conflict',
  BucketAlreadyOwnedByYou: 'conflict',
  BucketNotEmpty: 'conflict',
  ResourceConflictException: 'conflict',
  ResourceInUseException: 'conflict',
  OperationAborted: 'conflict',
  IncorrectInstanceState: 'conflict',
  IncorrectState: 'conflict',
  PreconditionFailed: 'conflict',
  // validation
  InvalidParameterValue: 'validation',
  InvalidParameterValueException: 'validation',
  InvalidParameter: 'validation',
  InvalidParameterCombination: 'validation',
  InvalidRequestContentException: 'validation',
  MissingParameter: 'validation',
  ValidationException: 'validation',
  ValidationError: 'validation',
  InvalidRequest: 'validation',
  InvalidArgument: 'validation',
  InvalidBucketName: 'validation',
  IllegalLocationConstraintException: 'validation',
  InvalidLocationConstraint: 'validation',
  KeyTooLongError: 'validation',
  MetadataTooLarge: 'validation',
  EntityTooLarge: 'validation',
  MalformedXML: 'validation',
  RequestTooLargeException: 'validation',
  CodeStorageExceededException: 'validation',
  'InvalidInstanceID.Malformed': 'validation',
  InvalidZipFileException: 'validation',
  // unsupported
  NotImplemented: 'unsupported',
  UnsupportedOperation: 'unsupported',
  // provider (retryable)
  InternalError: 'provider',
  InternalFailure: 'provider',
  ServiceUnavailable: 'provider',
  ServiceException: 'provider',
  Unavailable: 'provider',
};

/** The fields of an AWS SDK v3 error this module reads; everything optional. */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number | undefined };
  readonly $response?: { readonly statusCode?: number | undefined; readonly headers?: HttpResponseHeaders };
  readonly $retryable?: { readonly throttling?: boolean | undefined };
}

function kindForStatus(status: number | undefined): ErrorKind {
  if (status === undefined) return 'provider';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate_limit';
  if (status === 501) return 'unsupported';
  if (status >= 400 && status < 500) return 'validation';
  return 'provider';
}

/** The error code the SDK reports: `Code` from the body when present, else the error's name. */
function errorCode(error: SdkErrorShape): string | undefined {
  if (typeof error.Code === 'string' && error.Code !== '') return error.Code;
  return typeof error.name === 'string' ? error.name : undefined;
}

/** Where an {@link awsError} happened. */
export interface AwsErrorContext {
  /** `capability.operation`, e.g. `storage.getObject`. */
  readonly operation?: string | undefined;
  /** Clock in epoch ms for HTTP-date `Retry-After` values. Default `Date.now()`. */
  readonly now?: number | undefined;
}

/**
 * Classifies anything an AWS SDK v3 call throws into an `IntegrationError`:
 * by error code first (`NoSuchKey` → `not_found`, `SlowDown` → `rate_limit`,
 * ...), then by `$metadata.httpStatusCode`; socket errors are `network`,
 * aborts `timeout`. Rate limits carry `retryAfterMs` from `Retry-After`, else
 * {@link DEFAULT_THROTTLE_RETRY_AFTER_MS}. 5xx answers are retryable
 * `provider` errors. Integration errors pass through unchanged.
 */
export function awsError(error: unknown, context: AwsErrorContext = {}): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
  const code = errorCode(shape);
  const status = shape.$metadata?.httpStatusCode ?? shape.$response?.statusCode;
  const rawMessage = typeof shape.message === 'string' && shape.message !== '' ? shape.message : String(error);
  const base = { provider: 'aws', operation: context.operation, statusCode: status, cause: error };

  if (code === 'AbortError') {
    return new IntegrationError({ ...base, kind: 'timeout', message: `AWS request was aborted: ${rawMessage}` });
  }
  // Socket failures and the SDK's own socket timeouts: the request may not have reached AWS at all.
  const transport = status === undefined ? transportFailure(error) : undefined;
  if (transport !== undefined) {
    return new IntegrationError({
      ...base,
      kind: 'network',
      message: `Could not reach AWS (${transport.code}): ${rawMessage}`,
    });
  }

  const kind: ErrorKind =
    (code !== undefined && Object.hasOwn(KIND_BY_CODE, code) ? KIND_BY_CODE[code] : undefined) ??
    (shape.$retryable?.throttling === true ? 'rate_limit' : kindForStatus(status));
  const headers = shape.$response?.headers ?? {};
  const headerRetryAfterMs = retryAfterMsFromHeaders(headers, context.now ?? Date.now());
  const retryAfterMs = kind === 'rate_limit' ? (headerRetryAfterMs ?? DEFAULT_THROTTLE_RETRY_AFTER_MS) : headerRetryAfterMs;
  // A "still updating" conflict on Lambda clears by itself; other conflicts need the caller to change something.
  const isRetryable = kind === 'conflict' ? /in progress/i.test(rawMessage) : undefined;
  const codeLabel = code !== undefined && code !== 'Error' && code !== 'UnknownError' ? code : `HTTP ${status ?? '?'}`;
  const message = rawMessage === 'UnknownError' || rawMessage === code ? `AWS answered ${codeLabel}` : `AWS answered ${codeLabel}: ${rawMessage}`;
  return new IntegrationError({ ...base, kind, message, retryAfterMs, isRetryable });
}

/** A `validation` error for input AWS would refuse, raised before any request is sent. */
export function invalidInput(operation: string, message: string): IntegrationError {
  return new IntegrationError({ kind: 'validation', message, provider: 'aws', operation });
}
