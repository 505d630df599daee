import { IntegrationError, redactIntegrationError, type IntegrationErrorOptions, type SecretSet } from '@switchyard/core';
import { redactedExcerpt } from './error-excerpt';
import { transportFailure } from './http-errors';
import type { HttpResponseHeaders } from './http-headers';
import { classifyHttpStatus, type ProviderErrorHint } from './http-status';

/** An error answer an SDK reported, for {@link ProviderErrors.fromStatus}. */
export interface ProviderStatusError {
  /** `capability.operation` (or a provider operation's name) that failed. */
  readonly operation: string;
  readonly status: number;
  /** Lower-case header names; `normalizeHeaders` turns an SDK's headers into these. Default: none. */
  readonly headers?: HttpResponseHeaders | undefined;
  /** The provider's own message, quoted: its first line, redacted, then cut to at most 200 characters at a word boundary. */
  readonly message?: string | undefined;
  /** The provider's own error code, e.g. `NoSuchKey` or `channel_not_found`, named in the message. */
  readonly code?: string | undefined;
  /** The provider's reading of the answer (a code that means more than its status); wins over the status table. */
  readonly hint?: ProviderErrorHint | undefined;
  /** Redacted machine-readable details. */
  readonly details?: unknown;
  readonly cause?: unknown;
  /** Clock in epoch ms, for HTTP-date `Retry-After` values. Default `Date.now()`. */
  readonly now?: number | undefined;
}

/** Options of {@link createProviderErrors}. */
export interface ProviderErrorsOptions {
  /**
   * The provider's secrets: every error the factory creates is redacted with
   * them when it is built, so an error thrown outside a hub (a direct
   * `provider.execute`) holds no secret either. Default: none (core's
   * generic patterns only).
   */
  readonly secrets?: SecretSet | undefined;
}

/** Errors bound to one provider id: every message starts `<id>: `, every error records the provider. */
export interface ProviderErrors {
  readonly provider: string;
  /** Any error, e.g. `errors.create({ kind: 'unsupported', message: 'deleteMessage needs a channel', operation })`. */
  create(options: Omit<IntegrationErrorOptions, 'provider'>): IntegrationError;
  /** A `validation` error for input the service would refuse, raised before any request. */
  invalidInput(operation: string, message: string): IntegrationError;
  /** An error answer an SDK reported, classified by the shared status table (see `classifyHttpStatus`). */
  fromStatus(answer: ProviderStatusError): IntegrationError;
  /**
   * Anything an SDK call threw without a status: an `IntegrationError` passes
   * through unchanged (whoever built it redacted it); aborts and timeouts become `timeout`, socket errors `network`,
   * anything else `provider` (retryable).
   */
  fromFailure(error: unknown, operation: string): IntegrationError;
}

/** The first line of a service's or SDK's message, redacted with the provider's secrets before it is cut (see `redactedExcerpt`). */
function firstLine(text: string, secrets: SecretSet | undefined): string {
  return redactedExcerpt(text, { secrets, firstLine: true });
}

function reasonOf(error: unknown, secrets: SecretSet | undefined): string {
  if (error instanceof Error) return firstLine(error.message, secrets);
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return firstLine((error as { message: string }).message, secrets);
  }
  return firstLine(String(error), secrets);
}

/**
 * The error factory a provider binds once to its id, so its code never
 * writes `provider: 'acme'` or a message prefix by hand, and every status
 * goes through the one shared classification. With `secrets`, what it
 * creates is redacted with the provider's set.
 *
 * @example
 * ```ts
 * const errors = createProviderErrors('acme', { secrets });
 * throw errors.fromStatus({ operation: 'crm.getContact', status: error.statusCode, message: error.body.message, cause: error });
 * ```
 */
export function createProviderErrors(provider: string, options: ProviderErrorsOptions = {}): ProviderErrors {
  const prefix = `${provider}: `;
  const { secrets } = options;
  const create = (fields: Omit<IntegrationErrorOptions, 'provider'>): IntegrationError => {
    const error = new IntegrationError({
      ...fields,
      provider,
      message: fields.message.startsWith(prefix) ? fields.message : `${prefix}${fields.message}`,
    });
    return secrets === undefined ? error : redactIntegrationError(error, secrets);
  };
  return {
    provider,
    create,
    invalidInput: (operation, message) =>
      create({ kind: 'validation', message: `${operation}: ${message}`, operation, isRetryable: false }),
    fromStatus(answer) {
      const line = answer.message === undefined ? '' : firstLine(answer.message, secrets);
      const quoted = line === '' ? undefined : line;
      const classified = classifyHttpStatus({
        status: answer.status,
        headers: answer.headers,
        message: quoted,
        hint: answer.hint,
        now: answer.now,
      });
      const code = answer.code === undefined || answer.code === quoted ? '' : ` ${answer.code}`;
      return create({
        kind: classified.kind,
        message: `${answer.operation} failed with ${answer.status}${code}${quoted === undefined ? '' : `: ${quoted}`}`,
        operation: answer.operation,
        statusCode: answer.status,
        retryAfterMs: classified.retryAfterMs,
        isRetryable: classified.retryable,
        details: answer.details,
        cause: answer.cause,
      });
    },
    fromFailure(error, operation) {
      if (IntegrationError.isInstance(error)) return error;
      const transport = transportFailure(error);
      const reason = reasonOf(error, secrets);
      if (transport?.kind === 'timeout')
        return create({ kind: 'timeout', message: `${operation} timed out or was aborted: ${reason}`, operation, cause: error });
      if (transport !== undefined)
        return create({
          kind: 'network',
          message: `${operation} failed on the network (${transport.code}): ${reason}`,
          operation,
          cause: error,
        });
      return create({ kind: 'provider', message: `${operation} failed: ${reason}`, operation, cause: error });
    },
  };
}
