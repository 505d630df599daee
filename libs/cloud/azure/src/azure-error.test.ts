import { RestError } from '@azure/storage-blob';
import { IntegrationError, type ErrorKind } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { createAzureErrors } from './azure-error';

const { fromBlob: azureBlobError } = createAzureErrors();

function restError(statusCode: number, code: string | undefined): RestError {
  return new RestError(`${code ?? 'Error'}: what the service said`, { statusCode, code });
}

// Status answers follow the shared table; these rows pin the codes that mean more than their status.
// Headers (Retry-After, a HEAD's x-ms-error-code) are read from real SDK errors in azure-faults.test.ts.
describe('azureBlobError', () => {
  const table: [string, unknown, ErrorKind, boolean][] = [
    ['404 BlobNotFound', restError(404, 'BlobNotFound'), 'not_found', false],
    ['409 ContainerAlreadyExists', restError(409, 'ContainerAlreadyExists'), 'conflict', false],
    ['403 AuthenticationFailed', restError(403, 'AuthenticationFailed'), 'auth', false],
    ['503 ServerBusy (hint: a throttle)', restError(503, 'ServerBusy'), 'rate_limit', true],
    ['503 without a code (the shared table)', restError(503, undefined), 'provider', true],
    ['500 OperationTimedOut (hint: a server-side timeout)', restError(500, 'OperationTimedOut'), 'timeout', true],
    ['500 InternalError', restError(500, 'InternalError'), 'provider', true],
    ['400 InvalidAuthenticationInfo (hint: credentials)', restError(400, 'InvalidAuthenticationInfo'), 'auth', false],
    ['400 InvalidHeaderValue', restError(400, 'InvalidHeaderValue'), 'validation', false],
    ['410 (the shared table)', restError(410, undefined), 'not_found', false],
    ['REQUEST_SEND_ERROR', new RestError('connect ECONNREFUSED 127.0.0.1:9', { code: 'REQUEST_SEND_ERROR' }), 'network', true],
    ['a bare ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'network', true],
    ['AbortError', Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }), 'timeout', true],
  ];
  for (const [title, error, kind, isRetryable] of table) {
    it(`classifies ${title} as ${kind}`, () => {
      const classified = azureBlobError(error, 'storage.getObject');
      expect({
        kind: classified.kind,
        isRetryable: classified.isRetryable,
        operation: classified.operation,
        provider: classified.provider,
      }).toEqual({
        kind,
        isRetryable,
        operation: 'storage.getObject',
        provider: 'azure',
      });
    });
  }

  it('names the status and the service error code in the message', () => {
    expect(azureBlobError(restError(404, 'ContainerNotFound'), 'storage.listObjects').message).toMatch(
      /^azure: storage\.listObjects failed with 404 ContainerNotFound: /,
    );
  });

  it('passes an IntegrationError through unchanged', () => {
    const original = new IntegrationError({ kind: 'validation', message: 'bad' });
    expect(azureBlobError(original, 'storage.putObject')).toBe(original);
  });
});
