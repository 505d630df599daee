import { RestError } from '@azure/storage-blob';
import { IntegrationError, type ErrorKind } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { azureBlobError } from './azure-error';

function restError(statusCode: number, code: string | undefined, headers: Record<string, string> = {}): RestError {
  const error = new RestError(`${code ?? 'Error'}: what the service said`, { statusCode, code });
  Object.assign(error, { response: { headers: { get: (name: string) => headers[name.toLowerCase()] } } });
  return error;
}

describe('azureBlobError', () => {
  const table: [string, unknown, ErrorKind, number | undefined][] = [
    ['404 BlobNotFound', restError(404, 'BlobNotFound'), 'not_found', undefined],
    ['404 ContainerNotFound', restError(404, 'ContainerNotFound'), 'not_found', undefined],
    ['409 ContainerAlreadyExists', restError(409, 'ContainerAlreadyExists'), 'conflict', undefined],
    ['409 BlobAlreadyExists', restError(409, 'BlobAlreadyExists'), 'conflict', undefined],
    ['403 AuthenticationFailed', restError(403, 'AuthenticationFailed'), 'auth', undefined],
    ['403 AuthorizationFailure', restError(403, 'AuthorizationFailure'), 'auth', undefined],
    ['503 ServerBusy with Retry-After', restError(503, 'ServerBusy', { 'retry-after': '12' }), 'rate_limit', 12_000],
    ['503 without a code', restError(503, undefined), 'rate_limit', undefined],
    ['429', restError(429, undefined, { 'retry-after': '3' }), 'rate_limit', 3000],
    ['500 InternalError', restError(500, 'InternalError'), 'provider', undefined],
    ['400 InvalidHeaderValue', restError(400, 'InvalidHeaderValue'), 'validation', undefined],
    ['REQUEST_SEND_ERROR', new RestError('connect ECONNREFUSED 127.0.0.1:9', { code: 'REQUEST_SEND_ERROR' }), 'network', undefined],
    ['a bare ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'network', undefined],
    ['AbortError', Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }), 'timeout', undefined],
  ];
  for (const [title, error, kind, retryAfterMs] of table) {
    it(`classifies ${title} as ${kind}`, () => {
      const classified = azureBlobError(error, 'storage.getObject');
      expect({ kind: classified.kind, retryAfterMs: classified.retryAfterMs, operation: classified.operation }).toEqual({
        kind,
        retryAfterMs,
        operation: 'storage.getObject',
      });
    });
  }

  it('names the status and the service error code in the message', () => {
    expect(azureBlobError(restError(404, 'ContainerNotFound'), 'storage.listObjects').message).toMatch(/404 ContainerNotFound/);
  });

  it('passes an IntegrationError through unchanged', () => {
    const original = new IntegrationError({ kind: 'validation', message: 'bad' });
    expect(azureBlobError(original, 'storage.putObject')).toBe(original);
  });
});
