import { IntegrationError, type SecretSet } from '@switchyard/core';
import {
  createProviderErrors,
  normalizeHeaders,
  retryAfterMsFromHeaders,
  transportFailure,
  type HttpResponseHeaders,
  type ProviderErrorHint,
  type ProviderErrors,
} from '@switchyard/http';

/** How long to wait after an AWS throttle that names no wait (AWS throttles never send `Retry-After`). */
export const DEFAULT_THROTTLE_RETRY_AFTER_MS = 1000;

/**
 * AWS error codes (the SDK error's `Code` or `name`) that mean more than the
 * HTTP status they come with, or come with none: S3's per-key DeleteObjects
 * failures and the SDK's own credential errors carry a code only. Every
 * other code is classified by its status alone.
 */
const KIND_BY_CODE: Readonly<Record<string, NonNullable<ProviderErrorHint['kind']>>> = {
  // Throttles AWS answers with 400 (Query and JSON APIs) or 503 (S3, EC2).
  SlowDown: 'rate_limit',
  RequestLimitExceeded: 'rate_limit',
  Throttling: 'rate_limit',
  ThrottlingException: 'rate_limit',
  // EC2 answers 400 for an id that does not exist.
  'InvalidInstanceID.NotFound': 'not_found',
  'InvalidAMIID.NotFound': 'not_found',
  // 400s about the resource's current state, not the request.
  IncorrectInstanceState: 'conflict',
  IncorrectState: 'conflict',
  ResourceInUseException: 'conflict',
  // 400s for credentials that expired or that the service does not know.
  ExpiredToken: 'auth',
  ExpiredTokenException: 'auth',
  UnrecognizedClientException: 'auth',
  // EC2's 400 for an operation it does not offer.
  UnsupportedOperation: 'unsupported',
  // Lambda's 502 for a deployment package it cannot unzip: the caller's zip, not Lambda, is at fault.
  InvalidZipFileException: 'validation',
  // Without a status: S3's per-key DeleteObjects failures and the SDK's credential chain.
  AccessDenied: 'auth',
  CredentialsProviderError: 'auth',
};

/** Codes and messages that say nothing beyond the status. */
const MEANINGLESS = new Set(['Error', 'Unknown', 'UnknownError']);

/** The fields of an AWS SDK v3 error this module reads; everything optional. */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly Code?: unknown;
  /** A socket error's code, e.g. `ECONNRESET`. */
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number | undefined };
  readonly $response?: { readonly headers?: unknown };
  readonly $retryable?: { readonly throttling?: boolean | undefined };
}

function meaningful(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && !MEANINGLESS.has(value) ? value : undefined;
}

function kindOfCode(code: string | undefined): ProviderErrorHint['kind'] {
  return code !== undefined && Object.hasOwn(KIND_BY_CODE, code) ? KIND_BY_CODE[code] : undefined;
}

/**
 * What AWS says beyond the status: the code's kind (or a throttle the SDK
 * recognised); a wait of {@link DEFAULT_THROTTLE_RETRY_AFTER_MS} for a
 * throttle with no wait header; and a retryable conflict when the resource
 * is still busy (Lambda's "An update is in progress", S3's `OperationAborted`).
 */
function hintFor(
  shape: SdkErrorShape,
  code: string | undefined,
  status: number,
  headers: HttpResponseHeaders,
  now: number | undefined,
): ProviderErrorHint {
  const kind = kindOfCode(code) ?? (shape.$retryable?.throttling === true ? 'rate_limit' : undefined);
  const throttled = kind === 'rate_limit' || (kind === undefined && status === 429);
  const conflict = kind === 'conflict' || (kind === undefined && status === 409);
  return {
    kind,
    retryAfterMs: throttled && retryAfterMsFromHeaders(headers, now) === undefined ? DEFAULT_THROTTLE_RETRY_AFTER_MS : undefined,
    retryable: conflict && typeof shape.message === 'string' && /in progress/i.test(shape.message) ? true : undefined,
  };
}

/**
 * The error factory of one AWS provider: messages start `aws: `, statuses
 * follow the shared table, and every error it builds is redacted with the
 * provider's secrets (static keys and the identities its SDK clients resolved).
 */
export interface AwsErrors extends ProviderErrors {
  /**
   * Classifies anything an AWS SDK v3 call throws into an `IntegrationError`.
   * An answer with an error status goes through the shared status table
   * (`classifyHttpStatus`), with the hints of {@link hintFor}. Without one:
   * aborts and timeouts are `timeout`, socket errors `network` (also the
   * resets the SDK renames `TimeoutError`: `transportFailure` reads the socket
   * code first), a code with a kind of its own (missing credentials: `auth`)
   * that kind, and anything else, including a 2xx body the SDK could not
   * read, a retryable `provider` error. Integration errors pass through
   * unchanged.
   */
  readonly fromSdk: (error: unknown, operation: string, now?: number) => IntegrationError;
  /**
   * An AWS error code without a status: S3's per-key DeleteObjects failures
   * (inside a successful answer) and the SDK's own credential errors. A code
   * with a kind of its own gets it; any other is a retryable `provider` error.
   */
  readonly fromCode: (code: string, message: string | undefined, operation: string, cause?: unknown) => IntegrationError;
}

/** Creates the {@link AwsErrors} of one provider, redacting with its `secrets`. Default: patterns only. */
export function createAwsErrors(secrets?: SecretSet): AwsErrors {
  const errors = createProviderErrors('aws', { secrets });
  const fromCode = (code: string, message: string | undefined, operation: string, cause?: unknown): IntegrationError => {
    const detail = message === undefined || message === code ? '' : `: ${message}`;
    return errors.create({ kind: kindOfCode(code) ?? 'provider', message: `${operation} failed with ${code}${detail}`, operation, cause });
  };
  const fromSdk = (error: unknown, operation: string, now?: number): IntegrationError => {
    if (IntegrationError.isInstance(error)) return error;
    const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
    const code = meaningful(shape.Code) ?? meaningful(shape.name);
    const status = shape.$metadata?.httpStatusCode;
    if (status !== undefined && status >= 300) {
      const headers = normalizeHeaders(shape.$response?.headers);
      const hint = hintFor(shape, code, status, headers, now);
      return errors.fromStatus({ operation, status, headers, code, message: meaningful(shape.message), hint, cause: error, now });
    }
    // No answer, or a 2xx body the SDK could not read: only a code with a kind of its own (missing credentials) says more.
    if (code !== undefined && kindOfCode(code) !== undefined && transportFailure(error) === undefined) {
      return fromCode(code, meaningful(shape.message), operation, error);
    }
    return errors.fromFailure(error, operation);
  };
  return { ...errors, fromSdk, fromCode };
}
