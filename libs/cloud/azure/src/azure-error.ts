import { IntegrationError, type SecretSet } from '@switchyard/core';
import {
  createProviderErrors,
  normalizeHeaders,
  type HttpResponseHeaders,
  type ProviderErrorHint,
  type ProviderErrors,
} from '@switchyard/http';

/**
 * Blob service error codes (`x-ms-error-code`) that mean more than their
 * status. Every other code means what its status means in the shared table
 * (`BlobNotFound` is a 404, `ContainerAlreadyExists` a 409, ...).
 */
const HINT_BY_CODE: ReadonlyMap<string, ProviderErrorHint> = new Map([
  // 503: the account or partition is over its request rate, a throttle rather than an outage.
  ['ServerBusy', { kind: 'rate_limit' }],
  // 500: the operation ran out of server time.
  ['OperationTimedOut', { kind: 'timeout' }],
  // 400: a malformed Authorization header or SAS, a credentials problem rather than bad input.
  ['InvalidAuthenticationInfo', { kind: 'auth' }],
]);

/** A blob service error answer. */
export interface AzureStatusAnswer {
  readonly operation: string;
  readonly status: number;
  /** The `x-ms-error-code`, e.g. `ServerBusy`. */
  readonly code?: string | undefined;
  readonly message?: string | undefined;
  readonly headers?: HttpResponseHeaders | undefined;
  readonly cause?: unknown;
}

/** The fields of an `@azure/core-rest-pipeline` `RestError` (or a Node system error) this module reads. */
interface SdkErrorShape {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly response?: { readonly headers?: unknown } | undefined;
}

/**
 * The SDK's `HttpHeaders` has neither `forEach` nor own fields, which
 * `normalizeHeaders` reads; its `toJSON()` gives plain lower-case headers.
 */
function responseHeaders(headers: unknown): HttpResponseHeaders {
  const toJSON = (headers as { toJSON?: unknown } | undefined)?.toJSON;
  return normalizeHeaders(typeof toJSON === 'function' ? (toJSON as () => unknown).call(headers) : headers);
}

/**
 * The error factory of one Azure provider: every message prefixed `azure: `,
 * every error recorded on `azure` and redacted with the provider's secrets
 * (account key, SAS, client secret, function keys, Resource Manager tokens).
 */
export interface AzureErrors extends ProviderErrors {
  /** Classifies a blob service error answer through the shared status table, with {@link HINT_BY_CODE}'s hints. */
  readonly fromBlobStatus: (answer: AzureStatusAnswer) => IntegrationError;
  /**
   * Classifies an error thrown by `@azure/storage-blob`: an answer with an
   * error status through the shared status table, refined by the service's
   * error code (from the body, or the `x-ms-error-code` header when there is
   * none, as for HEAD requests; see {@link HINT_BY_CODE}), with `Retry-After`;
   * anything else as a transport failure (`REQUEST_SEND_ERROR`,
   * `ECONNREFUSED`, ... → `network`; aborts → `timeout`) or `provider`.
   * Integration errors pass through.
   */
  readonly fromBlob: (error: unknown, operation: string) => IntegrationError;
}

/** Creates the {@link AzureErrors} of one provider, redacting with its `secrets`. Default: patterns only. */
export function createAzureErrors(secrets?: SecretSet): AzureErrors {
  const errors = createProviderErrors('azure', { secrets });
  const fromBlobStatus = (answer: AzureStatusAnswer): IntegrationError =>
    errors.fromStatus({ ...answer, hint: answer.code === undefined ? undefined : HINT_BY_CODE.get(answer.code) });
  const fromBlob = (error: unknown, operation: string): IntegrationError => {
    if (IntegrationError.isInstance(error)) return error;
    const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
    const status = typeof shape.statusCode === 'number' ? shape.statusCode : 0;
    if (status < 400) return errors.fromFailure(error, operation);
    const headers = responseHeaders(shape.response?.headers);
    const headerCode = headers['x-ms-error-code'];
    return fromBlobStatus({
      operation,
      status,
      code: typeof shape.code === 'string' ? shape.code : typeof headerCode === 'string' ? headerCode : undefined,
      message: typeof shape.message === 'string' ? shape.message : undefined,
      headers,
      cause: error,
    });
  };
  return { ...errors, fromBlobStatus, fromBlob };
}
