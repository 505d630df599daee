import { IntegrationError, type ProviderV1, type StorageOperationName } from '@switchyard/core';
import { storageV1 } from '@switchyard/core/storage';
import { describe, expect, it } from 'vitest';
import { createMemoryStorageProvider } from '@switchyard/core/testing';
import { overrideOperation, withoutOperations } from './provider-overrides';
import { storageProviderCases, testStorageProvider } from './storage-suite';
import { runCapabilityCases, type CapabilityCaseResult } from './test-capability';
import { testProvider } from './test-provider';

testProvider({ id: 'memory-storage', category: 'cloud', create: () => createMemoryStorageProvider() });

// The suite against a correct implementation, three ways: a bucket per test,
// one shared bucket, and a provider that cannot manage buckets.
testStorageProvider({ create: () => createMemoryStorageProvider() });
testStorageProvider({ create: () => createMemoryStorageProvider({ buckets: ['contract-tests'] }), bucket: 'contract-tests' });
testStorageProvider({
  create: () => withoutOperations(createMemoryStorageProvider({ buckets: ['shared'] }), ['createBucket', 'deleteBucket']),
  bucket: 'shared',
  unsupported: ['createBucket', 'deleteBucket'],
});

async function runSuite(create: () => ProviderV1, unsupported: StorageOperationName[] = []): Promise<CapabilityCaseResult[]> {
  return runCapabilityCases({ contract: storageV1, create, unsupported, cases: storageProviderCases({ create, unsupported }) });
}

async function failedTitles(create: () => ProviderV1, unsupported: StorageOperationName[] = []): Promise<string[]> {
  return (await runSuite(create, unsupported)).filter((result) => result.status === 'failed').map((result) => result.title);
}

function broken(operation: StorageOperationName, override: Parameters<typeof overrideOperation>[2]): () => ProviderV1 {
  return () => overrideOperation(createMemoryStorageProvider(), operation, override);
}

describe('the storage suite catches broken providers', () => {
  it('passes the memory provider on every case', async () => {
    const results = await runSuite(() => createMemoryStorageProvider());
    expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(results.length).toBe(2 + storageProviderCases({ create: createMemoryStorageProvider }).length);
  });

  it('fails a provider whose getObject returns the wrong body', async () => {
    const create = broken('getObject', async (request, _context, original) => ({
      ...((await original(request)) as object),
      body: 'something else',
    }));
    expect(await failedTitles(create)).toEqual([
      'round-trips text: head and get return the body, content type and metadata that were put',
      'round-trips binary data as base64',
      'replaces an object put twice under the same key',
      'copies an object with its content type and metadata, leaving the source',
    ]);
  });

  it('fails a provider whose deleteObject does nothing', async () => {
    const create = broken('deleteObject', (request) => Promise.resolve(request.input));
    expect(await failedTitles(create)).toEqual([
      'deletes an object: get then reports not_found, and deleting it again succeeds',
      'deletes only empty buckets, and reports not_found once one is gone',
    ]);
  });

  it('fails a provider whose output breaks the contract, naming the operation and field', async () => {
    const create = broken('headObject', async (request, _context, original) => ({
      ...((await original(request)) as object),
      lastModified: 'Fri, 31 Jan 2025 09:30:00 GMT',
    }));
    const failed = (await runSuite(create)).filter((result) => result.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const result of failed) {
      expect(String(result.error)).toMatch(
        /storage\.headObject \(provider memory-storage\) returned output that breaks the contract: lastModified:/,
      );
    }
  });

  it('fails a provider that ignores the list limit or hands back the same cursor', async () => {
    const unlimited = broken('listObjects', (request, _context, original) =>
      original({ ...request, input: { ...(request.input as object), limit: 1000 } }),
    );
    expect(await failedTitles(unlimited)).toEqual(['lists objects under a prefix in key order, page by page']);
    const looping = broken('listObjects', async (request, _context, original) => {
      const page = (await original(request)) as { objects: unknown[] };
      return { ...page, nextCursor: 'same-cursor-forever' };
    });
    expect(await failedTitles(looping)).toContain('lists objects under a prefix in key order, page by page');
  });

  it('fails a provider that lets a bucket be created twice or reports missing objects as another kind', async () => {
    const lenient = broken('createBucket', async (request, _context, original) =>
      original(request).catch(() => ({ bucket: (request.input as { bucket: string }).bucket })),
    );
    expect(await failedTitles(lenient)).toEqual(['creates a bucket once: creating it again is a conflict']);
    const misclassifying = broken('headObject', (request, _context, original) =>
      original(request).catch((error: unknown) => {
        throw IntegrationError.isInstance(error) ? new IntegrationError({ kind: 'provider', message: error.message }) : error;
      }),
    );
    expect(await failedTitles(misclassifying)).toEqual([
      'reports not_found for a missing object or bucket',
      'deletes only empty buckets, and reports not_found once one is gone',
    ]);
  });

  it('fails a provider whose manifest disagrees with what it claims to support', async () => {
    const results = await runSuite(() => createMemoryStorageProvider(), ['presignUrl']);
    expect(results.filter((result) => result.status === 'failed').map((result) => result.title)).toEqual([
      'declares storage v1 in its manifest with exactly the operations it supports',
    ]);
    expect(results.find((result) => result.title.startsWith('presigns'))?.status).toBe('skipped');
  });

  it('fails a provider that answers unknown operations with anything but unsupported', async () => {
    const create = () =>
      Object.freeze({
        ...createMemoryStorageProvider(),
        execute: () => Promise.reject(new Error('boom')),
      });
    expect(await failedTitles(create)).toContain('answers an operation outside the contract with an unsupported error');
  });
});

describe('createMemoryStorageProvider', () => {
  it('has a frozen manifest listing every storage operation', () => {
    const { manifest } = createMemoryStorageProvider({ id: 'memory-a' });
    expect(manifest).toMatchObject({ id: 'memory-a', category: 'cloud', authKinds: ['none'] });
    expect(manifest.capabilities).toEqual([{ name: 'storage', version: 1, operations: Object.keys(storageV1.operations) }]);
    expect(Object.isFrozen(manifest) && Object.isFrozen(manifest.capabilities[0]?.operations)).toBe(true);
  });
});
