import { IntegrationError } from '@switchyard/core';
import type { IntegrationRecord, Store } from '@switchyard/platform';
import { expect } from 'vitest';
import { expectIntegrationError } from './capability-client';
import type { StoreCase } from './store-suite';
import { expectRecent } from './suite-helpers';

/** Sealed-looking fields (base64) for credential writes. */
export const SEALED = { keyId: 'key-1', iv: 'AAECAwQFBgcICQoL', ciphertext: 'c2VjcmV0', authTag: 'AAAAAAAAAAAAAAAAAAAAAA==' };

/** Creates an integration a case's records can belong to. */
export async function createIntegration(store: Store, id: string, providerId = 'github'): Promise<IntegrationRecord> {
  return store.integrations.create({ id, providerId, name: `Integration ${id}` });
}

/** The credential cases of the store contract: sealed records, versions and compare-and-swap. */
export function credentialStoreCases(): StoreCase[] {
  return [
    {
      title: 'credentials: stores sealed records and bumps the version on every write',
      run: async (store) => {
        await createIntegration(store, 'a');
        const first = await store.credentials.put({ integrationId: 'a', field: 'apiKey', ...SEALED });
        expect(first).toMatchObject({ integrationId: 'a', field: 'apiKey', ...SEALED, version: 1 });
        expectRecent(first.updatedAt, 'updatedAt');
        const second = await store.credentials.put({ integrationId: 'a', field: 'apiKey', ...SEALED, keyId: 'key-2', ciphertext: 'bmV3' });
        expect(second).toMatchObject({ keyId: 'key-2', ciphertext: 'bmV3', version: 2 });
        expect(await store.credentials.get('a', 'apiKey')).toEqual(second);
        await store.credentials.delete('a', 'apiKey');
        await expectIntegrationError(store.credentials.get('a', 'apiKey'), 'not_found', 'get after delete');
        await expectIntegrationError(store.credentials.delete('a', 'apiKey'), 'not_found', 'delete twice');
      },
    },
    {
      title: 'credentials: compare-and-swap rejects a stale or unexpected version as a conflict',
      run: async (store) => {
        await createIntegration(store, 'a');
        await expectIntegrationError(
          store.credentials.put({ integrationId: 'a', field: 'token', ...SEALED, expectedVersion: 1 }),
          'conflict',
          'expecting version 1 of a missing record',
        );
        const created = await store.credentials.put({ integrationId: 'a', field: 'token', ...SEALED, expectedVersion: 0 });
        expect(created.version).toBe(1);
        await expectIntegrationError(
          store.credentials.put({ integrationId: 'a', field: 'token', ...SEALED, expectedVersion: 0 }),
          'conflict',
          'creating it again',
        );
        const updated = await store.credentials.put({
          integrationId: 'a',
          field: 'token',
          ...SEALED,
          ciphertext: 'bmV3',
          expectedVersion: 1,
        });
        expect(updated.version).toBe(2);
        const stale = await expectIntegrationError(
          store.credentials.put({ integrationId: 'a', field: 'token', ...SEALED, expectedVersion: 1 }),
          'conflict',
          'a stale version',
        );
        expect(stale.isRetryable).toBe(false);
        expect(await store.credentials.get('a', 'token')).toMatchObject({ ciphertext: 'bmV3', version: 2 });
      },
    },
    {
      title: 'credentials: of two writers with the same expected version, exactly one wins',
      run: async (store) => {
        await createIntegration(store, 'a');
        const { version } = await store.credentials.put({ integrationId: 'a', field: 'refreshToken', ...SEALED });
        const writers = ['d3JpdGVyMQ==', 'd3JpdGVyMg=='].map((ciphertext) =>
          store.credentials.put({ integrationId: 'a', field: 'refreshToken', ...SEALED, ciphertext, expectedVersion: version }),
        );
        const results = await Promise.allSettled(writers);
        const winners = results.filter((result) => result.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        const loser = results.find((result) => result.status === 'rejected')?.reason as unknown;
        expect(IntegrationError.isInstance(loser) ? loser.kind : loser, 'the losing writer fails with').toBe('conflict');
        expect(await store.credentials.get('a', 'refreshToken')).toEqual(winners[0]?.value);
        expect(winners[0]?.value.version).toBe(version + 1);
      },
    },
    {
      title: 'credentials: validates input, needs an existing integration and lists by integration and key id',
      run: async (store) => {
        await createIntegration(store, 'b');
        await createIntegration(store, 'a');
        await expectIntegrationError(
          store.credentials.put({ integrationId: 'missing', field: 'apiKey', ...SEALED }),
          'not_found',
          'unknown integration',
        );
        await expectIntegrationError(
          store.credentials.put({ integrationId: 'a', field: 'apiKey', ...SEALED, iv: 'not base64!' }),
          'validation',
          'iv that is not base64',
        );
        await expectIntegrationError(
          store.credentials.put({ integrationId: 'a', field: 'apiKey', ...SEALED, expectedVersion: -1 }),
          'validation',
          'a negative version',
        );
        await store.credentials.put({ integrationId: 'b', field: 'secret', ...SEALED, keyId: 'key-2' });
        await store.credentials.put({ integrationId: 'a', field: 'token', ...SEALED });
        await store.credentials.put({ integrationId: 'a', field: 'apiKey', ...SEALED, keyId: 'key-2' });
        const names = (records: { integrationId: string; field: string }[]) =>
          records.map((record) => `${record.integrationId}.${record.field}`);
        expect(names(await store.credentials.list())).toEqual(['a.apiKey', 'a.token', 'b.secret']);
        expect(names(await store.credentials.list({ integrationId: 'a' }))).toEqual(['a.apiKey', 'a.token']);
        expect(names(await store.credentials.list({ keyId: 'key-2' }))).toEqual(['a.apiKey', 'b.secret']);
        await expectIntegrationError(store.credentials.get('b', 'token'), 'not_found', "another integration's field");
      },
    },
  ];
}
