import type { ApiKeyRepository } from './store';
import { parseStoreInput, storeConflict, storeNotFound, storeSchemas as schemas, storeTimestamp } from './store-input';
import type { ApiKeyRecord } from './store-records';
import { byText, copy, run } from './memory-kit';

/** The memory store's `apiKeys`: a map by id. */
export function createMemoryApiKeys(): ApiKeyRepository {
  const keys = new Map<string, ApiKeyRecord>();
  const find = (id: string, operation: string): ApiKeyRecord => {
    const found = keys.get(parseStoreInput(schemas.key, id, operation));
    if (found === undefined) throw storeNotFound(operation, `API key "${id}"`);
    return found;
  };
  return {
    create: (key) =>
      run(() => {
        const input = parseStoreInput(schemas.newApiKey, key, 'store.apiKeys.create');
        if (keys.has(input.id)) throw storeConflict('store.apiKeys.create', `API key "${input.id}" already exists`);
        const record: ApiKeyRecord = {
          ...input,
          expiresAt: input.expiresAt,
          createdAt: storeTimestamp(),
          revokedAt: undefined,
          lastUsedAt: undefined,
        };
        keys.set(input.id, copy(record));
        return copy(record);
      }),
    get: (id) => run(() => copy(find(id, 'store.apiKeys.get'))),
    list: (filter) =>
      run(() => {
        const input = parseStoreInput(schemas.apiKeyFilter, filter, 'store.apiKeys.list');
        const matching = [...keys.values()].filter((record) => input.workspaceId === undefined || record.workspaceId === input.workspaceId);
        return copy(matching.sort((left, right) => byText(left.createdAt, right.createdAt) || byText(left.id, right.id)));
      }),
    update: (id, changes) =>
      run(() => {
        const input = parseStoreInput(schemas.apiKeyChanges, changes, 'store.apiKeys.update');
        const existing = find(id, 'store.apiKeys.update');
        const record: ApiKeyRecord = {
          ...existing,
          name: input.name ?? existing.name,
          scopes: input.scopes ?? existing.scopes,
          expiresAt: input.expiresAt === undefined ? existing.expiresAt : (input.expiresAt ?? undefined),
          revokedAt: input.revokedAt === undefined ? existing.revokedAt : (input.revokedAt ?? undefined),
          lastUsedAt: input.lastUsedAt ?? existing.lastUsedAt,
        };
        keys.set(existing.id, copy(record));
        return copy(record);
      }),
    delete: (id) =>
      run(() => {
        find(id, 'store.apiKeys.delete');
        keys.delete(id);
      }),
  };
}
