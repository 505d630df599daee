import { Buffer } from 'node:buffer';
import type { ProviderV1, StorageOperationName } from '@switchyard/core';
import { storageV1 } from '@switchyard/core/storage';
import { expect } from 'vitest';
import type { CapabilityClient } from './capability-client';
import { collectPages, expectRecent, uniqueId } from './suite-helpers';
import { testCapability, type AdditionalTestsContext, type CapabilityCase } from './test-capability';

type StorageClient = CapabilityClient<typeof storageV1>;
type StorageCase = CapabilityCase<typeof storageV1>;

/** Options for {@link testStorageProvider} and {@link storageProviderCases}. */
export interface TestStorageProviderOptions {
  /** Builds a fresh provider; called once per test. */
  readonly create: () => ProviderV1;
  /**
   * An existing bucket the object tests write to, under unique keys. Default:
   * each test creates its own bucket and deletes it afterwards, which needs
   * `createBucket`.
   */
  readonly bucket?: string;
  /** Operations the provider does not support; their tests are skipped. Default: none. */
  readonly unsupported?: readonly StorageOperationName[];
  /** Extra tests to run inside the suite's `describe` block. */
  readonly additionalTests?: (context: AdditionalTestsContext<typeof storageV1>) => void;
}

const TEXT = 'Grüße from Switchyard ✓\nline two';
const METADATA = { owner: 'switchyard', build_id: '42' };

/** Keys under one unique prefix, so tests never collide on a shared bucket. */
function uniquePrefix(): string {
  return `switchyard-contract/${uniqueId()}/`;
}

async function removeBucket(storage: StorageClient, bucket: string): Promise<void> {
  const { objects } = await storage.call('listObjects', { bucket });
  if (objects.length > 0) await storage.call('deleteObjects', { bucket, keys: objects.map((object) => object.key) });
  await storage.call('deleteBucket', { bucket });
}

/**
 * The test cases of the storage contract, for {@link testStorageProvider} or
 * `runCapabilityCases`. Each uses its own keys (or bucket), so cases can run
 * against a shared emulator.
 */
export function storageProviderCases(options: TestStorageProviderOptions): StorageCase[] {
  const canCreateBuckets = !(options.unsupported ?? []).includes('createBucket');

  /** Runs `test` with the configured bucket, or a fresh one it removes afterwards (best effort). */
  async function withBucket(storage: StorageClient, test: (bucket: string) => Promise<void>): Promise<void> {
    if (options.bucket !== undefined) return test(options.bucket);
    if (!canCreateBuckets) throw new Error('testStorageProvider needs `bucket` when the provider does not support createBucket');
    const bucket = `switchyard-test-${uniqueId()}`;
    await storage.call('createBucket', { bucket });
    try {
      await test(bucket);
    } finally {
      await removeBucket(storage, bucket).catch(() => undefined);
    }
  }

  const objectCase = (
    title: string,
    operations: StorageOperationName[],
    test: (storage: StorageClient, bucket: string, prefix: string) => Promise<void>,
  ): StorageCase => ({
    title,
    operations,
    run: (storage) => withBucket(storage, (bucket) => test(storage, bucket, uniquePrefix())),
  });

  return [
    objectCase(
      'round-trips text: head and get return the body, content type and metadata that were put',
      ['putObject', 'headObject', 'getObject'],
      async (storage, bucket, prefix) => {
        const key = `${prefix}greeting.txt`;
        const size = Buffer.byteLength(TEXT);
        const put = await storage.call('putObject', { bucket, key, body: TEXT, contentType: 'text/plain', metadata: METADATA });
        expect(put, 'putObject output').toMatchObject({ bucket, key, size });
        const expected = { bucket, key, size, etag: put.etag, contentType: 'text/plain', metadata: METADATA };
        const head = await storage.call('headObject', { bucket, key });
        expect(head, 'headObject output').toEqual({ ...expected, lastModified: head.lastModified });
        expectRecent(head.lastModified, 'headObject lastModified');
        const got = await storage.call('getObject', { bucket, key });
        expect(got, 'getObject output').toEqual({ ...expected, lastModified: head.lastModified, body: TEXT, encoding: 'utf8' });
      },
    ),
    objectCase('round-trips binary data as base64', ['putObject', 'getObject'], async (storage, bucket, prefix) => {
      const key = `${prefix}bytes.bin`;
      const body = Buffer.from(Array.from({ length: 256 }, (_, index) => index)).toString('base64');
      const put = await storage.call('putObject', { bucket, key, body, encoding: 'base64' });
      expect(put.size, 'putObject size counts decoded bytes').toBe(256);
      const got = await storage.call('getObject', { bucket, key, encoding: 'base64' });
      expect({ body: got.body, encoding: got.encoding, size: got.size }, 'getObject output').toEqual({
        body,
        encoding: 'base64',
        size: 256,
      });
    }),
    objectCase(
      'stores application/octet-stream and no metadata when none are given',
      ['putObject', 'headObject'],
      async (storage, bucket, prefix) => {
        const key = `${prefix}plain`;
        await storage.call('putObject', { bucket, key, body: 'x' });
        const head = await storage.call('headObject', { bucket, key });
        expect({ contentType: head.contentType, metadata: head.metadata }).toEqual({
          contentType: 'application/octet-stream',
          metadata: {},
        });
      },
    ),
    objectCase('replaces an object put twice under the same key', ['putObject', 'getObject'], async (storage, bucket, prefix) => {
      const key = `${prefix}twice.txt`;
      const first = await storage.call('putObject', { bucket, key, body: 'first version' });
      const second = await storage.call('putObject', { bucket, key, body: 'second' });
      expect(second.etag, 'a new body gets a new etag').not.toBe(first.etag);
      const got = await storage.call('getObject', { bucket, key });
      expect({ body: got.body, size: got.size, etag: got.etag }).toEqual({ body: 'second', size: 6, etag: second.etag });
    }),
    objectCase('reports not_found for a missing object or bucket', ['getObject', 'headObject'], async (storage, bucket, prefix) => {
      const key = `${prefix}missing.txt`;
      await storage.expectError('getObject', { bucket, key }, 'not_found');
      await storage.expectError('headObject', { bucket, key }, 'not_found');
      await storage.expectError('getObject', { bucket: `switchyard-missing-${uniqueId()}`, key }, 'not_found');
    }),
    objectCase('lists objects under a prefix in key order, page by page', ['putObject', 'listObjects'], async (storage, bucket, prefix) => {
      const names = ['a.txt', 'b.txt', 'c/d.txt', 'c/e.txt', 'f.txt'];
      const etags = new Map<string, string>();
      for (const [index, name] of names.entries()) {
        const put = await storage.call('putObject', { bucket, key: `${prefix}${name}`, body: 'x'.repeat(index) });
        etags.set(`${prefix}${name}`, put.etag);
      }
      await storage.call('putObject', { bucket, key: `${prefix.slice(0, -1)}-outside.txt`, body: 'not listed' });
      const paged = await collectPages({
        label: 'listObjects',
        limit: 2,
        maximumPages: 10,
        fetchPage: async (cursor) => {
          const page = await storage.call('listObjects', { bucket, prefix, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
          return { items: page.objects, nextCursor: page.nextCursor };
        },
      });
      expect(paged.exhausted, 'listObjects runs out of pages').toBe(true);
      expect(paged.pageCount, 'five objects at two per page take at least three pages').toBeGreaterThanOrEqual(3);
      expect(
        paged.items.map((object) => ({ key: object.key, size: object.size, etag: object.etag })),
        'every object under the prefix, once, in key order',
      ).toEqual(names.map((name, index) => ({ key: `${prefix}${name}`, size: index, etag: etags.get(`${prefix}${name}`) })));
      const whole = await storage.call('listObjects', { bucket, prefix });
      expect(
        whole.objects.map((object) => object.key),
        'one page holds everything that fits',
      ).toHaveLength(names.length);
      expect(whole.nextCursor, 'the last page has no cursor').toBeUndefined();
    }),
    objectCase('lists nothing under a prefix that holds no objects', ['listObjects'], async (storage, bucket, prefix) => {
      expect(await storage.call('listObjects', { bucket, prefix })).toEqual({ objects: [] });
    }),
    objectCase(
      'deletes an object: get then reports not_found, and deleting it again succeeds',
      ['putObject', 'deleteObject', 'getObject'],
      async (storage, bucket, prefix) => {
        const key = `${prefix}doomed.txt`;
        await storage.call('putObject', { bucket, key, body: 'bye' });
        expect(await storage.call('deleteObject', { bucket, key })).toEqual({ bucket, key });
        await storage.expectError('getObject', { bucket, key }, 'not_found');
        expect(await storage.call('deleteObject', { bucket, key }), 'a repeat succeeds').toEqual({ bucket, key });
      },
    ),
    objectCase(
      'deletes many objects at once, counting missing keys as deleted',
      ['putObject', 'deleteObjects', 'listObjects'],
      async (storage, bucket, prefix) => {
        const [first, second, kept, missing] = ['1', '2', '3', 'missing'].map((name) => `${prefix}${name}`) as [
          string,
          string,
          string,
          string,
        ];
        for (const key of [first, second, kept]) await storage.call('putObject', { bucket, key, body: key });
        const result = await storage.call('deleteObjects', { bucket, keys: [first, second, missing] });
        expect({ deleted: [...result.deleted].sort(), errors: result.errors }).toEqual({ deleted: [first, second, missing], errors: [] });
        const { objects } = await storage.call('listObjects', { bucket, prefix });
        expect(
          objects.map((object) => object.key),
          'only the key left out remains',
        ).toEqual([kept]);
      },
    ),
    objectCase(
      'copies an object with its content type and metadata, leaving the source',
      ['putObject', 'copyObject', 'getObject'],
      async (storage, bucket, prefix) => {
        const source = { bucket, key: `${prefix}source.json` };
        const destination = { bucket, key: `${prefix}copy/destination.json` };
        await storage.call('putObject', { ...source, body: '{"ok":true}', contentType: 'application/json', metadata: METADATA });
        const copied = await storage.call('copyObject', { source, destination });
        expect(copied, 'copyObject output').toMatchObject(destination);
        for (const location of [destination, source]) {
          const got = await storage.call('getObject', location);
          expect({ body: got.body, contentType: got.contentType, metadata: got.metadata }, location.key).toEqual({
            body: '{"ok":true}',
            contentType: 'application/json',
            metadata: METADATA,
          });
        }
      },
    ),
    objectCase('reports not_found when copying a missing object', ['copyObject'], async (storage, bucket, prefix) => {
      await storage.expectError(
        'copyObject',
        { source: { bucket, key: `${prefix}missing` }, destination: { bucket, key: `${prefix}copy` } },
        'not_found',
      );
    }),
    objectCase('presigns download and upload URLs that expire when asked', ['presignUrl'], async (storage, bucket, prefix) => {
      const key = `${prefix}shared.txt`;
      const download = await storage.call('presignUrl', { bucket, key });
      expect(download.method, 'presignUrl defaults to GET').toBe('GET');
      expect(Date.parse(download.expiresAt) - Date.now(), 'a default URL lasts an hour').toBeGreaterThan(3600_000 - 5 * 60_000);
      expect(Date.parse(download.expiresAt) - Date.now(), 'a default URL lasts an hour').toBeLessThan(3600_000 + 5 * 60_000);
      const upload = await storage.call('presignUrl', { bucket, key, method: 'PUT', expiresInSeconds: 60 });
      expect(upload.method).toBe('PUT');
      expectRecent(upload.expiresAt, 'a 60-second URL’s expiresAt');
      expect(upload.url, 'GET and PUT URLs differ').not.toBe(download.url);
    }),
    {
      title: 'creates a bucket once: creating it again is a conflict',
      operations: ['createBucket', 'deleteBucket'],
      async run(storage) {
        const bucket = `switchyard-test-${uniqueId()}`;
        expect(await storage.call('createBucket', { bucket })).toEqual({ bucket });
        try {
          await storage.expectError('createBucket', { bucket }, 'conflict');
        } finally {
          await storage.call('deleteBucket', { bucket }).catch(() => undefined);
        }
      },
    },
    {
      title: 'deletes only empty buckets, and reports not_found once one is gone',
      operations: ['createBucket', 'deleteBucket', 'putObject', 'deleteObject', 'headObject'],
      async run(storage) {
        const bucket = `switchyard-test-${uniqueId()}`;
        const key = 'keeps-the-bucket-busy.txt';
        await storage.call('createBucket', { bucket });
        await storage.call('putObject', { bucket, key, body: 'x' });
        await storage.expectError('deleteBucket', { bucket }, 'conflict');
        await storage.call('headObject', { bucket, key });
        await storage.call('deleteObject', { bucket, key });
        expect(await storage.call('deleteBucket', { bucket })).toEqual({ bucket });
        await storage.expectError('headObject', { bucket, key }, 'not_found');
        await storage.expectError('deleteBucket', { bucket }, 'not_found');
      },
    },
  ];
}

/**
 * The contract suite every `storage` provider runs: round trips of text and
 * binary bodies with content type and metadata, listing with prefixes and
 * pagination, deletes, copies, presigned URLs and bucket lifecycle, each
 * against a fresh provider, every output checked against `storageV1`.
 *
 * @example
 * ```ts
 * testStorageProvider({ create: () => createAzure({ connectionString: azurite }), bucket: 'contract-tests' });
 * ```
 */
export function testStorageProvider(options: TestStorageProviderOptions): void {
  testCapability({
    contract: storageV1,
    create: options.create,
    unsupported: options.unsupported,
    additionalTests: options.additionalTests,
    cases: storageProviderCases(options),
  });
}
