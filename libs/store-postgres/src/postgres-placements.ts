import type { PlacementStore } from '@switchyard/core';
import { parseStoreInput, storeSchemas as schemas } from '@switchyard/platform/store-kit';
import type { PostgresQueries } from './postgres-queries';
import { toPlacement, toPlacementHint } from './postgres-rows';

/**
 * The PostgreSQL store's `placements`, in the `placements` and
 * `placement_hints` tables of the store's schema. Every write is one
 * statement: a conditional write (`ifWriteId`) is an `UPDATE` or `DELETE`
 * whose `WHERE` checks the stored `write_id`, so of several processes racing
 * on one writeId exactly one changes the row.
 *
 * @param table - qualifies a table name with the store's checked, quoted schema.
 */
export function createPostgresPlacements(queries: PostgresQueries, table: (name: string) => string): PlacementStore {
  const { query, one } = queries;
  const placementsTable = table('placements');
  const hintsTable = table('placement_hints');

  return {
    async get(capability, key) {
      parseStoreInput(schemas.placementKey, { capability, key }, 'store.placements.get');
      const row = await one('store.placements.get', `SELECT * FROM ${placementsTable} WHERE capability = $1 AND resource_key = $2`, [
        capability,
        key,
      ]);
      return row === undefined ? undefined : toPlacement(row);
    },
    async put(record, ifWriteId) {
      const operation = 'store.placements.put';
      const input = parseStoreInput(schemas.placementRecord, record, operation);
      const expected = parseStoreInput(schemas.writeId, ifWriteId, operation);
      const values = [input.capability, input.key, JSON.stringify(input.holders), input.writeId, input.deleted, input.updatedAt];
      if (expected !== undefined) {
        const rows = await query(
          operation,
          `UPDATE ${placementsTable} SET holders = $3, write_id = $4, deleted = $5, updated_at_ms = $6
           WHERE capability = $1 AND resource_key = $2 AND write_id = $7 RETURNING write_id`,
          [...values, expected],
        );
        return rows.length === 1;
      }
      await query(
        operation,
        `INSERT INTO ${placementsTable} (capability, resource_key, holders, write_id, deleted, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (capability, resource_key) DO UPDATE SET holders = excluded.holders, write_id = excluded.write_id,
           deleted = excluded.deleted, updated_at_ms = excluded.updated_at_ms`,
        values,
      );
      return true;
    },
    async delete(capability, key, ifWriteId) {
      const operation = 'store.placements.delete';
      parseStoreInput(schemas.placementKey, { capability, key }, operation);
      const expected = parseStoreInput(schemas.writeId, ifWriteId, operation);
      const rows = await query(
        operation,
        `DELETE FROM ${placementsTable} WHERE capability = $1 AND resource_key = $2 AND ($3::text IS NULL OR write_id = $3) RETURNING write_id`,
        [capability, key, expected ?? null],
      );
      return rows.length === 1;
    },
    async addHint(hint) {
      const input = parseStoreInput(schemas.placementHint, hint, 'store.placements.addHint');
      await query(
        'store.placements.addHint',
        `INSERT INTO ${hintsTable} (capability, resource_key, provider, action, write_id, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (capability, resource_key, provider) DO UPDATE SET action = excluded.action, write_id = excluded.write_id,
           created_at_ms = excluded.created_at_ms, sequence_number = DEFAULT`,
        [input.capability, input.key, input.provider, input.action, input.writeId, input.createdAt],
      );
    },
    async hints(provider, limit) {
      parseStoreInput(schemas.hintsQuery, { provider, limit }, 'store.placements.hints');
      const rows = await query(
        'store.placements.hints',
        `SELECT * FROM ${hintsTable} WHERE provider = $1 ORDER BY created_at_ms, sequence_number LIMIT $2`,
        [provider, limit],
      );
      return rows.map(toPlacementHint);
    },
    async removeHint(hint) {
      const input = parseStoreInput(schemas.placementHintKey, hint, 'store.placements.removeHint');
      await query(
        'store.placements.removeHint',
        `DELETE FROM ${hintsTable} WHERE capability = $1 AND resource_key = $2 AND provider = $3 AND write_id = $4`,
        [input.capability, input.key, input.provider, input.writeId],
      );
    },
    async countHints(provider) {
      parseStoreInput(schemas.hintsCountQuery, provider, 'store.placements.countHints');
      const row =
        provider === undefined
          ? await one('store.placements.countHints', `SELECT count(*) AS count FROM ${hintsTable}`)
          : await one('store.placements.countHints', `SELECT count(*) AS count FROM ${hintsTable} WHERE provider = $1`, [provider]);
      return Number(row?.['count'] ?? 0);
    },
  };
}
