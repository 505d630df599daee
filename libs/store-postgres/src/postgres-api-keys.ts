import type { ApiKeyRepository } from '@switchyard/platform';
import { parseStoreInput, storeConflict, storeNotFound, storeSchemas as schemas, storeTimestamp } from '@switchyard/platform/store-kit';
import type { PostgresQueries } from './postgres-queries';
import { toApiKey } from './postgres-rows';

/**
 * The PostgreSQL store's `apiKeys`, in the `api_keys` table of the store's
 * schema. Timestamps are `timestamptz` (microseconds, so the millisecond
 * `toISOString()` values the input schemas produce come back unchanged);
 * `scopes` is a jsonb array. Every write is one statement.
 *
 * @param apiKeysTable - the `api_keys` table qualified with the store's checked, quoted schema.
 */
export function createPostgresApiKeys(queries: PostgresQueries, apiKeysTable: string): ApiKeyRepository {
  const { query, one } = queries;
  const notFound = (operation: string, id: string) => storeNotFound(operation, `API key "${id}"`);

  return {
    async create(key) {
      const operation = 'store.apiKeys.create';
      const input = parseStoreInput(schemas.newApiKey, key, operation);
      const row = await one(
        operation,
        `INSERT INTO ${apiKeysTable} (id, workspace_id, name, scopes, secret_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING *`,
        [
          input.id,
          input.workspaceId,
          input.name,
          JSON.stringify(input.scopes),
          input.secretHash,
          storeTimestamp(),
          input.expiresAt ?? null,
        ],
      );
      if (row === undefined) throw storeConflict(operation, `API key "${input.id}" already exists`);
      return toApiKey(row);
    },
    async get(id) {
      const operation = 'store.apiKeys.get';
      const row = await one(operation, `SELECT * FROM ${apiKeysTable} WHERE id = $1`, [parseStoreInput(schemas.key, id, operation)]);
      if (row === undefined) throw notFound(operation, id);
      return toApiKey(row);
    },
    async list(filter) {
      const operation = 'store.apiKeys.list';
      const input = parseStoreInput(schemas.apiKeyFilter, filter, operation);
      const rows = await query(
        operation,
        `SELECT * FROM ${apiKeysTable} WHERE ($1::text IS NULL OR workspace_id = $1) ORDER BY created_at, id COLLATE "C"`,
        [input.workspaceId ?? null],
      );
      return rows.map(toApiKey);
    },
    async update(id, changes) {
      const operation = 'store.apiKeys.update';
      const input = parseStoreInput(schemas.apiKeyChanges, changes, operation);
      const key = parseStoreInput(schemas.key, id, operation);
      // expiresAt and revokedAt have three states: absent (keep), null (clear) and a timestamp (set).
      const row = await one(
        operation,
        `UPDATE ${apiKeysTable} SET name = coalesce($2, name), scopes = coalesce($3::jsonb, scopes),
           expires_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE expires_at END,
           revoked_at = CASE WHEN $6::boolean THEN $7::timestamptz ELSE revoked_at END,
           last_used_at = coalesce($8::timestamptz, last_used_at)
         WHERE id = $1 RETURNING *`,
        [
          key,
          input.name ?? null,
          input.scopes === undefined ? null : JSON.stringify(input.scopes),
          input.expiresAt !== undefined,
          input.expiresAt ?? null,
          input.revokedAt !== undefined,
          input.revokedAt ?? null,
          input.lastUsedAt ?? null,
        ],
      );
      if (row === undefined) throw notFound(operation, id);
      return toApiKey(row);
    },
    async delete(id) {
      const operation = 'store.apiKeys.delete';
      const key = parseStoreInput(schemas.key, id, operation);
      const rows = await query(operation, `DELETE FROM ${apiKeysTable} WHERE id = $1 RETURNING id`, [key]);
      if (rows.length === 0) throw notFound(operation, id);
    },
  };
}
