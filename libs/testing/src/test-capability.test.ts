import { IntegrationError, silentLogger, type ProviderV1 } from '@switchyard/core';
import { storageV1 } from '@switchyard/core/storage';
import { describe, expect, it } from 'vitest';
import { createCallContext } from './call-context';
import { createCapabilityClient, expectIntegrationError } from './capability-client';
import { createMemoryStorageProvider } from '@switchyard/core/testing';
import { overrideOperation } from './provider-overrides';
import { runCapabilityCases, testCapability, type CapabilityCase } from './test-capability';

const headCase: CapabilityCase<typeof storageV1> = {
  title: 'heads a missing object',
  operations: ['headObject'],
  async run(storage) {
    await storage.call('createBucket', { bucket: 'acme' });
    await storage.expectError('headObject', { bucket: 'acme', key: 'missing' }, 'not_found');
  },
};

// The mechanism itself, registered with vitest: manifest checks plus one case,
// and additional tests receive a checked client.
testCapability({
  contract: storageV1,
  create: () => createMemoryStorageProvider(),
  cases: [headCase],
  additionalTests({ createClient }) {
    it('hands additional tests a checked client', async () => {
      expect(await createClient().call('createBucket', { bucket: 'extra' })).toEqual({ bucket: 'extra' });
    });
  },
});

describe('createCallContext', () => {
  it('builds a first-attempt context with a live signal and no key or deadline', () => {
    const context = createCallContext();
    expect(context).toMatchObject({ attempt: 1, idempotencyKey: undefined, deadline: undefined, logger: silentLogger });
    expect(context.signal.aborted).toBe(false);
    expect(createCallContext({ attempt: 3 }).attempt).toBe(3);
  });
});

describe('createCapabilityClient', () => {
  const storage = () => createCapabilityClient(storageV1, createMemoryStorageProvider());

  it('applies input defaults before the provider sees the input', async () => {
    const seen: unknown[] = [];
    const provider = overrideOperation(createMemoryStorageProvider(), 'listObjects', (request, _context, original) => {
      seen.push(request.input);
      return original(request);
    });
    const client = createCapabilityClient(storageV1, provider);
    await client.call('createBucket', { bucket: 'acme' });
    await client.call('listObjects', { bucket: 'acme' });
    expect(seen).toEqual([{ bucket: 'acme', limit: 1000 }]);
  });

  it('refuses input that breaks the contract, naming the operation and field', async () => {
    await expect(storage().call('createBucket', { bucket: 'No' })).rejects.toThrow(
      /storage\.createBucket \(provider memory-storage\): the test's input breaks the contract: bucket:/,
    );
  });

  it('fails output that breaks the contract, naming the operation and field', async () => {
    const provider = overrideOperation(createMemoryStorageProvider(), 'createBucket', () => Promise.resolve({ name: 'acme' }));
    await expect(createCapabilityClient(storageV1, provider).call('createBucket', { bucket: 'acme' })).rejects.toThrow(
      /storage\.createBucket \(provider memory-storage\) returned output that breaks the contract: bucket:/,
    );
  });

  it('checks the kind of an expected error', async () => {
    const client = storage();
    const error = await client.expectError('getObject', { bucket: 'nope', key: 'k' }, 'not_found');
    expect(error.kind).toBe('not_found');
    await expect(client.expectError('getObject', { bucket: 'nope', key: 'k' }, 'conflict')).rejects.toThrow(
      /storage\.getObject .* should fail with kind 'conflict', but failed with kind 'not_found'/,
    );
    await expect(client.expectError('createBucket', { bucket: 'fresh' }, 'conflict')).rejects.toThrow(
      /should fail with kind 'conflict', but succeeded with \{"bucket":"fresh"\}/,
    );
  });

  it('fails when a provider throws something other than an IntegrationError', async () => {
    await expect(expectIntegrationError(Promise.reject(new TypeError('oops')), 'not_found', 'x.y')).rejects.toThrow(
      /x\.y should fail with an IntegrationError of kind 'not_found', but threw TypeError: oops/,
    );
    const error = new IntegrationError({ kind: 'not_found', message: 'gone' });
    await expect(expectIntegrationError(Promise.reject(error), 'not_found', 'x.y')).resolves.toBe(error);
  });
});

describe('runCapabilityCases', () => {
  const failing: CapabilityCase<typeof storageV1> = {
    title: 'always fails',
    operations: ['presignUrl'],
    run() {
      throw new Error('no');
    },
  };

  it('reports passed, failed and skipped cases in order', async () => {
    const results = await runCapabilityCases({
      contract: storageV1,
      create: () => createMemoryStorageProvider(),
      cases: [headCase, failing],
    });
    expect(results.map(({ title, status }) => [title, status])).toEqual([
      ['declares storage v1 in its manifest with exactly the operations it supports', 'passed'],
      ['answers an operation outside the contract with an unsupported error', 'passed'],
      ['heads a missing object', 'passed'],
      ['always fails', 'failed'],
    ]);
  });

  it('skips cases that call an unsupported operation, and checks the manifest leaves it out', async () => {
    const results = await runCapabilityCases({
      contract: storageV1,
      create: () => createMemoryStorageProvider(),
      unsupported: ['presignUrl'],
      cases: [failing],
    });
    expect(results.map((result) => result.status)).toEqual(['failed', 'passed', 'skipped']);
    expect(String(results[0]?.error)).toMatch(/manifest lists the storage operations it supports, and no others/);
  });

  it('fails when `unsupported` names an operation the contract does not have', async () => {
    const results = await runCapabilityCases({
      contract: storageV1,
      create: () => createMemoryStorageProvider(),
      unsupported: ['teleport' as 'presignUrl'],
      cases: [],
    });
    expect(String(results[0]?.error)).toMatch(/'unsupported' names operations storage v1 does not have/);
  });

  it('fails a provider that does not declare the capability at all', async () => {
    const provider = createMemoryStorageProvider();
    const bare: ProviderV1 = { ...provider, manifest: { ...provider.manifest, capabilities: [] } };
    const results = await runCapabilityCases({ contract: storageV1, create: () => bare, cases: [] });
    expect(String(results[0]?.error)).toMatch(/manifest\.capabilities has no entry for storage v1/);
  });
});
