import { IntegrationError, type ProviderV1 } from '@switchyard/core';
import { createCallContext, startFaultServer, testStorageProvider, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzure } from './index';
import { startAzurite, type AzuriteBlob } from './testing/index';

let azurite: AzuriteBlob;

beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
});

function storage(provider: ProviderV1, operation: string, input: unknown) {
  return provider.execute({ capability: 'storage', operation, input }, createCallContext());
}

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!IntegrationError.isInstance(outcome)) throw new Error(`expected an IntegrationError, got ${String(outcome)}`);
  return outcome;
}

testStorageProvider({
  create: () => createAzure({ storage: { connectionString: azurite.connectionString } }),
  additionalTests() {
    it('serves a presigned GET URL that downloads the object without credentials', async () => {
      const azure = createAzure({ storage: { accountName: azurite.accountName, accountKey: azurite.accountKey, endpoint: azurite.url } });
      await storage(azure, 'createBucket', { bucket: 'presigned-downloads' });
      await storage(azure, 'putObject', { bucket: 'presigned-downloads', key: 'hello.txt', body: 'hello', encoding: 'utf8' });
      const signed = (await storage(azure, 'presignUrl', {
        bucket: 'presigned-downloads',
        key: 'hello.txt',
        method: 'GET',
        expiresInSeconds: 60,
      })) as { url: string };
      const response = await fetch(signed.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('hello');
      expect((await fetch(signed.url.replace(/sig=[^&]+/, 'sig=AAAA'))).status, 'a tampered signature is refused').toBe(403);
    });

    it('fails with auth, without the key in the message, when the account key is wrong', async () => {
      const wrongKey = Buffer.from('switchyard-wrong-key-0123456789abcdef').toString('base64');
      const azure = createAzure({ storage: { accountName: azurite.accountName, accountKey: wrongKey, endpoint: azurite.url } });
      const error = await failure(storage(azure, 'listObjects', { bucket: 'anything', limit: 10 }));
      expect(error.kind).toBe('auth');
      expect(error.statusCode).toBe(403);
      expect(JSON.stringify({ message: error.message, error: error.toJSON(), cause: error.cause })).not.toContain(wrongKey);
    });

    it('deletes many objects in one blob batch, and fails with not_found for a missing container', async () => {
      const azure = createAzure({ storage: { connectionString: azurite.connectionString } });
      await storage(azure, 'createBucket', { bucket: 'batch-deletes' });
      const keys = Array.from({ length: 300 }, (_, index) => `many/${String(index).padStart(3, '0')}`);
      for (const key of keys.slice(0, 5)) await storage(azure, 'putObject', { bucket: 'batch-deletes', key, body: key, encoding: 'utf8' });
      expect(await storage(azure, 'deleteObjects', { bucket: 'batch-deletes', keys })).toEqual({ deleted: keys, errors: [] });
      expect(await storage(azure, 'listObjects', { bucket: 'batch-deletes', limit: 10 })).toEqual({ objects: [] });
      expect((await failure(storage(azure, 'deleteObjects', { bucket: 'no-such-container', keys: ['a'] }))).kind).toBe('not_found');
    });

    it('reports a stopped endpoint as a network error', async () => {
      const azure = createAzure({
        storage: { accountName: azurite.accountName, accountKey: azurite.accountKey, endpoint: 'http://127.0.0.1:9/devstoreaccount1' },
      });
      expect((await failure(storage(azure, 'headObject', { bucket: 'anything', key: 'a' }))).kind).toBe('network');
    });

    it('reports a health entry for blob with its latency', async () => {
      const report = await createAzure({ storage: { connectionString: azurite.connectionString } }).healthCheck({
        signal: new AbortController().signal,
      });
      expect(report.services).toEqual([{ service: 'blob', reachable: true, latencyMs: expect.any(Number) as number }]);
    });
  },
});

describe('storage input Azure rejects', () => {
  let peer: FaultServer;
  beforeAll(async () => {
    peer = await startFaultServer();
  });
  afterAll(async () => {
    await peer.close();
  });

  const cases: [string, string, unknown][] = [
    ['a container name with a dot', 'createBucket', { bucket: 'a.b-c' }],
    ['a container name with "--"', 'putObject', { bucket: 'a--b', key: 'k', body: 'x', encoding: 'utf8' }],
    [
      'a copy into a container name with a dot',
      'copyObject',
      { source: { bucket: 'good-name', key: 'k' }, destination: { bucket: 'bad.name', key: 'k' } },
    ],
    ['an empty key', 'getObject', { bucket: 'good-name', key: '', encoding: 'utf8' }],
  ];
  for (const [title, operation, input] of cases) {
    it(`refuses ${title} with validation before sending anything`, async () => {
      const azure = createAzure({
        storage: { accountName: 'devstoreaccount1', accountKey: 'a2V5', endpoint: `${peer.url}/devstoreaccount1` },
      });
      expect((await failure(storage(azure, operation, input))).kind).toBe('validation');
      expect(peer.requests).toEqual([]);
    });
  }

  it('names the container Azure would refuse before any call, so a hub can try the next provider', () => {
    const azure = createAzure({
      storage: { accountName: 'devstoreaccount1', accountKey: 'a2V5', endpoint: `${peer.url}/devstoreaccount1` },
    });
    const refuses = (operation: string, input: unknown, capability: 'storage' | 'compute' = 'storage') =>
      azure.refuses?.({ capability, operation, input });
    expect(refuses('putObject', { bucket: 'double--hyphen', key: 'k', body: 'x', encoding: 'utf8' })).toBe(
      'container name "double--hyphen" is invalid: use 3–63 lowercase letters, digits and single hyphens (no dots, no "--"), starting and ending with a letter or digit',
    );
    expect(refuses('createBucket', { bucket: 'dots.name' })).toContain('container name "dots.name" is invalid');
    expect(refuses('copyObject', { source: { bucket: 'good-name', key: 'k' }, destination: { bucket: 'dots.name', key: 'k' } })).toContain(
      '"dots.name"',
    );
    expect(refuses('putObject', { bucket: 'good-name', key: 'k', body: 'x', encoding: 'utf8' })).toBeUndefined();
    expect(refuses('getInstance', { bucket: 'double--hyphen', instanceId: 'rg/vm' }, 'compute'), 'another capability').toBeUndefined();
    expect(peer.requests).toEqual([]);
  });

  it('answers an unknown operation with unsupported before sending anything', async () => {
    const azure = createAzure({
      storage: { accountName: 'devstoreaccount1', accountKey: 'a2V5', endpoint: `${peer.url}/devstoreaccount1` },
    });
    expect((await failure(storage(azure, 'renameObject', { bucket: 'good-name' }))).kind).toBe('unsupported');
    expect(peer.requests).toEqual([]);
  });
});
