import { IntegrationError, type SecretSet } from '@switchyard/core';

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
  /**
   * The client's secrets (`HttpClientSettings.secrets`, usually its
   * provider's set). A strategy keeps every secret it sends here, so the
   * client, the provider and its hub redact it: a value that does not change
   * with `add`, one that is resolved or refreshed with `set(slot, value)`
   * in a slot of the strategy's own, so the value it replaces is dropped.
   */
  readonly secrets: SecretSet;
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

/** What a strategy sends for one secret value: the headers or query, and the values to keep secret (the value and any encoding of it). */
export interface SecretUse {
  readonly result: AuthResult;
  readonly secrets: readonly string[];
}

let strategies = 0;

/** A slot prefix no other strategy instance uses, e.g. `oauth2#3`: a strategy's refreshed values replace only its own. */
export function strategySlot(kind: string): string {
  strategies += 1;
  return `${kind}#${strategies}`;
}

/** The `auth` error for a secret that resolved to nothing. */
export function missingSecretError(what: string): IntegrationError {
  return new IntegrationError({ kind: 'auth', message: `No ${what} is configured`, isRetryable: false });
}

function requireSecret(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw missingSecretError(what);
  return value;
}

/**
 * The `apply` of a strategy that sends one secret from a {@link SecretSource}.
 * A plain value is built into a result once (the client then reuses its
 * merged headers) and added to each request's `secrets`: adding a value the
 * set holds costs a map update, not a new pattern, and keeps it among the
 * set's most recent. A function is resolved on each request and its values
 * `set` in this strategy's slots, so a rotated token replaces the one before
 * it. Stays synchronous for plain values: static credentials cost no promise.
 */
export function secretApply(source: SecretSource, what: string, use: (value: string) => SecretUse): AuthStrategy['apply'] {
  if (typeof source === 'string') {
    let built: SecretUse | undefined;
    return (request) => {
      built ??= use(requireSecret(source, what));
      for (const value of built.secrets) request.secrets.add(value);
      return built.result;
    };
  }
  const slot = strategySlot(what);
  const slots: string[] = [];
  const finish = (secrets: SecretSet, value: string): AuthResult => {
    const built = use(requireSecret(value, what));
    built.secrets.forEach((secret, index) => secrets.set((slots[index] ??= `${slot}:${index}`), secret));
    return built.result;
  };
  return (request) => {
    const resolved = source();
    return typeof resolved === 'string' ? finish(request.secrets, resolved) : resolved.then((value) => finish(request.secrets, value));
  };
}
