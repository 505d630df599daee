import { createCallContext, startFaultServer, type FaultServer } from '@switchyard/testing';
import { IntegrationError } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcp } from './index';

// Fault injection for the REST services: what a misbehaving Compute Engine or Cloud Functions answer becomes.
const PROJECT = 'switchyard-test';
const INSTANCE_PATH = `/compute/v1/projects/${PROJECT}/zones/europe-west1-b/instances/web-1`;
const FUNCTION_PATH = `/v2/projects/${PROJECT}/locations/europe-west1/functions/echo`;

let server: FaultServer;

beforeAll(async () => {
  server = await startFaultServer();
});

afterAll(async () => {
  await server.close();
});

function createProvider() {
  return createGcp({
    projectId: PROJECT,
    accessToken: 'static-fault-token',
    compute: { zones: ['europe-west1-b'], baseURL: `${server.url}/compute/v1` },
    functions: { location: 'europe-west1', baseURL: server.url, pollIntervalMs: 10 },
    allowPrivateNetwork: true,
  });
}

async function failure(capability: 'compute' | 'functions', operation: string, input: unknown, signal?: AbortSignal): Promise<IntegrationError> {
  const context = signal === undefined ? createCallContext() : { ...createCallContext(), signal };
  const outcome = await createProvider()
    .execute({ capability, operation, input }, context)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(IntegrationError.isInstance(outcome), `rejected with an IntegrationError: ${String(outcome)}`).toBe(true);
  return outcome as IntegrationError;
}

describe('gcp REST faults', () => {
  it('turns 429 with Retry-After into rate_limit with retryAfterMs', async () => {
    server.route(`GET ${INSTANCE_PATH}`, {
      status: 429,
      headers: { 'retry-after': '12' },
      body: { error: { code: 429, message: 'Quota exceeded for quota metric Read requests', status: 'RESOURCE_EXHAUSTED' } },
    });
    const error = await failure('compute', 'getInstance', { instanceId: 'europe-west1-b/web-1' });
    expect(error).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 12_000, isRetryable: true, operation: 'compute.getInstance' });
    expect(error.message).toContain('RESOURCE_EXHAUSTED: Quota exceeded');
  });

  it('turns 503 into a retryable provider error and 403 into auth', async () => {
    server.route(`GET ${INSTANCE_PATH}`, { status: 503, body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } } });
    expect(await failure('compute', 'getInstance', { instanceId: 'europe-west1-b/web-1' })).toMatchObject({ kind: 'provider', isRetryable: true });
    server.route(`GET ${FUNCTION_PATH}`, {
      status: 403,
      body: { error: { code: 403, message: "Permission 'cloudfunctions.functions.get' denied", status: 'PERMISSION_DENIED' } },
    });
    expect(await failure('functions', 'getFunction', { name: 'echo' })).toMatchObject({ kind: 'auth', isRetryable: false });
  });

  it('turns a reset connection into network and malformed JSON into provider', async () => {
    server.route(`GET ${INSTANCE_PATH}`, { fault: 'reset' });
    expect((await failure('compute', 'getInstance', { instanceId: 'europe-west1-b/web-1' })).kind).toBe('network');
    server.route(`GET ${FUNCTION_PATH}`, { fault: 'malformed-json' });
    expect((await failure('functions', 'getFunction', { name: 'echo' })).kind).toBe('provider');
  });

  it('turns a response missing required fields into provider, naming the field', async () => {
    server.route(`GET ${INSTANCE_PATH}`, { body: { kind: 'compute#instance', name: 'web-1' } });
    const error = await failure('compute', 'getInstance', { instanceId: 'europe-west1-b/web-1' });
    expect(error.kind).toBe('provider');
    expect(error.message).toContain('status');
  });

  it('gives up polling an operation that never finishes when the call is aborted, as timeout', async () => {
    const operation = `projects/${PROJECT}/locations/europe-west1/operations/operation-stuck`;
    server.route(`DELETE ${FUNCTION_PATH}`, { body: { name: operation, done: false } });
    server.route(`GET /v2/${operation}`, { body: { name: operation, done: false } });
    const error = await failure('functions', 'deleteFunction', { name: 'echo' }, AbortSignal.timeout(200));
    expect(error.kind).toBe('timeout');
    expect(server.requests.filter((request) => request.pathname === `/v2/${operation}`).length).toBeGreaterThan(1);
  });

  it('sends the access token as a bearer header and never in an error', async () => {
    server.route(`GET ${INSTANCE_PATH}`, { status: 404, body: { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } } });
    const error = await failure('compute', 'getInstance', { instanceId: 'europe-west1-b/web-1' });
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer static-fault-token');
    expect(JSON.stringify(error) + error.message).not.toContain('static-fault-token');
  });
});
