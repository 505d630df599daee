import { IntegrationError, registerSecret } from '@switchyard/core';

/** The request an {@link AuthStrategy} authenticates, as the client is about to send it. */
export interface AuthRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The origin, e.g. `https://api.github.com`. */
  readonly origin: string;
  /** Path with the base path, before auth adds query parameters; may hold a query string. */
  readonly path: string;
  /** Lower-case header names the request will carry (without the strategy's own). */
  readonly headers: Readonly<Record<string, string>>;
  /** The encoded body, if any. */
  readonly body: string | Uint8Array | undefined;
}

/** What a strategy adds to a request: headers and/or query parameters. */
export interface AuthResult {
  /** Headers to set (names lower case). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Query parameters to append. */
  readonly query?: Readonly<Record<string, string>> | undefined;
}

/**
 * How a client authenticates: a small object whose `apply` returns the
 * headers or query parameters to add, synchronously when it can (static
 * values) or as a promise (values resolved lazily, signatures).
 */
export interface AuthStrategy {
  /** What kind of auth this is, e.g. `bearer`; for diagnostics. */
  readonly kind: string;
  apply(request: AuthRequest): AuthResult | Promise<AuthResult>;
}

/** A secret given as a value, or as a function resolving it on each request (it may cache). */
export type SecretSource = string | (() => string | Promise<string>);

/** The `auth` error for a secret that resolved to nothing. */
export function missingSecretError(what: string): IntegrationError {
  return new IntegrationError({ kind: 'auth', message: `No ${what} is configured`, isRetryable: false });
}

/**
 * Resolves a {@link SecretSource}, registers the value with core's redaction
 * (`registerSecret`) and hands it to `use`. Stays synchronous for plain
 * values, so static credentials cost no promise per request.
 */
export function withSecret<T>(source: SecretSource, what: string, use: (value: string) => T): T | Promise<T> {
  if (typeof source === 'string') {
    if (source === '') throw missingSecretError(what);
    registerSecret(source);
    return use(source);
  }
  const resolved = source();
  const finish = (value: string): T => {
    if (typeof value !== 'string' || value === '') throw missingSecretError(what);
    registerSecret(value);
    return use(value);
  };
  return typeof resolved === 'string' ? finish(resolved) : resolved.then(finish);
}
