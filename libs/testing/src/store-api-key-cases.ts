import type { NewApiKey } from '@switchyard/platform';
import { expect } from 'vitest';
import { expectIntegrationError } from './capability-client';
import type { StoreCase } from './store-suite';
import { expectRecent } from './suite-helpers';

const HASH = 'a'.repeat(64);

function apiKey(id: string, changes: Partial<NewApiKey> = {}): NewApiKey {
  return { id, workspaceId: 'acme', name: `key ${id}`, scopes: ['read'], secretHash: HASH, ...changes };
}

/** The API key cases of the store contract: hashed keys by id, per workspace, with expiry, revocation and last use. */
export function apiKeyStoreCases(): StoreCase[] {
  return [
    {
      title: 'apiKeys: creates, gets, lists by workspace, updates and deletes keys',
      run: async (store) => {
        const created = await store.apiKeys.create(
          apiKey('0123456789abcdef', { scopes: ['admin', 'read', 'read'], expiresAt: '2031-02-03T04:05:06.789+02:00' }),
        );
        expect(created).toMatchObject({
          id: '0123456789abcdef',
          workspaceId: 'acme',
          scopes: ['read', 'admin'],
          secretHash: HASH,
          // Kept in UTC to the millisecond, whatever offset it was given with.
          expiresAt: '2031-02-03T02:05:06.789Z',
        });
        expect(created.revokedAt).toBeUndefined();
        expect(created.lastUsedAt).toBeUndefined();
        expectRecent(created.createdAt, 'createdAt');
        expect(await store.apiKeys.get('0123456789abcdef')).toEqual(created);

        await store.apiKeys.create(apiKey('1123456789abcdef'));
        await store.apiKeys.create(apiKey('2123456789abcdef', { workspaceId: 'globex' }));
        expect((await store.apiKeys.list()).map((key) => key.id)).toEqual(['0123456789abcdef', '1123456789abcdef', '2123456789abcdef']);
        expect((await store.apiKeys.list({ workspaceId: 'globex' })).map((key) => key.id)).toEqual(['2123456789abcdef']);

        const used = await store.apiKeys.update('0123456789abcdef', {
          lastUsedAt: '2030-01-01T00:00:00Z',
          revokedAt: '2030-01-02T00:00:00.000Z',
          expiresAt: null,
          scopes: ['execute'],
        });
        expect(used).toMatchObject({ lastUsedAt: '2030-01-01T00:00:00.000Z', revokedAt: '2030-01-02T00:00:00.000Z', scopes: ['execute'] });
        expect(used.expiresAt).toBeUndefined();
        expect(await store.apiKeys.get('0123456789abcdef')).toEqual(used);
        const renamed = await store.apiKeys.update('0123456789abcdef', { name: 'ci', revokedAt: null });
        expect(renamed).toMatchObject({ name: 'ci', lastUsedAt: '2030-01-01T00:00:00.000Z', scopes: ['execute'] });
        expect(renamed.revokedAt).toBeUndefined();

        await store.apiKeys.delete('0123456789abcdef');
        await expectIntegrationError(store.apiKeys.get('0123456789abcdef'), 'not_found', 'a deleted key');
        await expectIntegrationError(store.apiKeys.delete('0123456789abcdef'), 'not_found', 'deleting it again');
        await expectIntegrationError(store.apiKeys.update('0123456789abcdef', { name: 'x' }), 'not_found', 'updating it');
      },
    },
    {
      title: 'apiKeys: refuses a taken id, plaintext-looking hashes, empty or unknown scopes and bad timestamps',
      run: async (store) => {
        await store.apiKeys.create(apiKey('0123456789abcdef'));
        await expectIntegrationError(store.apiKeys.create(apiKey('0123456789abcdef')), 'conflict', 'a taken id');
        await expectIntegrationError(
          store.apiKeys.create(apiKey('k2', { secretHash: 'syk_not_a_hash' })),
          'validation',
          'a key instead of its hash',
        );
        await expectIntegrationError(store.apiKeys.create(apiKey('k3', { scopes: [] })), 'validation', 'no scopes');
        await expectIntegrationError(store.apiKeys.create(apiKey('k4', { scopes: ['root' as never] })), 'validation', 'an unknown scope');
        await expectIntegrationError(store.apiKeys.create(apiKey('k5', { expiresAt: 'next tuesday' })), 'validation', 'a bad expiry');
        await expectIntegrationError(store.apiKeys.update('0123456789abcdef', { scopes: [] }), 'validation', 'clearing the scopes');
        expect(await store.apiKeys.list()).toHaveLength(1);
      },
    },
  ];
}
