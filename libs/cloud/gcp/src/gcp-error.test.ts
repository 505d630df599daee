import { describe, expect, it } from 'vitest';
import { gcpStorageError } from './gcp-error';

/** An error shaped like the Storage SDK's `ApiError`. */
function apiError(code: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { code, response: { headers } });
}

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
}

const context = { operation: 'storage.getObject', subject: 'object "a.txt" in bucket "reports"' };

describe('gcpStorageError', () => {
  it.each([
    [apiError(400, 'Invalid bucket name'), 'validation', false],
    [apiError(401, 'Invalid Credentials'), 'auth', false],
    [apiError(403, 'does not have storage.objects.get access'), 'auth', false],
    [apiError(404, 'No such object: reports/a.txt'), 'not_found', false],
    [apiError(409, 'Your previous request to create the named bucket succeeded and you already own it.'), 'conflict', false],
    [apiError(412, 'At least one of the pre-conditions you specified did not hold.'), 'conflict', false],
    [apiError(429, 'The rate of change requests to the bucket is too high'), 'rate_limit', true],
    [apiError(500, 'Backend Error'), 'provider', true],
    [apiError(503, 'Service Unavailable'), 'provider', true],
    [systemError('ECONNREFUSED'), 'network', true],
    [systemError('ECONNRESET'), 'network', true],
    [systemError('ETIMEDOUT'), 'timeout', true],
    [Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), 'timeout', true],
    [new Error('something unexpected'), 'provider', true],
  ] as const)('classifies %s as %s', (error, kind, isRetryable) => {
    const classified = gcpStorageError(error, context);
    expect({ kind: classified.kind, isRetryable: classified.isRetryable, provider: classified.provider, operation: classified.operation }).toEqual({
      kind,
      isRetryable,
      provider: 'gcp',
      operation: 'storage.getObject',
    });
    expect(classified.message).toContain('storage.getObject');
    expect(classified.message).toContain(error.message);
  });

  it('keeps the status code and reads Retry-After on a 429, from a plain object or fetch Headers', () => {
    const plain = gcpStorageError(apiError(429, 'slow down', { 'Retry-After': '7' }), context);
    expect({ statusCode: plain.statusCode, retryAfterMs: plain.retryAfterMs }).toEqual({ statusCode: 429, retryAfterMs: 7000 });
    const fetchHeaders = Object.assign(new Error('slow down'), { code: 429, response: { headers: new Headers({ 'retry-after': '3' }) } });
    expect(gcpStorageError(fetchHeaders, context).retryAfterMs).toBe(3000);
  });

  it('finds a network code on a wrapped cause', () => {
    const wrapped = new Error('request to http://127.0.0.1:9 failed', { cause: systemError('ECONNREFUSED') });
    expect(gcpStorageError(wrapped, context).kind).toBe('network');
  });
});
