import { STATUS_CODES } from 'node:http';
import { IntegrationError } from '@switchyard/core';
import { createCallContext, startFaultServer, testProviderFaults, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureComputeFake, type AzureComputeFake } from './__peers__/azure-compute-fake';
import { createAzure } from './index';

const CLIENT_SECRET = 'planted-client-secret-Faults-0123456789';
const ACCOUNT_KEY = Buffer.from('planted-account-key-Faults-0123456789').toString('base64');
const SUBSCRIPTION = '00000000-0000-0000-0000-00000000fa17';
const VM_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/fault-rg/providers/Microsoft.Compute/virtualMachines/fault-vm`;

// Entra ID answers on its own server, so the fault server sees only the Resource Manager request.
let entra: AzureComputeFake;

beforeAll(async () => {
  entra = await startAzureComputeFake({ clientSecret: CLIENT_SECRET });
});

afterAll(async () => {
  await entra?.close();
});

describe('Resource Manager (compute.getInstance)', () => {
  testProviderFaults({
    provider: 'azure',
    create: (baseURL) =>
      createAzure({
        compute: { subscriptionId: SUBSCRIPTION, resourceGroup: 'fault-rg', managementBaseURL: baseURL },
        credentials: { ...entra.credentials, clientSecret: CLIENT_SECRET, authorityBaseURL: entra.url },
        allowPrivateNetwork: true,
      }),
    request: { capability: 'compute', operation: 'getInstance', input: { instanceId: 'fault-rg/fault-vm' } },
    route: `GET ${VM_PATH}`,
    // ARM's envelope, with the status's name as the code (TooManyRequests, ServiceUnavailable, ...).
    errorAnswer: (status, message) => ({ body: { error: { code: (STATUS_CODES[status] ?? 'Error').replace(/\W/g, ''), message } } }),
    secrets: [CLIENT_SECRET],
  });
});

const blobSettings = (baseURL: string) => ({
  storage: { accountName: 'devstoreaccount1', accountKey: ACCOUNT_KEY, endpoint: `${baseURL}/devstoreaccount1` },
});

// The same cases through @azure/storage-blob: its errors go through the shared table too.
describe('Blob storage (storage.listObjects)', () => {
  testProviderFaults({
    provider: 'azure',
    create: (baseURL) => createAzure(blobSettings(baseURL)),
    request: { capability: 'storage', operation: 'listObjects', input: { bucket: 'fault-container', limit: 10 } },
    route: 'GET /devstoreaccount1/fault-container',
    // The blob service's XML error body, without a code: what a gateway in front of it answers.
    errorAnswer: (status, message) => ({
      body: `<?xml version="1.0" encoding="utf-8"?><Error><Message>${message}</Message></Error>`,
      headers: { 'content-type': 'application/xml' },
    }),
    secrets: [ACCOUNT_KEY],
  });
});

describe('blob service error codes that mean more than their status', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(async () => {
    await server.close();
  });

  async function failure(operation: string, input: unknown): Promise<IntegrationError> {
    const outcome = await createAzure(blobSettings(server.url))
      .execute({ capability: 'storage', operation, input }, createCallContext())
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    if (!IntegrationError.isInstance(outcome)) throw new Error(`expected an IntegrationError, got ${String(outcome)}`);
    return outcome;
  }

  const serverBusy =
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>Operations per second is over the account limit.</Message></Error>';

  it('reads a 503 ServerBusy as rate_limit with its Retry-After, from the body of a GET', async () => {
    server.route('GET /devstoreaccount1/busy-container/k', {
      status: 503,
      headers: { 'x-ms-error-code': 'ServerBusy', 'retry-after': '7', 'content-type': 'application/xml' },
      body: serverBusy,
    });
    const error = await failure('getObject', { bucket: 'busy-container', key: 'k', encoding: 'utf8' });
    expect({ kind: error.kind, retryAfterMs: error.retryAfterMs, statusCode: error.statusCode, isRetryable: error.isRetryable }).toEqual({
      kind: 'rate_limit',
      retryAfterMs: 7000,
      statusCode: 503,
      isRetryable: true,
    });
    expect(error.message).toContain('503 ServerBusy');
  });

  it('reads a 503 ServerBusy from the x-ms-error-code header of a HEAD, which has no body', async () => {
    server.route('HEAD /devstoreaccount1/busy-container/k', {
      status: 503,
      headers: { 'x-ms-error-code': 'ServerBusy', 'retry-after': '3' },
    });
    const error = await failure('headObject', { bucket: 'busy-container', key: 'k' });
    expect({ kind: error.kind, retryAfterMs: error.retryAfterMs }).toEqual({ kind: 'rate_limit', retryAfterMs: 3000 });
  });

  it('reads a 503 without ServerBusy as the shared table does: provider, retryable', async () => {
    server.route('HEAD /devstoreaccount1/down-container/k', { status: 503, headers: { 'x-ms-error-code': 'ServiceUnavailable' } });
    const error = await failure('headObject', { bucket: 'down-container', key: 'k' });
    expect({ kind: error.kind, isRetryable: error.isRetryable, retryAfterMs: error.retryAfterMs }).toEqual({
      kind: 'provider',
      isRetryable: true,
      retryAfterMs: undefined,
    });
  });

  it('reads a 500 OperationTimedOut as timeout', async () => {
    server.route('HEAD /devstoreaccount1/slow-container/k', { status: 500, headers: { 'x-ms-error-code': 'OperationTimedOut' } });
    expect((await failure('headObject', { bucket: 'slow-container', key: 'k' })).kind).toBe('timeout');
  });
});
