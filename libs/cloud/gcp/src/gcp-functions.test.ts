import { generateKeyPairSync } from 'node:crypto';
import { IntegrationError } from '@switchyard/core';
import { functionsV1 } from '@switchyard/core/functions';
import { createCallContext, echoFunctionZip, functionsProviderCases, testCapability } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudFunctionsFake, type CloudFunctionsFake } from './__peers__/cloud-functions-fake';
import { createGcp, type GcpProviderSettings } from './index';

const PROJECT = 'switchyard-test';
const LOCATION = 'europe-west1';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const CLIENT_EMAIL = 'functions-tests@switchyard-test.iam.gserviceaccount.com';
const DEPLOY_INPUT = { runtime: 'nodejs22', handler: 'handler' };
const ASYNC_CASE = 'invokes asynchronously: status 202 and no result';

let fake: CloudFunctionsFake;

beforeAll(async () => {
  fake = await startCloudFunctionsFake({ project: PROJECT, location: LOCATION, publicKeyPem: PUBLIC_KEY });
});

afterAll(async () => {
  await fake.stop();
});

function createFunctions(settings: Partial<GcpProviderSettings> = {}) {
  return createGcp({
    projectId: PROJECT,
    credentials: { clientEmail: CLIENT_EMAIL, privateKey: PRIVATE_KEY },
    functions: { location: LOCATION, baseURL: fake.url, pollIntervalMs: 25 },
    tokenURL: fake.tokenURL,
    allowPrivateNetwork: true,
    ...settings,
  });
}

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(IntegrationError.isInstance(outcome), `rejected with an IntegrationError: ${String(outcome)}`).toBe(true);
  return outcome as IntegrationError;
}

const execute = (operation: string, input: unknown, provider = createFunctions()) =>
  provider.execute({ capability: 'functions', operation, input }, createCallContext());

// Cloud Functions HTTP functions cannot be invoked asynchronously: that one case is replaced by the
// test below that async mode is refused with `unsupported`.
testCapability({
  contract: functionsV1,
  create: () => createFunctions(),
  cases: functionsProviderCases({ create: () => createFunctions(), deployInput: DEPLOY_INPUT, settleTimeoutMs: 5000 }).filter(
    (testCase) => testCase.title !== ASYNC_CASE,
  ),
  additionalTests: ({ createClient }) => {
    it('refuses async invocation with unsupported, sending nothing to the function', async () => {
      const requestsBefore = fake.requests.length;
      await createClient().expectError('invokeFunction', { name: 'echo', payload: { a: 1 }, mode: 'async' }, 'unsupported');
      expect(fake.requests.length).toBe(requestsBefore);
    });

    it('deploys through generateUploadUrl, a zip PUT, create and the operation, with memory, timeout and environment', async () => {
      const requestsBefore = fake.requests.length;
      const functions = createClient();
      const deployed = await functions.call('deployFunction', {
        name: 'sy-configured',
        zipBase64: echoFunctionZip(),
        ...DEPLOY_INPUT,
        memoryMb: 512,
        timeoutSeconds: 30,
        environment: { STAGE: 'test' },
      });
      expect(deployed).toMatchObject({ name: 'sy-configured', state: 'active', runtime: 'nodejs22', url: `${fake.url}/run/sy-configured` });
      const sent = fake.requests.slice(requestsBefore).map((request) => request.replace(/[0-9a-f-]{36}/g, 'ID').replace(/\?.*$/, ''));
      expect(sent.slice(0, 4)).toEqual([
        `POST /v2/projects/${PROJECT}/locations/${LOCATION}/functions:generateUploadUrl`,
        'PUT /upload/ID.zip',
        `GET /v2/projects/${PROJECT}/locations/${LOCATION}/functions/sy-configured`,
        `POST /v2/projects/${PROJECT}/locations/${LOCATION}/functions`,
      ]);
      expect(sent.filter((request) => request.includes('/operations/')).length, 'the operation is polled').toBeGreaterThanOrEqual(1);
      await functions.call('deleteFunction', { name: 'sy-configured' });
    });
  },
});

describe('gcp functions input, errors and secrets', () => {
  it('refuses a name Cloud Functions rejects (ending with "-") with validation, sending nothing', async () => {
    const requestsBefore = fake.requests.length;
    const error = await failure(execute('getFunction', { name: 'echo-' }));
    expect(error.kind).toBe('validation');
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it('reports a failed build (operation error code 3) as validation, and the function as failed', async () => {
    const gcp = createFunctions();
    const error = await failure(execute('deployFunction', { name: 'sy-broken', zipBase64: echoFunctionZip(), runtime: 'cobol85' }, gcp));
    expect(error).toMatchObject({ kind: 'validation', operation: 'functions.deployFunction' });
    expect(error.message).toContain('Build failed: runtime "cobol85" is not supported.');
    expect(await execute('getFunction', { name: 'sy-broken' }, gcp)).toMatchObject({ name: 'sy-broken', state: 'failed' });
    await execute('deleteFunction', { name: 'sy-broken' }, gcp);
  });

  it('needs a project, naming GOOGLE_CLOUD_PROJECT', async () => {
    const previous = process.env.GOOGLE_CLOUD_PROJECT;
    delete process.env.GOOGLE_CLOUD_PROJECT;
    const error = await failure(execute('listFunctions', {}, createFunctions({ projectId: undefined })));
    if (previous !== undefined) process.env.GOOGLE_CLOUD_PROJECT = previous;
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('GOOGLE_CLOUD_PROJECT');
  });

  it('reports a missing function as not_found quoting Cloud Functions, without the token or key', async () => {
    const error = await failure(execute('getFunction', { name: 'sy-missing' }));
    expect(error).toMatchObject({ kind: 'not_found', statusCode: 404, operation: 'functions.getFunction' });
    expect(error.message).toContain(`NOT_FOUND: Resource 'projects/${PROJECT}/locations/${LOCATION}/functions/sy-missing' was not found`);
    const text = JSON.stringify(error) + String(error.cause ? JSON.stringify(error.cause) : '');
    for (const secret of [...fake.issuedTokens, PRIVATE_KEY.split('\n')[1] ?? 'missing']) expect(text).not.toContain(secret);
  });

  it('fails auth without any credentials, naming the settings to set', async () => {
    const previous = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    const error = await failure(execute('listFunctions', {}, createFunctions({ credentials: undefined })));
    if (previous !== undefined) process.env.GOOGLE_APPLICATION_CREDENTIALS = previous;
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('uses a given access token instead of a service account', async () => {
    const listed = await execute('listFunctions', {}, createFunctions({ credentials: undefined, accessToken: 'static-test-token' }));
    expect(listed).toMatchObject({ functions: expect.any(Array) as unknown });
  });

  it('invokes a private function with an ID token for its URL, and without one gets auth', async () => {
    const gcp = createFunctions();
    await execute('deployFunction', { name: 'sy-private', zipBase64: echoFunctionZip(), ...DEPLOY_INPUT }, gcp);
    expect(await execute('invokeFunction', { name: 'sy-private', payload: 'plain string' }, gcp)).toEqual({
      statusCode: 200,
      result: 'plain string',
    });
    expect([...fake.idTokens.values()]).toContain(`${fake.url}/run/sy-private`);
    const withoutAccount = createFunctions({ credentials: undefined, accessToken: 'static-test-token' });
    const error = await failure(execute('invokeFunction', { name: 'sy-private', payload: {} }, withoutAccount));
    expect(error).toMatchObject({ kind: 'auth', statusCode: 401 });
    for (const token of fake.idTokens.keys()) expect(JSON.stringify(error) + error.message).not.toContain(token);
    await execute('deleteFunction', { name: 'sy-private' }, gcp);
  });

  it('reports an ID token the token endpoint refuses (400 invalid_grant) as auth, without the key', async () => {
    const gcp = createFunctions();
    await execute('deployFunction', { name: 'sy-refused', zipBase64: echoFunctionZip(), ...DEPLOY_INPUT }, gcp);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refused = createFunctions({ accessToken: 'static-test-token', credentials: { clientEmail: CLIENT_EMAIL, privateKey: otherKey } });
    const error = await failure(execute('invokeFunction', { name: 'sy-refused', payload: {} }, refused));
    expect(error).toMatchObject({ kind: 'auth', statusCode: 400, isRetryable: false, operation: 'functions.invokeFunction' });
    expect(error.message).toContain('Invalid JWT Signature.');
    expect(JSON.stringify(error) + error.message).not.toContain(otherKey.split('\n')[1] ?? 'missing');
    await execute('deleteFunction', { name: 'sy-refused' }, gcp);
  });

  it('reports functions in its health check', async () => {
    const report = await createFunctions({ storage: { apiEndpoint: 'http://127.0.0.1:9' } }).healthCheck?.({
      signal: new AbortController().signal,
    });
    expect(report).toMatchObject({
      services: [
        { service: 'storage', reachable: false },
        { service: 'functions', reachable: true },
      ],
    });
  });
});
