import { generateKeyPairSync } from 'node:crypto';
import { IntegrationError } from '@switchyard/core';
import { createCallContext, startFaultServer, testProviderFaults, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcp } from './index';

const PROJECT = 'switchyard-test';
const INSTANCE_PATH = `/compute/v1/projects/${PROJECT}/zones/europe-west1-b/instances/web-1`;
const FUNCTION_PATH = `/v2/projects/${PROJECT}/locations/europe-west1/functions/echo`;
const ACCESS_TOKEN = 'ya29.planted-fault-token-5c1e9a7d';
const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const CREDENTIALS = { clientEmail: 'faults@switchyard-test.iam.gserviceaccount.com', privateKey: PRIVATE_KEY };

/** Google's canonical status names for the HTTP statuses the suite sends (https://cloud.google.com/apis/design/errors). */
const GOOGLE_STATUS: Readonly<Record<number, string>> = {
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** Google's error envelope, as the REST APIs and the Cloud Storage JSON API send it. */
const googleError = (status: number, message: string) => ({
  body: { error: { code: status, message, status: GOOGLE_STATUS[status] ?? 'UNKNOWN', errors: [{ reason: 'backendError', message }] } },
});

// Compute Engine through @switchyard/http, with a planted access token and service-account key.
testProviderFaults({
  provider: 'gcp',
  create: (baseURL) =>
    createGcp({
      projectId: PROJECT,
      accessToken: ACCESS_TOKEN,
      credentials: CREDENTIALS,
      compute: { zones: ['europe-west1-b'], baseURL: `${baseURL}/compute/v1` },
      allowPrivateNetwork: true,
    }),
  request: { capability: 'compute', operation: 'getInstance', input: { instanceId: 'europe-west1-b/web-1' } },
  route: `GET ${INSTANCE_PATH}`,
  errorAnswer: googleError,
  secrets: [ACCESS_TOKEN, PRIVATE_KEY],
});

// Cloud Storage through the @google-cloud/storage SDK (its apiEndpoint), with a planted service-account key.
testProviderFaults({
  provider: 'gcp',
  create: (baseURL) => createGcp({ projectId: PROJECT, credentials: CREDENTIALS, storage: { apiEndpoint: baseURL } }),
  request: { capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'a.txt' } },
  route: 'GET /storage/v1/b/reports/o/a.txt',
  errorAnswer: googleError,
  secrets: [PRIVATE_KEY],
  // The echo of a bearer token is the Compute Engine suite's above; this one runs through the same error factory.
  skip: { 'echoed-credentials': 'the storage SDK sends no credentials to a custom apiEndpoint (an emulator), so there is nothing to echo' },
});

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
    accessToken: ACCESS_TOKEN,
    compute: { zones: ['europe-west1-b'], baseURL: `${server.url}/compute/v1` },
    functions: { location: 'europe-west1', baseURL: server.url, pollIntervalMs: 10 },
    allowPrivateNetwork: true,
  });
}

async function failure(
  capability: 'compute' | 'functions',
  operation: string,
  input: unknown,
  signal?: AbortSignal,
): Promise<IntegrationError> {
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

const getInstance = () => failure('compute', 'getInstance', { instanceId: 'europe-west1-b/web-1' });

describe('gcp REST errors: Google’s envelope', () => {
  it('quotes Google’s status and message, keeps the status on details, and sends the token as a bearer header', async () => {
    server.route(`GET ${INSTANCE_PATH}`, {
      status: 429,
      body: { error: { code: 429, message: 'Quota exceeded for quota metric Read requests', status: 'RESOURCE_EXHAUSTED' } },
    });
    const error = await getInstance();
    expect(error).toMatchObject({
      kind: 'rate_limit',
      statusCode: 429,
      operation: 'compute.getInstance',
      details: { status: 'RESOURCE_EXHAUSTED' },
    });
    expect(error.message).toContain('RESOURCE_EXHAUSTED: Quota exceeded');
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
  });

  it('reads 403 PERMISSION_DENIED as auth', async () => {
    server.route(`GET ${FUNCTION_PATH}`, {
      status: 403,
      body: { error: { code: 403, message: "Permission 'cloudfunctions.functions.get' denied", status: 'PERMISSION_DENIED' } },
    });
    expect(await failure('functions', 'getFunction', { name: 'echo' })).toMatchObject({
      kind: 'auth',
      isRetryable: false,
      statusCode: 403,
    });
  });

  it.each([
    ['a legacy errors[].reason', { errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] }],
    [
      'an ErrorInfo reason',
      { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com' }] },
    ],
  ])(
    'reads a 403 with %s naming a rate limit as rate_limit (a documented hint), even when the message does not say so',
    async (_title, reasons) => {
      server.route(`GET ${INSTANCE_PATH}`, {
        status: 403,
        body: {
          error: {
            code: 403,
            message: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute'",
            status: 'PERMISSION_DENIED',
            ...reasons,
          },
        },
      });
      expect(await getInstance()).toMatchObject({ kind: 'rate_limit', isRetryable: true, statusCode: 403 });
    },
  );

  it('turns a response missing required fields into provider, naming the field', async () => {
    server.route(`GET ${INSTANCE_PATH}`, { body: { kind: 'compute#instance', name: 'web-1' } });
    const error = await getInstance();
    expect(error.kind).toBe('provider');
    expect(error.message).toContain('field "status"');
  });

  it('refuses a cursor it did not issue with validation, sending nothing', async () => {
    const requestsBefore = server.requests.length;
    const error = await failure('compute', 'listInstances', { cursor: 'not-a-cursor' });
    expect(error).toMatchObject({ kind: 'validation', operation: 'compute.listInstances' });
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('gives up polling an operation that never finishes when the call is aborted, as timeout', async () => {
    const operation = `projects/${PROJECT}/locations/europe-west1/operations/operation-stuck`;
    server.route(`DELETE ${FUNCTION_PATH}`, { body: { name: operation, done: false } });
    server.route(`GET /v2/${operation}`, { body: { name: operation, done: false } });
    const error = await failure('functions', 'deleteFunction', { name: 'echo' }, AbortSignal.timeout(200));
    expect(error.kind).toBe('timeout');
    expect(server.requests.filter((request) => request.pathname === `/v2/${operation}`).length).toBeGreaterThan(1);
  });
});
