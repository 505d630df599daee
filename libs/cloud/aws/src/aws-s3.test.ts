import { createCallContext, startFaultServer, testStorageProvider, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAws } from './index';
import { MOTO_CREDENTIALS, startMotoServer, type MotoServer } from './testing/index';

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMotoServer();
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

const createS3 = () => createAws({ baseURL: moto.url, credentials: MOTO_CREDENTIALS, capabilities: ['storage'] });

testStorageProvider({
  create: createS3,
  additionalTests: ({ createClient }) => {
    it('presigns URLs that moto honours: PUT uploads the body, GET downloads it', async () => {
      const storage = createClient();
      const bucket = `presign-${Date.now()}`;
      await storage.call('createBucket', { bucket });
      const upload = await storage.call('presignUrl', { bucket, key: 'dir/a b.txt', method: 'PUT', contentType: 'text/plain' });
      const put = await fetch(upload.url, { method: 'PUT', body: 'via presigned url', headers: { 'content-type': 'text/plain' } });
      expect(put.status).toBe(200);
      const download = await storage.call('presignUrl', { bucket, key: 'dir/a b.txt', expiresInSeconds: 60 });
      expect(new URL(download.url).searchParams.get('X-Amz-Expires')).toBe('60');
      expect(await (await fetch(download.url)).text()).toBe('via presigned url');
      const head = await storage.call('headObject', { bucket, key: 'dir/a b.txt' });
      expect(head.contentType).toBe('text/plain');
    });

    it('reports conflict for a bucket that exists, though S3 answers 200 when you own it', async () => {
      const storage = createClient();
      const bucket = `twice-${Date.now()}`;
      await storage.call('createBucket', { bucket });
      const error = await storage.expectError('createBucket', { bucket }, 'conflict');
      expect(error.isRetryable).toBe(false);
    });

    it('copies keys with spaces, slashes and non-ASCII characters', async () => {
      const storage = createClient();
      const bucket = `copy-${Date.now()}`;
      await storage.call('createBucket', { bucket });
      await storage.call('putObject', { bucket, key: 'from/Grüße & more.txt', body: 'hallo', metadata: { owner: 'x' } });
      await storage.call('copyObject', { source: { bucket, key: 'from/Grüße & more.txt' }, destination: { bucket, key: 'to/ü+1.txt' } });
      const copied = await storage.call('getObject', { bucket, key: 'to/ü+1.txt' });
      expect({ body: copied.body, metadata: copied.metadata }).toEqual({ body: 'hallo', metadata: { owner: 'x' } });
    });
  },
});

describe('storage input AWS would refuse', () => {
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('sends metadata names with "_" unchanged, as S3 stores them', async () => {
    server.route('PUT /wire-bucket/a.txt', { status: 200, headers: { etag: '"abc"' } });
    const provider = createAws({ baseURL: server.url, credentials: MOTO_CREDENTIALS });
    const input = { bucket: 'wire-bucket', key: 'a.txt', body: 'x', metadata: { build_id: '42' } };
    await provider.execute({ capability: 'storage', operation: 'putObject', input }, createCallContext());
    expect(server.requests.map((request) => request.headers['x-amz-meta-build_id'])).toEqual(['42']);
    server.requests.length = 0;
  });

  const metadata = { big: 'x'.repeat(2100) };
  it.each([
    ['an empty key', 'getObject', { bucket: 'ok-bucket', key: '' }, 'validation'],
    ['an uppercase bucket name', 'headObject', { bucket: 'Not-Valid', key: 'a' }, 'validation'],
    ['a bucket name S3 reserves', 'createBucket', { bucket: 'xn--reserved' }, 'validation'],
    [
      'a bucket name with a reserved suffix',
      'copyObject',
      { source: { bucket: 'ok-bucket', key: 'a' }, destination: { bucket: 'b-s3alias', key: 'a' } },
      'validation',
    ],
    ['a negative limit', 'listObjects', { bucket: 'ok-bucket', limit: -1 }, 'validation'],
    ['a cursor listObjects did not issue', 'listObjects', { bucket: 'ok-bucket', cursor: 'bm90IGEgY3Vyc29y' }, 'validation'],
    ['metadata over 2 KB', 'putObject', { bucket: 'ok-bucket', key: 'a', body: 'x', metadata }, 'validation'],
    ['an operation outside the contract', 'renameObject', { bucket: 'ok-bucket', key: 'a' }, 'unsupported'],
  ])('refuses %s with %s before sending anything', async (_title, operation, input, kind) => {
    const provider = createAws({ baseURL: server.url, credentials: MOTO_CREDENTIALS });
    const outcome = await provider
      .execute({ capability: 'storage', operation, input }, createCallContext())
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ name: 'IntegrationError', kind, provider: 'aws', operation: `storage.${operation}` });
    expect(server.requests).toEqual([]);
  });
});
