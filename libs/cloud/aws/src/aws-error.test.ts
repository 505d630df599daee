import { describe, expect, it } from 'vitest';
import { createAwsErrors, DEFAULT_THROTTLE_RETRY_AFTER_MS } from './aws-error';

const { fromSdk: awsError, fromCode: awsCodeError } = createAwsErrors();

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
    ['SlowDown', 503, 'rate_limit'],
    ['RequestLimitExceeded', 503, 'rate_limit'],
    ['Throttling', 400, 'rate_limit'],
    ['ThrottlingException', 400, 'rate_limit'],
    ['InvalidInstanceID.NotFound', 400, 'not_found'],
    ['InvalidAMIID.NotFound', 400, 'not_found'],
    ['IncorrectInstanceState', 400, 'conflict'],
    ['IncorrectState', 400, 'conflict'],
    ['ResourceInUseException', 400, 'conflict'],
    ['ExpiredToken', 400, 'auth'],
    ['ExpiredTokenException', 400, 'auth'],
    ['UnrecognizedClientException', 400, 'auth'],
    ['UnsupportedOperation', 400, 'unsupported'],
    ['InvalidZipFileException', 502, 'validation'],
  ] as const)('reads the code %s (HTTP %s) as %s, where the status alone says otherwise', (code, status, kind) => {
    const error = awsError(sdkError(code, status), 'storage.getObject');
    expect(error).toMatchObject({ kind, provider: 'aws', operation: 'storage.getObject', statusCode: status });
    expect(error.message).toMatch(new RegExp(`^aws: storage\\.getObject failed with ${status} ${code.replace('.', '\\.')}: `));
    expect(awsError(sdkError('SomeOtherCode', status), 'storage.getObject').kind, 'the hint changes the shared answer').not.toBe(kind);
  });

  it.each([
    ['NoSuchKey', 404, 'not_found'],
    ['NotFound', 404, 'not_found'],
    ['NoSuchBucket', 404, 'not_found'],
    ['ResourceNotFoundException', 404, 'not_found'],
    ['AccessDenied', 403, 'auth'],
    ['SignatureDoesNotMatch', 403, 'auth'],
    ['AuthFailure', 401, 'auth'],
    ['TooManyRequestsException', 429, 'rate_limit'],
    ['BucketNotEmpty', 409, 'conflict'],
    ['PreconditionFailed', 412, 'conflict'],
    ['InvalidArgument', 400, 'validation'],
    ['InvalidInstanceID.Malformed', 400, 'validation'],
    ['NotImplemented', 501, 'unsupported'],
    ['InternalError', 500, 'provider'],
    ['ServiceUnavailable', 503, 'provider'],
  ] as const)('classifies %s by its status %s as %s, naming the code', (code, status, kind) => {
    const error = awsError(sdkError(code, status), 'storage.getObject');
    expect(error).toMatchObject({ kind, statusCode: status });
    expect(error.message).toContain(code);
  });

  it.each([
    [400, 'validation'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [408, 'timeout'],
    [409, 'conflict'],
    [410, 'not_found'],
    [412, 'conflict'],
    [413, 'validation'],
    [422, 'validation'],
    [429, 'rate_limit'],
    [500, 'provider'],
    [501, 'unsupported'],
    [502, 'provider'],
    [503, 'provider'],
  ] as const)('follows the shared status table for codes without a hint: %s is %s', (status, kind) => {
    const error = awsError(sdkError('UnknownError', status), 'storage.getObject');
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(new RegExp(`^aws: storage\\.getObject failed with ${status}: `));
  });

  it('treats 5xx as retryable and validation as not', () => {
    expect(awsError(sdkError('InternalError', 500), 'storage.getObject').isRetryable).toBe(true);
    expect(awsError(sdkError('InvalidArgument', 400), 'storage.getObject').isRetryable).toBe(false);
  });

  it('reads Retry-After in seconds or as an HTTP date, else waits a default on a throttle', () => {
    expect(awsError(sdkError('SlowDown', 503, { 'retry-after': '7' }), 'storage.getObject').retryAfterMs).toBe(7000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(
      awsError(sdkError('Throttling', 400, { 'Retry-After': 'Thu, 01 Jan 2026 00:00:03 GMT' }), 'compute.listInstances', now).retryAfterMs,
    ).toBe(3000);
    expect(awsError(sdkError('ThrottlingException', 400), 'functions.getFunction').retryAfterMs).toBe(DEFAULT_THROTTLE_RETRY_AFTER_MS);
    expect(awsError(sdkError('UnknownError', 429), 'functions.getFunction').retryAfterMs).toBe(DEFAULT_THROTTLE_RETRY_AFTER_MS);
    expect(awsError(sdkError('NoSuchKey', 404), 'storage.getObject').retryAfterMs).toBeUndefined();
    expect(awsError(sdkError('ServiceUnavailable', 503, { 'retry-after': '5' }), 'storage.getObject').retryAfterMs).toBe(5000);
  });

  it('treats an error the SDK marks as throttling as a rate limit whatever its code', () => {
    const error = Object.assign(sdkError('SomethingNew', 400), { $retryable: { throttling: true } });
    expect(awsError(error, 'storage.getObject')).toMatchObject({ kind: 'rate_limit', retryAfterMs: DEFAULT_THROTTLE_RETRY_AFTER_MS });
  });

  it('prefers the Code field of the body over the error name', () => {
    expect(awsError(Object.assign(sdkError('Error', 400), { Code: 'InvalidInstanceID.NotFound' }), 'compute.getInstance').kind).toBe(
      'not_found',
    );
  });

  it('classifies socket errors as retryable network errors, aborts and SDK timeouts as timeouts', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: {} });
    expect(awsError(refused, 'storage.getObject')).toMatchObject({ kind: 'network', isRetryable: true });
    expect(awsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'storage.getObject').kind).toBe('network');
    const renamedReset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' });
    expect(awsError(renamedReset, 'storage.getObject'), 'the SDK renames resets TimeoutError').toMatchObject({
      kind: 'network',
      isRetryable: true,
    });
    expect(awsError(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), 'storage.getObject').kind).toBe('timeout');
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(awsError(abort, 'storage.getObject')).toMatchObject({ kind: 'timeout', isRetryable: true });
  });

  it('reports missing credentials as auth, and a 2xx body the SDK could not read as a retryable provider error', () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(awsError(noCredentials, 'storage.getObject')).toMatchObject({ kind: 'auth', isRetryable: false, statusCode: undefined });
    const unreadable = Object.assign(new Error('Unexpected end of JSON input'), {
      name: 'SyntaxError',
      $metadata: { httpStatusCode: 200 },
    });
    expect(awsError(unreadable, 'storage.listObjects')).toMatchObject({ kind: 'provider', isRetryable: true });
  });

  it('marks a conflict on a resource still busy retryable (Lambda "update in progress", S3 OperationAborted), other conflicts not', () => {
    const inProgress = Object.assign(sdkError('ResourceConflictException', 409), {
      message: 'The operation cannot be performed at this time. An update is in progress for resource: arn:...',
    });
    expect(awsError(inProgress, 'functions.deployFunction')).toMatchObject({ kind: 'conflict', isRetryable: true });
    const aborted = Object.assign(sdkError('OperationAborted', 409), {
      message: 'A conflicting conditional operation is currently in progress against this resource. Please try again.',
    });
    expect(awsError(aborted, 'storage.createBucket')).toMatchObject({ kind: 'conflict', isRetryable: true });
    expect(awsError(sdkError('BucketNotEmpty', 409), 'storage.deleteBucket').isRetryable).toBe(false);
  });
});

describe('awsCodeError', () => {
  it('classifies a code without a status (S3 per-key DeleteObjects failures) by its own kind, else as a provider error', () => {
    expect(awsCodeError('AccessDenied', 'Access Denied', 'storage.deleteObjects')).toMatchObject({
      kind: 'auth',
      message: 'aws: storage.deleteObjects failed with AccessDenied: Access Denied',
    });
    expect(awsCodeError('InternalError', undefined, 'storage.deleteObjects')).toMatchObject({ kind: 'provider', isRetryable: true });
  });
});
