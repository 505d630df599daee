import type { ErrorKind, IntegrationError } from '../errors/integration-error';

/**
 * Kinds after which the router tries the next provider: the provider could
 * not serve the call, and another one may. Validation, auth, not-found and
 * conflict answers are about the request or the account, so they are
 * returned to the caller as they are.
 */
const FAILOVER_KINDS: ReadonlySet<ErrorKind> = new Set(['rate_limit', 'network', 'timeout', 'provider', 'circuit_open', 'unsupported']);

/** Kinds that say a provider is unhealthy, so they count toward its circuit breaker and success rate. */
const UNHEALTHY_KINDS: ReadonlySet<ErrorKind> = new Set(['network', 'timeout', 'provider']);

/**
 * Whether the router may try the next provider after `error`.
 *
 * A call that is not idempotent and carries no idempotency key does not fail
 * over after a `timeout`: the first provider may have done the work, and
 * doing it again elsewhere (a second message, a second issue) is worse than
 * an error.
 */
export function canFailOver(error: IntegrationError, idempotent: boolean): boolean {
  if (!FAILOVER_KINDS.has(error.kind)) return false;
  return idempotent || error.kind !== 'timeout';
}

/** Whether `error` counts against the provider's health (breaker, success rate). */
export function countsAgainstHealth(error: IntegrationError): boolean {
  return UNHEALTHY_KINDS.has(error.kind);
}

/**
 * Whether the same provider may be tried again: only for retryable errors,
 * and only when repeating the call is safe (idempotent operation or an
 * idempotency key the provider honours).
 */
export function canRetry(error: IntegrationError, idempotent: boolean): boolean {
  return idempotent && error.isRetryable;
}
