import { createMemoryStore, type Store } from '@switchyard/platform';
import { describe, expect, it } from 'vitest';
import { storeContractCases, testStore } from './store-suite';

testStore({ name: 'memory store contract', create: () => Promise.resolve(createMemoryStore()) });

/** Runs every case against a fresh store from `create` and returns the titles that failed. */
async function failedTitles(create: () => Store): Promise<string[]> {
  const failed: string[] = [];
  for (const storeCase of storeContractCases()) {
    await storeCase.run(create()).catch(() => failed.push(storeCase.title));
  }
  return failed;
}

describe('the store suite catches broken stores', () => {
  it('passes the memory store on every case', async () => {
    expect(await failedTitles(createMemoryStore)).toEqual([]);
  });

  it('fails a store whose credential writes ignore the expected version', async () => {
    const create = (): Store => {
      const store = createMemoryStore();
      const original = store.credentials;
      return { ...store, credentials: { ...original, put: (credential) => original.put({ ...credential, expectedVersion: undefined }) } };
    };
    expect(await failedTitles(create)).toEqual([
      'credentials: compare-and-swap rejects a stale or unexpected version as a conflict',
      'credentials: of two writers with the same expected version, exactly one wins',
      // it also drops the check that rejects a negative expected version
      'credentials: validates input, needs an existing integration and lists by integration and key id',
    ]);
  });

  it('fails a store that records every webhook delivery as new', async () => {
    const create = (): Store => {
      const store = createMemoryStore();
      return { ...store, webhookDeliveries: { ...store.webhookDeliveries, record: () => Promise.resolve(true) } };
    };
    expect(await failedTitles(create)).toEqual(['webhook deliveries: records a delivery id once per provider']);
  });

  it('fails a store whose upserts always report a change', async () => {
    const create = (): Store => {
      const store = createMemoryStore();
      const original = store.records;
      return {
        ...store,
        records: { ...original, upsert: async (record) => ({ ...(await original.upsert(record)), outcome: 'updated' as const }) },
      };
    };
    expect(await failedTitles(create)).toContain('records: upserts idempotently and changes the hash only when the content changes');
  });

  it('fails a store that lists events oldest first', async () => {
    const create = (): Store => {
      const store = createMemoryStore();
      const original = store.events;
      return { ...store, events: { ...original, listRecent: async (query) => (await original.listRecent(query)).reverse() } };
    };
    expect(await failedTitles(create)).toEqual(['events: lists the most recent first, limited and filtered']);
  });
});
