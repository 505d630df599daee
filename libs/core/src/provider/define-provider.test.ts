import { describe, expect, it } from 'vitest';
import { storageV1 } from '../capabilities/storage';
import { IntegrationError } from '../errors/integration-error';
import { createHub } from '../hub/create-hub';
import { silentLogger } from '../utils/logger';
import { defineProvider } from './define-provider';
import { validateProviderManifest } from './provider-manifest';

const context = { signal: new AbortController().signal, attempt: 1, idempotencyKey: undefined, deadline: undefined, logger: silentLogger };

function createAcme(calls: unknown[] = []) {
  return defineProvider({
    id: 'acme',
    name: 'Acme',
    category: 'cloud',
    docsUrl: 'https://example.com/acme',
    authKinds: ['api-key'],
    capabilities: [
      {
        contract: storageV1,
        handlers: {
          headObject: (input: { bucket: string; key: string }) => {
            calls.push(input);
            return Promise.resolve({
              key: input.key,
              size: 3,
              contentType: 'text/plain',
              etag: '"e"',
              lastModified: '2026-01-01T00:00:00.000Z',
              metadata: {},
            });
          },
        },
      },
    ],
    isConfigured: () => true,
    properties: { baseURL: 'https://acme.example.com' },
  });
}

describe('defineProvider', () => {
  it('returns a frozen provider whose manifest lists exactly the operations with handlers, and is valid', () => {
    const acme = createAcme();
    expect(Object.isFrozen(acme)).toBe(true);
    expect(Object.isFrozen(acme.manifest)).toBe(true);
    expect(acme.manifest.capabilities).toEqual([{ name: 'storage', version: 1, operations: ['headObject'] }]);
    expect(acme.contracts).toEqual([storageV1]);
    expect(validateProviderManifest(acme.manifest)).toEqual(acme.manifest);
    expect(acme.baseURL).toBe('https://acme.example.com');
    expect(acme.specificationVersion).toBe('v1');
    expect('operations' in acme).toBe(false);
  });

  it('checks input against the contract before the handler runs, and refuses operations it has no handler for', async () => {
    const calls: unknown[] = [];
    const acme = createAcme(calls);
    const invalid = await acme
      .execute({ capability: 'storage', operation: 'headObject', input: { bucket: '', key: 'a' } }, context)
      .catch((error: unknown) => error);
    expect(IntegrationError.isInstance(invalid) && invalid.kind).toBe('validation');
    expect((invalid as IntegrationError).message).toMatch(/^acme: invalid input for storage\.headObject: bucket/);
    const missing = await acme
      .execute({ capability: 'storage', operation: 'getObject', input: { bucket: 'b', key: 'a' } }, context)
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({ kind: 'unsupported', provider: 'acme' });
    expect(calls).toEqual([]);
  });

  it('registers in a hub as it is', async () => {
    const hub = createHub({ providers: [createAcme()] });
    expect(await hub.storage.headObject({ bucket: 'bucket', key: 'a.txt' })).toMatchObject({ key: 'a.txt', size: 3 });
  });

  it('keeps its parts: properties cannot shadow the provider spec', () => {
    const acme = defineProvider({
      id: 'acme',
      name: 'Acme',
      category: 'crm',
      docsUrl: 'https://example.com/acme',
      authKinds: ['none'],
      capabilities: [],
      properties: { manifest: 'not a manifest' },
    });
    expect(acme.manifest.id).toBe('acme');
  });
});

describe('defineProvider types', () => {
  it('types the parts a definition gives as given, and leaves the rest out', async () => {
    const acme = defineProvider({
      id: 'acme',
      name: 'Acme',
      category: 'crm',
      docsUrl: 'https://example.com/acme',
      authKinds: ['none'],
      capabilities: [],
      healthCheck: () => Promise.resolve(),
      properties: { baseURL: 'https://acme.example.com' },
    });
    // No `!` and no cast: the health check and baseURL are typed as present.
    await acme.healthCheck({ signal: new AbortController().signal });
    const baseURL: string = acme.baseURL;
    expect(baseURL).toBe('https://acme.example.com');
  });
});
