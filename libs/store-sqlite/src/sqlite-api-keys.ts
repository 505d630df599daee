import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { ApiKeyRepository } from '@switchyard/platform';
import { parseStoreInput, storeConflict, storeNotFound, storeSchemas as schemas, storeTimestamp } from '@switchyard/platform/store-kit';
import { toApiKey, type Row } from './sqlite-rows';

/** Runs a synchronous body as an async method, so its errors reject instead of throwing. */
const run = <Result>(body: () => Result): Promise<Result> => Promise.resolve().then(body);

/**
 * The SQLite store's `apiKeys`, in the `api_keys` table. Timestamps are kept
 * as the `toISOString()` text the input schemas normalise them to, so they
 * come back unchanged and sort as text. Every write is one statement.
 */
export function createSqliteApiKeys(database: DatabaseSync): ApiKeyRepository {
  const one = (sql: string, ...values: SQLInputValue[]): Row | undefined => database.prepare(sql).get(...values);
  const notFound = (operation: string, id: string) => storeNotFound(operation, `API key "${id}"`);

  return {
    create: (key) =>
      run(() => {
        const input = parseStoreInput(schemas.newApiKey, key, 'store.apiKeys.create');
        const row = one(
          `INSERT INTO api_keys (id, workspace_id, name, scopes, secret_hash, created_at, expires_at, revoked_at, last_used_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL) ON CONFLICT DO NOTHING RETURNING *`,
          input.id,
          input.workspaceId,
          input.name,
          JSON.stringify(input.scopes),
          input.secretHash,
          storeTimestamp(),
          input.expiresAt ?? null,
        );
        if (row === undefined) throw storeConflict('store.apiKeys.create', `API key "${input.id}" already exists`);
        return toApiKey(row);
      }),
    get: (id) =>
      run(() => {
        const row = one('SELECT * FROM api_keys WHERE id = ?', parseStoreInput(schemas.key, id, 'store.apiKeys.get'));
        if (row === undefined) throw notFound('store.apiKeys.get', id);
        return toApiKey(row);
      }),
    list: (filter) =>
      run(() => {
        const input = parseStoreInput(schemas.apiKeyFilter, filter, 'store.apiKeys.list');
        const rows =
          input.workspaceId === undefined
            ? database.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all()
            : database.prepare('SELECT * FROM api_keys WHERE workspace_id = ? ORDER BY created_at, id').all(input.workspaceId);
        return rows.map(toApiKey);
      }),
    update: (id, changes) =>
      run(() => {
        const input = parseStoreInput(schemas.apiKeyChanges, changes, 'store.apiKeys.update');
        const key = parseStoreInput(schemas.key, id, 'store.apiKeys.update');
        // expiresAt and revokedAt have three states: absent (keep), null (clear) and a timestamp (set).
        const row = database
          .prepare(
            `UPDATE api_keys SET name = coalesce($name, name), scopes = coalesce($scopes, scopes),
             expires_at = CASE WHEN $setExpiresAt = 1 THEN $expiresAt ELSE expires_at END,
             revoked_at = CASE WHEN $setRevokedAt = 1 THEN $revokedAt ELSE revoked_at END,
             last_used_at = coalesce($lastUsedAt, last_used_at)
           WHERE id = $id RETURNING *`,
          )
          .get({
            id: key,
            name: input.name ?? null,
            scopes: input.scopes === undefined ? null : JSON.stringify(input.scopes),
            setExpiresAt: input.expiresAt === undefined ? 0 : 1,
            expiresAt: input.expiresAt ?? null,
            setRevokedAt: input.revokedAt === undefined ? 0 : 1,
            revokedAt: input.revokedAt ?? null,
            lastUsedAt: input.lastUsedAt ?? null,
          });
        if (row === undefined) throw notFound('store.apiKeys.update', id);
        return toApiKey(row);
      }),
    delete: (id) =>
      run(() => {
        const key = parseStoreInput(schemas.key, id, 'store.apiKeys.delete');
        if (Number(database.prepare('DELETE FROM api_keys WHERE id = ?').run(key).changes) === 0)
          throw notFound('store.apiKeys.delete', id);
      }),
  };
}
