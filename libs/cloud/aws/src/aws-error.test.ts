import { describe, expect, it } from 'vitest';
import { awsError, DEFAULT_THROTTLE_RETRY_AFTER_MS } from './aws-error';

/** An error shaped like the AWS SDK v3 throws them: name (the code), message, $metadata and the raw $response. */
function sdkError(name: string, status: number | undefined, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $fault: status !== undefined && status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    $response: { statusCode: status, headers },
  });
}

describe('awsError', () => {
  it.each([
    ['NoSuchKey', 404, 'not_found'],
    ['NotFound', 404, 'not_found'],
    ['NoSuchBucket', 404, 'not_found'],
    ['ResourceNotFoundException', 404, 'not_found'],
    ['InvalidInstanceID.NotFound', 400, 'not_found'],
    ['AccessDenied', 403, 'auth'],
    ['InvalidAccessKeyId', 403, 'auth'],
    ['SignatureDoesNotMatch', 403, 'auth'],
    ['ExpiredToken', 400, 'auth'],
    ['UnrecognizedClientException', 403, 'auth'],
    ['AuthFailure', 401, 'auth'],
    ['Throttling', 400, 'rate_limit'],
    ['ThrottlingException', 400, 'rate_limit'],
    ['SlowDown', 503, 'rate_limit'],
    ['TooManyRequestsException', 429, 'rate_limit'],
    ['RequestLimitExceeded', 503, 'rate_limit'],
    ['BucketAlreadyExists', 409, 'conflict'],
    ['BucketAlreadyOwnedByYou', 409, 'conflict'],
    ['BucketNotEmpty', 409, 'conflict'],
    ['ResourceConflictException', 409, 'conflict'],
    ['IncorrectInstanceState', 400, 'conflict'],
    ['InvalidParameterValue', 400, 'validation'],
    ['InvalidParameterValueException', 400, 'validation'],
    ['ValidationException', 400, 'validation'],
    ['InvalidArgument', 400, 'validation'],
    ['InvalidInstanceID.Malformed', 400, 'validation'],
    ['NotImplemented', 501, 'unsupported'],
    ['InternalError', 500, 'provider'],
    ['ServiceUnavailable', 503, 'provider'],
  ] as const)('classifies %s (HTTP %s) as %s', (code, status, kind) => {
    const error = awsError(sdkError(code, status), { operation: 'storage.getObject' });
    expect(error).toMatchObject({ kind, provider: 'aws', operation: 'storage.getObject', statusCode: status });
    expect(error.message).toContain(code);
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [409, 'conflict'],
    [412, 'conflict'],
    [429, 'rate_limit'],
    [400, 'validation'],
    [413, 'validation'],
    [500, 'provider'],
    [502, 'provider'],
    [503, 'provider'],
  ] as const)('falls back to the status for unknown codes: %s is %s', (status, kind) => {
    expect(awsError(sdkError('UnknownError', status)).kind).toBe(kind);
  });

  it('treats 5xx as retryable and validation as not', () => {
    expect(awsError(sdkError('InternalError', 500)).isRetryable).toBe(true);
    expect(awsError(sdkError('InvalidArgument', 400)).isRetryable).toBe(false);
  });

  it('reads Retry-After in seconds or as an HTTP date, else waits a default on throttling', () => {
    expect(awsError(sdkError('SlowDown', 503, { 'retry-after': '7' })).retryAfterMs).toBe(7000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(awsError(sdkError('Throttling', 400, { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), { now }).retryAfterMs).toBe(3000);
    expect(awsError(sdkError('ThrottlingException', 400)).retryAfterMs).toBe(DEFAULT_THROTTLE_RETRY_AFTER_MS);
    expect(awsError(sdkError('NoSuchKey', 404)).retryAfterMs).toBeUndefined();
  });

  it('treats an error the SDK marks as throttling as a rate limit whatever its code', () => {
    const error = Object.assign(sdkError('SomethingNew', 400), { $retryable: { throttling: true } });
    expect(awsError(error).kind).toBe('rate_limit');
  });

  it('prefers the Code field of the body over the error name', () => {
    expect(awsError(Object.assign(sdkError('Error', 404), { Code: 'NoSuchBucket' })).kind).toBe('not_found');
  });

  it('classifies socket errors as retryable network errors and aborts as timeouts', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: {} });
    expect(awsError(refused)).toMatchObject({ kind: 'network', isRetryable: true });
    expect(awsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).kind).toBe('network');
    expect(awsError(Object.assign(new Error('Connection timed out'), { name: 'TimeoutError' })).kind).toBe('network');
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(awsError(abort)).toMatchObject({ kind: 'timeout', isRetryable: true });
  });

  it('marks a Lambda "update in progress" conflict retryable, other conflicts not', () => {
    const inProgress = Object.assign(sdkError('ResourceConflictException', 409), {
      message: 'The operation cannot be performed at this time. An update is in progress for resource: arn:...',
    });
    expect(awsError(inProgress)).toMatchObject({ kind: 'conflict', isRetryable: true });
    expect(awsError(sdkError('BucketNotEmpty', 409)).isRetryable).toBe(false);
  });
});
