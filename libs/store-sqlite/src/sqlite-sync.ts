import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { SyncBatchOutcome, SyncRepository } from '@switchyard/platform';
import {
  contentHash,
  parseStoreInput,
  storeConflict,
  storeNotFound,
  storeSchemas as schemas,
  storeTimestamp,
} from '@switchyard/platform/store-kit';
import { inTransaction } from './sqlite-migrations';
import { toSyncDeadLetter, toSyncLease, type Row } from './sqlite-rows';

/** Runs a synchronous body as an async method, so its errors reject instead of throwing. */
const run = <Result>(body: () => Result): Promise<Result> => Promise.resolve().then(body);

/**
 * The SQLite store's `sync`: a batch is one `BEGIN IMMEDIATE` transaction
 * (lease check, the stored hashes of the batch's ids in one query, writes of
 * changed records only, one row of the ids a full pass saw, deletes, dead
 * letters, checkpoint), with its statements prepared once. Lease times are
 * the process clock's ISO text.
 */
export function createSqliteSync(database: DatabaseSync): SyncRepository {
  const prepared = new Map<string, StatementSync>();
  const statement = (sql: string): StatementSync => {
    let found = prepared.get(sql);
    if (found === undefined) {
      found = database.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  };
  const one = (sql: string, ...values: SQLInputValue[]): Row | undefined => statement(sql).get(...values);

  const requireLease = (integrationId: string, owner: string, operation: string): void => {
    // The owner is the fence: a lease that expired but that nobody took since is still this run's.
    const lease = one('SELECT owner FROM sync_leases WHERE integration_id = ?', integrationId);
    if (lease !== undefined && lease['owner'] === owner) return;
    if (one('SELECT 1 FROM integrations WHERE id = ?', integrationId) === undefined)
      throw storeNotFound(operation, `integration "${integrationId}"`);
    throw storeConflict(operation, `"${owner}" does not hold the sync lease of integration "${integrationId}"`);
  };
  const putCheckpoint = (integrationId: string, stream: string, cursor: string): void => {
    statement(
      `INSERT INTO sync_checkpoints (integration_id, stream, cursor, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (integration_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    ).run(integrationId, stream, cursor, storeTimestamp());
  };

  return {
    acquireLease: (integrationId, owner, ttlMs) =>
      run(() => {
        const input = parseStoreInput(schemas.syncLease, { integrationId, owner, ttlMs }, 'store.sync.acquireLease');
        return inTransaction(database, () => {
          if (one('SELECT 1 FROM integrations WHERE id = ?', input.integrationId) === undefined) {
            throw storeNotFound('store.sync.acquireLease', `integration "${input.integrationId}"`);
          }
          const now = storeTimestamp();
          const row = one(
            `INSERT INTO sync_leases (integration_id, owner, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (integration_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
               WHERE sync_leases.owner = excluded.owner OR sync_leases.expires_at <= ?
             RETURNING *`,
            input.integrationId,
            input.owner,
            new Date(Date.now() + input.ttlMs).toISOString(),
            now,
          );
          return row === undefined ? undefined : toSyncLease(row);
        });
      }),
    releaseLease: (integrationId, owner) =>
      run(() => {
        const input = parseStoreInput(schemas.syncLeaseKey, { integrationId, owner }, 'store.sync.releaseLease');
        statement('DELETE FROM sync_leases WHERE integration_id = ? AND owner = ?').run(input.integrationId, input.owner);
      }),
    getLease: (integrationId) =>
      run(() => {
        const key = parseStoreInput(schemas.key, integrationId, 'store.sync.getLease');
        const row = one('SELECT * FROM sync_leases WHERE integration_id = ? AND expires_at > ?', key, storeTimestamp());
        return row === undefined ? undefined : toSyncLease(row);
      }),
    applyBatch: (batch) =>
      run(() => {
        const input = parseStoreInput(schemas.syncBatch, batch, 'store.sync.applyBatch');
        // Hashing and serialising happen before the write lock is taken.
        const prepared = input.records.map((record) => ({
          externalId: record.externalId,
          text: JSON.stringify(record.data),
          hash: contentHash(record.data),
        }));
        const ids = JSON.stringify(prepared.map((record) => record.externalId));
        return inTransaction(database, (): SyncBatchOutcome => {
          requireLease(input.integrationId, input.leaseOwner, 'store.sync.applyBatch');
          const outcome = { created: 0, updated: 0, unchanged: 0, deleted: 0, deadLettered: 0 };
          const stored = new Map<string, string>();
          if (prepared.length > 0) {
            const rows = statement(
              `SELECT external_id, hash FROM integration_data
               WHERE integration_id = ? AND entity = ? AND external_id IN (SELECT value FROM json_each(?))`,
            ).all(input.integrationId, input.entity, ids);
            for (const row of rows) stored.set(String(row['external_id']), String(row['hash']));
          }
          const now = storeTimestamp();
          const write = statement(
            `INSERT INTO integration_data (integration_id, entity, external_id, data, hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (integration_id, entity, external_id) DO UPDATE SET data = excluded.data, hash = excluded.hash, updated_at = excluded.updated_at`,
          );
          for (const record of prepared) {
            const hash = stored.get(record.externalId);
            if (hash === record.hash) {
              outcome.unchanged += 1;
              continue;
            }
            write.run(input.integrationId, input.entity, record.externalId, record.text, record.hash, now, now);
            outcome[hash === undefined ? 'created' : 'updated'] += 1;
          }
          if (input.pass !== undefined && prepared.length > 0) {
            statement('INSERT INTO sync_pass_seen (integration_id, entity, pass, external_ids) VALUES (?, ?, ?, ?)').run(
              input.integrationId,
              input.entity,
              input.pass,
              ids,
            );
          }
          const remove = statement('DELETE FROM integration_data WHERE integration_id = ? AND entity = ? AND external_id = ?');
          for (const externalId of input.deletes)
            outcome.deleted += Number(remove.run(input.integrationId, input.entity, externalId).changes);
          const letter = statement(
            'INSERT INTO sync_dead_letters (integration_id, entity, external_id, reason, data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          );
          for (const dead of input.deadLetters) {
            letter.run(input.integrationId, input.entity, dead.externalId ?? null, dead.reason, JSON.stringify(dead.data), now);
            outcome.deadLettered += 1;
          }
          putCheckpoint(input.integrationId, input.stream, input.cursor);
          return outcome;
        });
      }),
    endPass: (end) =>
      run(() => {
        const input = parseStoreInput(schemas.syncPassEnd, end, 'store.sync.endPass');
        return inTransaction(database, () => {
          requireLease(input.integrationId, input.leaseOwner, 'store.sync.endPass');
          const key = [input.integrationId, input.entity] as const;
          const deleted = Number(
            statement(
              `DELETE FROM integration_data WHERE integration_id = ? AND entity = ? AND external_id NOT IN (
                 SELECT seen.value FROM sync_pass_seen, json_each(sync_pass_seen.external_ids) AS seen
                 WHERE sync_pass_seen.integration_id = ? AND sync_pass_seen.entity = ? AND sync_pass_seen.pass = ?)`,
            ).run(...key, ...key, input.pass).changes,
          );
          // This pass's marks, and those of passes that never ended.
          statement('DELETE FROM sync_pass_seen WHERE integration_id = ? AND entity = ?').run(...key);
          putCheckpoint(input.integrationId, input.stream, input.cursor);
          return { deleted };
        });
      }),
    listDeadLetters: (integrationId, options) =>
      run(() => {
        const key = parseStoreInput(schemas.key, integrationId, 'store.sync.listDeadLetters');
        const { limit } = parseStoreInput(schemas.deadLetterQuery, options, 'store.sync.listDeadLetters');
        return statement('SELECT * FROM sync_dead_letters WHERE integration_id = ? ORDER BY id LIMIT ?')
          .all(key, limit)
          .map(toSyncDeadLetter);
      }),
    countRecords: (integrationId, entity) =>
      run(() => {
        const input = parseStoreInput(schemas.recordCount, { integrationId, entity }, 'store.sync.countRecords');
        const row = one(
          'SELECT count(*) AS count FROM integration_data WHERE integration_id = ? AND (? IS NULL OR entity = ?)',
          input.integrationId,
          input.entity ?? null,
          input.entity ?? null,
        );
        return Number(row?.['count'] ?? 0);
      }),
  };
}
