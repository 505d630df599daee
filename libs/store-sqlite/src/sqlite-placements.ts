import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { PlacementStore } from '@switchyard/core';
import { parseStoreInput, storeSchemas as schemas } from '@switchyard/platform/store-kit';
import { toPlacement, toPlacementHint, type Row } from './sqlite-rows';

/** Runs a synchronous body as an async method, so its errors reject instead of throwing. */
const run = <Result>(body: () => Result): Promise<Result> => Promise.resolve().then(body);

/**
 * The SQLite store's `placements`, in the `placements` and `placement_hints`
 * tables. Every write is one statement, so a conditional write (`ifWriteId`)
 * is decided under SQLite's write lock, even between processes sharing the file.
 */
export function createSqlitePlacements(database: DatabaseSync): PlacementStore {
  const one = (sql: string, ...values: SQLInputValue[]): Row | undefined => database.prepare(sql).get(...values);
  const change = (sql: string, ...values: SQLInputValue[]): number => Number(database.prepare(sql).run(...values).changes);

  return {
    get: (capability, key) =>
      run(() => {
        parseStoreInput(schemas.placementKey, { capability, key }, 'store.placements.get');
        const row = one('SELECT * FROM placements WHERE capability = ? AND resource_key = ?', capability, key);
        return row === undefined ? undefined : toPlacement(row);
      }),
    put: (record, ifWriteId) =>
      run(() => {
        const input = parseStoreInput(schemas.placementRecord, record, 'store.placements.put');
        const expected = parseStoreInput(schemas.writeId, ifWriteId, 'store.placements.put');
        const fields = [JSON.stringify(input.holders), input.writeId, input.deleted ? 1 : 0, input.updatedAt] as const;
        if (expected !== undefined) {
          return (
            change(
              'UPDATE placements SET holders = ?, write_id = ?, deleted = ?, updated_at_ms = ? WHERE capability = ? AND resource_key = ? AND write_id = ?',
              ...fields,
              input.capability,
              input.key,
              expected,
            ) === 1
          );
        }
        change(
          `INSERT INTO placements (capability, resource_key, holders, write_id, deleted, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (capability, resource_key) DO UPDATE SET holders = excluded.holders, write_id = excluded.write_id,
             deleted = excluded.deleted, updated_at_ms = excluded.updated_at_ms`,
          input.capability,
          input.key,
          ...fields,
        );
        return true;
      }),
    delete: (capability, key, ifWriteId) =>
      run(() => {
        parseStoreInput(schemas.placementKey, { capability, key }, 'store.placements.delete');
        const expected = parseStoreInput(schemas.writeId, ifWriteId, 'store.placements.delete');
        const sql = 'DELETE FROM placements WHERE capability = ? AND resource_key = ?';
        return (expected === undefined ? change(sql, capability, key) : change(`${sql} AND write_id = ?`, capability, key, expected)) === 1;
      }),
    addHint: (hint) =>
      run(() => {
        const input = parseStoreInput(schemas.placementHint, hint, 'store.placements.addHint');
        // REPLACE deletes the hint for the same key and provider and inserts this one with a new, larger rowid.
        change(
          'INSERT OR REPLACE INTO placement_hints (capability, resource_key, provider, action, write_id, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
          input.capability,
          input.key,
          input.provider,
          input.action,
          input.writeId,
          input.createdAt,
        );
      }),
    hints: (provider, limit) =>
      run(() => {
        parseStoreInput(schemas.hintsQuery, { provider, limit }, 'store.placements.hints');
        return database
          .prepare('SELECT * FROM placement_hints WHERE provider = ? ORDER BY created_at_ms, rowid LIMIT ?')
          .all(provider, limit)
          .map(toPlacementHint);
      }),
    removeHint: (hint) =>
      run(() => {
        const input = parseStoreInput(schemas.placementHintKey, hint, 'store.placements.removeHint');
        change(
          'DELETE FROM placement_hints WHERE capability = ? AND resource_key = ? AND provider = ? AND write_id = ?',
          input.capability,
          input.key,
          input.provider,
          input.writeId,
        );
      }),
    countHints: (provider) =>
      run(() => {
        parseStoreInput(schemas.hintsCountQuery, provider, 'store.placements.countHints');
        const row =
          provider === undefined
            ? one('SELECT count(*) AS count FROM placement_hints')
            : one('SELECT count(*) AS count FROM placement_hints WHERE provider = ?', provider);
        return Number(row?.['count'] ?? 0);
      }),
  };
}
