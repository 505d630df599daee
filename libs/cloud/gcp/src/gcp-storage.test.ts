import { generateKeyPairSync } from 'node:crypto';
import { createHub, IntegrationError } from '@switchyard/core';
import { storageV1 } from '@switchyard/core/storage';
import { createCallContext, testStorageProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcp, type GcpProviderSettings } from './index';
import { startGcsEmulator, type GcsEmulator } from './testing';

const PROJECT = 'switchyard-test';
// A throwaway key: v4 signed URLs are signed locally with it; the emulator never checks credentials.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const CLIENT_EMAIL = 'contract-tests@switchyard-test.iam.gserviceaccount.com';

let emulator: GcsEmulator;

beforeAll(async () => {
  emulator = await startGcsEmulator({ projectId: PROJECT });
});

afterAll(async () => {
  await emulator.stop();
});

function createStorage(settings: GcpProviderSettings = {}) {
  return createGcp({
    projectId: PROJECT,
    credentials: { clientEmail: CLIENT_EMAIL, privateKey: PRIVATE_KEY },
    storage: { apiEndpoint: emulator.url },
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

function call(operation: string, input: unknown, provider = createStorage()) {
  return provider.execute({ capability: 'storage', operation, input }, createCallContext());
}

testStorageProvider({
  create: () => createStorage(),
  additionalTests: ({ createClient }) => {
    it('signs v4 URLs locally with the service account key, naming the account and expiry', async () => {
      const requestsBefore = emulator.requestCount();
      const storage = createClient();
      const { url } = await storage.call('presignUrl', { bucket: 'reports', key: 'q1/summary.csv', method: 'PUT', expiresInSeconds: 60 });
      const signed = new URL(url);
      expect(signed.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
      expect(signed.searchParams.get('X-Goog-Credential')).toMatch(new RegExp(`^${CLIENT_EMAIL}/\\d{8}/auto/storage/goog4_request$`));
      expect(signed.searchParams.get('X-Goog-Expires')).toBe('60');
      expect(signed.searchParams.get('X-Goog-Signature')).toMatch(/^[0-9a-f]{512}$/);
      expect(signed.pathname).toBe('/reports/q1/summary.csv');
      expect(emulator.requestCount(), 'signing sends nothing').toBe(requestsBefore);
    });

    it('lists a missing bucket as not_found', async () => {
      await createClient().expectError('listObjects', { bucket: 'switchyard-never-created' }, 'not_found');
    });
  },
});

describe('gcp storage input checks', () => {
  it.each([
    ['a bucket starting with "goog"', 'headObject', { bucket: 'goog-reports', key: 'a.txt' }],
    ['a bucket containing "google"', 'createBucket', { bucket: 'my-google-bucket' }],
    ['a bucket containing a misspelled "g00gle"', 'createBucket', { bucket: 'my-g00gle-bucket' }],
    ['an empty key', 'putObject', { bucket: 'reports', key: '', body: 'x' }],
    ['a reserved key', 'putObject', { bucket: 'reports', key: '.well-known/acme-challenge/token', body: 'x' }],
    ['a copy into a "goog" bucket', 'copyObject', { source: { bucket: 'reports', key: 'a' }, destination: { bucket: 'googly', key: 'a' } }],
  ])('refuses %s with validation before sending anything', async (_title, operation, input) => {
    const requestsBefore = emulator.requestCount();
    const error = await failure(call(operation, input));
    expect(error.kind).toBe('validation');
    expect(error.isRetryable).toBe(false);
    expect(emulator.requestCount(), 'no request reached the emulator').toBe(requestsBefore);
  });

  it('refuses an operation outside the contract with unsupported, sending nothing', async () => {
    const requestsBefore = emulator.requestCount();
    const error = await failure(call('switchyardUnknownOperation', {}));
    expect(error.kind).toBe('unsupported');
    expect(emulator.requestCount()).toBe(requestsBefore);
  });

  it('refuses presignUrl without a service account key with auth, sending nothing', async () => {
    const previous = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    const requestsBefore = emulator.requestCount();
    const error = await failure(
      call(
        'presignUrl',
        { bucket: 'reports', key: 'a.txt', method: 'GET', expiresInSeconds: 60 },
        createStorage({ credentials: undefined }),
      ),
    );
    if (previous !== undefined) process.env.GOOGLE_APPLICATION_CREDENTIALS = previous;
    expect(error).toMatchObject({ kind: 'auth', isRetryable: false });
    expect(error.message).toContain('private key');
    expect(emulator.requestCount()).toBe(requestsBefore);
  });

  it('refuses createBucket without a project, naming GOOGLE_CLOUD_PROJECT', async () => {
    const error = await failure(call('createBucket', { bucket: 'no-project-bucket' }, createStorage({ projectId: undefined })));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('GOOGLE_CLOUD_PROJECT');
  });

  it('answers an already aborted call with timeout', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = createStorage().execute(
      { capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'a.txt' } },
      { ...createCallContext(), signal: controller.signal },
    );
    expect((await failure(outcome)).kind).toBe('timeout');
  });
});

describe('gcp storage errors and secrets', () => {
  it('reports a closed port as a network error', async () => {
    const error = await failure(
      call('headObject', { bucket: 'reports', key: 'a.txt' }, createStorage({ storage: { apiEndpoint: 'http://127.0.0.1:9' } })),
    );
    expect(error.kind).toBe('network');
  });

  it('keeps the private key out of errors and hub events', async () => {
    const seen: unknown[] = [];
    const hub = createHub({
      providers: [createStorage({ storage: { apiEndpoint: 'http://127.0.0.1:9' } })],
      events: { request: (event) => seen.push(event), attempt: (event) => seen.push(event) },
    });
    const outcome = await hub.storage.headObject({ bucket: 'reports', key: 'a.txt' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toBeDefined();
    const keyBody = PRIVATE_KEY.split('\n')[1] ?? '';
    for (const text of [JSON.stringify(outcome), String(outcome), JSON.stringify(seen)]) expect(text).not.toContain(keyBody);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('reports each configured service in its health check', async () => {
    const healthy = await createStorage().healthCheck?.({ signal: new AbortController().signal });
    expect(healthy).toMatchObject({ services: [{ service: 'storage', reachable: true }] });
    expect(healthy === undefined ? undefined : healthy.services[0]).not.toHaveProperty('error');
    const broken = await createStorage({ storage: { apiEndpoint: 'http://127.0.0.1:9' } }).healthCheck?.({
      signal: new AbortController().signal,
    });
    expect(broken).toMatchObject({ services: [{ service: 'storage', reachable: false, error: { kind: 'network' } }] });
  });

  it('declares storage v1 with every operation', () => {
    expect(createStorage().manifest.capabilities).toEqual([{ name: 'storage', version: 1, operations: Object.keys(storageV1.operations) }]);
  });
});
