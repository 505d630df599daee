import { describe, expect, it } from 'vitest';
import { createGcpErrors } from './gcp-error';

const { fromStorage: gcpStorageError, fromOperation: operationError } = createGcpErrors();

/** An error shaped like the Storage SDK's `ApiError`: `code`, `errors[].reason`, `response.headers`. */
function apiError(code: number, message: string, options: { reason?: string; headers?: unknown } = {}): Error {
  return Object.assign(new Error(message), {
    code,
    errors: options.reason === undefined ? [] : [{ reason: options.reason, message }],
    response: { headers: options.headers ?? {} },
  });
}

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
}

const OPERATION = 'storage.getObject';

describe('gcpStorageError', () => {
  it.each([
    [apiError(400, 'Invalid bucket name', { reason: 'invalid' }), 'validation', false],
    [apiError(401, 'Invalid Credentials', { reason: 'authError' }), 'auth', false],
    [apiError(403, 'does not have storage.objects.get access', { reason: 'forbidden' }), 'auth', false],
    [
      apiError(403, 'The project exceeded the rate limit for CreateBucket operations.', { reason: 'rateLimitExceeded' }),
      'rate_limit',
      true,
    ],
    [apiError(404, 'No such object: reports/a.txt', { reason: 'notFound' }), 'not_found', false],
    [
      apiError(409, 'Your previous request to create the named bucket succeeded and you already own it.', { reason: 'conflict' }),
      'conflict',
      false,
    ],
    [apiError(412, 'At least one of the pre-conditions you specified did not hold.', { reason: 'conditionNotMet' }), 'conflict', false],
    [apiError(429, 'The rate of change requests to the bucket is too high'), 'rate_limit', true],
    [apiError(503, 'Service Unavailable'), 'provider', true],
    [systemError('ECONNREFUSED'), 'network', true],
    [systemError('ETIMEDOUT'), 'timeout', true],
    [Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), 'timeout', true],
    [new Error('something unexpected'), 'provider', true],
  ] as const)('classifies %s as %s through the shared table', (error, kind, isRetryable) => {
    const classified = gcpStorageError(error, OPERATION);
    expect({
      kind: classified.kind,
      isRetryable: classified.isRetryable,
      provider: classified.provider,
      operation: classified.operation,
    }).toEqual({
      kind,
      isRetryable,
      provider: 'gcp',
      operation: OPERATION,
    });
    expect(classified.message).toMatch(/^gcp: storage\.getObject /);
    expect(classified.message).toContain(error.message);
  });

  it('reads a rate-limit reason as rate_limit even when the message does not say so (Google error reasons)', () => {
    const error = gcpStorageError(
      apiError(403, 'Quota exceeded for quota metric "Queries" and limit "Queries per minute".', { reason: 'userRateLimitExceeded' }),
      OPERATION,
    );
    expect(error).toMatchObject({ kind: 'rate_limit', isRetryable: true, statusCode: 403 });
    expect(error.message).toContain('userRateLimitExceeded');
  });

  it('keeps the status code and reads Retry-After from a plain object or fetch Headers, and a gaxios `status`', () => {
    const plain = gcpStorageError(apiError(429, 'slow down', { headers: { 'Retry-After': '7' } }), OPERATION);
    expect({ statusCode: plain.statusCode, retryAfterMs: plain.retryAfterMs }).toEqual({ statusCode: 429, retryAfterMs: 7000 });
    expect(gcpStorageError(apiError(429, 'slow down', { headers: new Headers({ 'retry-after': '3' }) }), OPERATION).retryAfterMs).toBe(
      3000,
    );
    expect(gcpStorageError(Object.assign(new Error('Gone'), { status: 410 }), OPERATION)).toMatchObject({
      kind: 'not_found',
      statusCode: 410,
    });
  });

  it('finds a network code on a wrapped cause', () => {
    const wrapped = new Error('request to http://127.0.0.1:9 failed', { cause: systemError('ECONNREFUSED') });
    expect(gcpStorageError(wrapped, OPERATION).kind).toBe('network');
  });
});

describe('operationError', () => {
  it.each([
    [3, 'validation', false],
    [5, 'not_found', false],
    [6, 'conflict', false],
    [7, 'auth', false],
    [8, 'rate_limit', true],
    [12, 'unsupported', false],
    [14, 'provider', true],
    [99, 'provider', true],
  ] as const)('classifies google.rpc.Code %i as %s by the HTTP status Google maps it to', (code, kind, isRetryable) => {
    const error = operationError('functions.deployFunction', 'operations/op-1', { code, message: 'it failed' });
    expect(error).toMatchObject({ kind, isRetryable, provider: 'gcp', operation: 'functions.deployFunction', statusCode: undefined });
    expect(error.message).toBe(`gcp: functions.deployFunction: operation operations/op-1 failed (code ${code}): it failed`);
  });
});
