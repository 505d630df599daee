import { redact, redactText, type RedactionSecrets } from './redact';

/** Every kind of failure a provider call can end in. */
export const ERROR_KINDS = [
  'auth',
  'rate_limit',
  'network',
  'timeout',
  'validation',
  'not_found',
  'conflict',
  'unsupported',
  'circuit_open',
  'provider',
] as const;

/** One of {@link ERROR_KINDS}. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Kinds that are worth trying again on the same provider, when no provider says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorKind> = new Set(['rate_limit', 'network', 'timeout', 'provider']);

const marker: unique symbol = Symbol.for('switchyard.integration-error');

/** One attempt the router made, as recorded on a final error. */
export interface AttemptRecord {
  readonly provider: string;
  /** 1 for the first call to this provider in the request, 2 for its first retry, ...; 0 when it refused the input before any call. */
  readonly attempt: number;
  readonly kind: ErrorKind;
  readonly message: string;
  readonly durationMs: number;
}

/** The fields of an {@link IntegrationError}; one object, as every error here takes. */
export interface IntegrationErrorOptions {
  readonly kind: ErrorKind;
  /** What went wrong, for people. Secrets in it are redacted. */
  readonly message: string;
  /** The provider id that failed, when one did. */
  readonly provider?: string | undefined;
  /** `capability.operation` (or a provider-specific operation) that failed. */
  readonly operation?: string | undefined;
  /** The HTTP status (or the SDK's equivalent) the provider answered with. */
  readonly statusCode?: number | undefined;
  /** How long the provider asked us to wait before trying again. */
  readonly retryAfterMs?: number | undefined;
  /** Whether the same call may succeed if repeated; default: by kind (rate_limit, network, timeout, provider). */
  readonly isRetryable?: boolean | undefined;
  /** The underlying error; kept in redacted form. */
  readonly cause?: unknown;
  /** Every attempt made before giving up, on errors the router returns. */
  readonly attempts?: readonly AttemptRecord[] | undefined;
  /** Machine-readable details, e.g. the fields that failed validation. Redacted. */
  readonly details?: unknown;
}

/**
 * The one error type Switchyard throws. Providers classify what went wrong
 * into a {@link ErrorKind}; the router decides whether to retry or fail over.
 * Messages, causes and details are redacted when the error is built, so an
 * error can be logged or returned to an agent as it is.
 *
 * Use {@link IntegrationError.isInstance} rather than `instanceof`: it works
 * across copies of the package.
 *
 * @example
 * ```ts
 * throw new IntegrationError({ kind: 'rate_limit', message: 'GitHub secondary rate limit', provider: 'github', statusCode: 403, retryAfterMs: 60_000 });
 * ```
 */
export class IntegrationError extends Error {
  override readonly name = 'IntegrationError';
  readonly kind: ErrorKind;
  readonly provider: string | undefined;
  readonly operation: string | undefined;
  readonly statusCode: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly isRetryable: boolean;
  readonly attempts: readonly AttemptRecord[];
  readonly details: unknown;
  private readonly [marker] = true;

  constructor(options: IntegrationErrorOptions) {
    super(redactText(options.message), options.cause === undefined ? undefined : { cause: redact(options.cause) });
    this.kind = options.kind;
    this.provider = options.provider;
    this.operation = options.operation;
    this.statusCode = options.statusCode;
    this.retryAfterMs = options.retryAfterMs;
    this.isRetryable = options.isRetryable ?? RETRYABLE_BY_DEFAULT.has(options.kind);
    this.attempts = Object.freeze([...(options.attempts ?? [])]);
    this.details = options.details === undefined ? undefined : redact(options.details);
  }

  /** True for any `IntegrationError`, even one from another copy of this package. */
  static isInstance(value: unknown): value is IntegrationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  /** A plain, redacted object for logs and API responses. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      statusCode: this.statusCode,
      retryAfterMs: this.retryAfterMs,
      isRetryable: this.isRetryable,
      attempts: this.attempts.length > 0 ? this.attempts : undefined,
      details: this.details,
    };
  }
}

/**
 * A copy of `error` with the values of `secrets` redacted from its message,
 * stack, cause, details and attempts. The hub applies it, with its
 * providers' secrets, to every error it hands back; errors are already
 * pattern-redacted when built.
 */
export function redactIntegrationError(error: IntegrationError, secrets: RedactionSecrets): IntegrationError {
  const copy = new IntegrationError({
    kind: error.kind,
    message: redactText(error.message, secrets),
    provider: error.provider,
    operation: error.operation,
    statusCode: error.statusCode,
    retryAfterMs: error.retryAfterMs,
    isRetryable: error.isRetryable,
    attempts: error.attempts.map((attempt) => ({ ...attempt, message: redactText(attempt.message, secrets) })),
    details: error.details === undefined ? undefined : redact(error.details, secrets),
    cause: error.cause === undefined ? undefined : redact(error.cause, secrets),
  });
  if (error.stack !== undefined) copy.stack = redactText(error.stack, secrets);
  return copy;
}

/**
 * Turns anything thrown into an {@link IntegrationError}: integration errors
 * pass through, abort and timeout errors become `timeout`, network errors
 * (`ECONNRESET`, `ECONNREFUSED`, ...) become `network`, anything else
 * `provider`. Providers should classify their own errors first; this is the
 * router's last resort.
 */
export function toIntegrationError(
  error: unknown,
  context: { readonly provider?: string | undefined; readonly operation?: string | undefined } = {},
): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const name = error instanceof Error ? error.name : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const kind: ErrorKind =
    name === 'AbortError' || name === 'TimeoutError'
      ? 'timeout'
      : typeof code === 'string' && NETWORK_CODES.has(code)
        ? 'network'
        : 'provider';
  return new IntegrationError({ kind, message, cause: error, ...context });
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);
