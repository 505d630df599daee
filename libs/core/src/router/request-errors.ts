import { IntegrationError, type AttemptRecord } from '../errors/integration-error';
import { canFailOver } from './failover-policy';
import { noCandidateError, type RankingContext } from './ranking';
import { isAborted, type RouteRequest } from './route-request';

/** `error` with the provider and operation filled in where the provider left them out. */
export function attachContext(error: IntegrationError, provider: string, operation: string): IntegrationError {
  if (error.provider !== undefined && error.operation !== undefined) return error;
  return copyError(error, { provider: error.provider ?? provider, operation: error.operation ?? operation });
}

function copyError(
  error: IntegrationError,
  changes: { provider?: string | undefined; operation?: string | undefined; attempts?: readonly AttemptRecord[] },
): IntegrationError {
  return new IntegrationError({
    kind: error.kind,
    message: error.message,
    provider: error.provider,
    operation: error.operation,
    statusCode: error.statusCode,
    retryAfterMs: error.retryAfterMs,
    isRetryable: error.isRetryable,
    cause: error.cause,
    details: error.details,
    attempts: error.attempts,
    ...changes,
  });
}

/**
 * The error a request ends with when no attempt succeeded: the caller's
 * abort, the deadline (naming every attempt), the single provider's own
 * error, or the last error with every attempt listed. With no candidate at
 * all, `unsupported` or `circuit_open` with each provider's reason.
 */
export function requestError(
  ranking: RankingContext,
  request: RouteRequest,
  candidateCount: number,
  lastError: IntegrationError | undefined,
): IntegrationError {
  const { entry, attempts, options } = request;
  if (candidateCount === 0) return noCandidateError(ranking, entry.key, options);
  const summary = attempts.map((record) => `${record.provider}#${record.attempt} ${record.kind}: ${record.message}`).join('; ');
  if (isAborted(options.signal)) {
    return new IntegrationError({
      kind: 'timeout',
      message: `${entry.key} was aborted by the caller${summary === '' ? '' : ` after: ${summary}`}`,
      operation: entry.key,
      attempts,
      cause: options.signal?.reason,
      isRetryable: false,
    });
  }
  if (lastError === undefined || (Date.now() >= request.deadline && canFailOver(lastError, true))) {
    return new IntegrationError({
      kind: 'timeout',
      message: `${entry.key} did not finish before its deadline${summary === '' ? '' : `; attempts: ${summary}`}`,
      operation: entry.key,
      attempts,
    });
  }
  if (attempts.length <= 1) return copyError(lastError, { attempts });
  return new IntegrationError({
    kind: lastError.kind,
    message: `${entry.key} failed on every provider tried: ${summary}`,
    provider: lastError.provider,
    operation: entry.key,
    statusCode: lastError.statusCode,
    retryAfterMs: lastError.retryAfterMs,
    isRetryable: lastError.isRetryable,
    attempts,
    cause: lastError,
  });
}
