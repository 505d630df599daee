import type { SyncBatchOutcome, SyncRepository } from '@switchyard/platform';
import {
  contentHash,
  parseStoreInput,
  storeConflict,
  storeNotFound,
  storeSchemas as schemas,
  storeTimestamp,
} from '@switchyard/platform/store-kit';
import type { PostgresQueries } from './postgres-queries';
import { toSyncDeadLetter, toSyncLease } from './postgres-rows';

/**
 * The PostgreSQL store's `sync`. A batch is one transaction of a few
 * statements whatever its size (rows travel as one JSON array and are
 * unpacked with `jsonb_to_recordset`). Its first statement locks the lease
 * row (`FOR SHARE`), so a lease cannot change hands while a batch commits;
 * lease expiry is the database's clock, shared by every process.
 *
 * @param table - qualifies a table name with the store's quoted schema.
 */
export function createPostgresSync(queries: PostgresQueries, table: (name: string) => string): SyncRepository {
  const data = table('integration_data');
  const leases = table('sync_leases');
  const letters = table('sync_dead_letters');
  const checkpoints = table('sync_checkpoints');
  const seen = table('sync_pass_seen');
  const integrations = table('integrations');

  async function requireLease(inside: PostgresQueries, integrationId: string, owner: string, operation: string): Promise<void> {
    const lease = await inside.one(
      operation,
      // The owner is the fence: a lease that expired but that nobody took since is still this run's.
      `SELECT owner = $2 AS held FROM ${leases} WHERE integration_id = $1 FOR SHARE`,
      [integrationId, owner],
    );
    if (lease?.['held'] === true) return;
    if ((await inside.one(operation, `SELECT 1 FROM ${integrations} WHERE id = $1`, [integrationId])) === undefined) {
      throw storeNotFound(operation, `integration "${integrationId}"`);
    }
    throw storeConflict(operation, `"${owner}" does not hold the sync lease of integration "${integrationId}"`);
  }
  async function putCheckpoint(inside: PostgresQueries, operation: string, integrationId: string, stream: string, cursor: string) {
    await inside.query(
      operation,
      `INSERT INTO ${checkpoints} (integration_id, stream, cursor, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (integration_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      [integrationId, stream, cursor, storeTimestamp()],
    );
  }

  return {
    async acquireLease(integrationId, owner, ttlMs) {
      const operation = 'store.sync.acquireLease';
      const input = parseStoreInput(schemas.syncLease, { integrationId, owner, ttlMs }, operation);
      const row = await queries.one(
        operation,
        `INSERT INTO ${leases} (integration_id, owner, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (integration_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE ${leases}.owner = excluded.owner OR ${leases}.expires_at <= now()
         RETURNING *`,
        [input.integrationId, input.owner, input.ttlMs],
      );
      return row === undefined ? undefined : toSyncLease(row);
    },
    async releaseLease(integrationId, owner) {
      const operation = 'store.sync.releaseLease';
      const input = parseStoreInput(schemas.syncLeaseKey, { integrationId, owner }, operation);
      await queries.query(operation, `DELETE FROM ${leases} WHERE integration_id = $1 AND owner = $2`, [input.integrationId, input.owner]);
    },
    async getLease(integrationId) {
      const operation = 'store.sync.getLease';
      const key = parseStoreInput(schemas.key, integrationId, operation);
      const row = await queries.one(operation, `SELECT * FROM ${leases} WHERE integration_id = $1 AND expires_at > now()`, [key]);
      return row === undefined ? undefined : toSyncLease(row);
    },
    async applyBatch(batch) {
      const operation = 'store.sync.applyBatch';
      const input = parseStoreInput(schemas.syncBatch, batch, operation);
      const records = input.records.map((record) => ({
        external_id: record.externalId,
        data: record.data,
        hash: contentHash(record.data),
      }));
      const now = storeTimestamp();
      return queries.transaction(async (inside): Promise<SyncBatchOutcome> => {
        await requireLease(inside, input.integrationId, input.leaseOwner, operation);
        const stored = new Map<string, string>();
        if (records.length > 0) {
          const rows = await inside.query(
            operation,
            `SELECT external_id, hash FROM ${data} WHERE integration_id = $1 AND entity = $2 AND external_id = ANY($3::text[])`,
            [input.integrationId, input.entity, records.map((record) => record.external_id)],
          );
          for (const row of rows) stored.set(String(row['external_id']), String(row['hash']));
        }
        const changed = records.filter((record) => stored.get(record.external_id) !== record.hash);
        if (changed.length > 0) {
          await inside.query(
            operation,
            `INSERT INTO ${data} (integration_id, entity, external_id, data, hash, created_at, updated_at)
             SELECT $1, $2, r.external_id, r.data, r.hash, $4, $4
             FROM jsonb_to_recordset($3::jsonb) AS r (external_id text, data jsonb, hash text)
             ON CONFLICT (integration_id, entity, external_id) DO UPDATE SET data = excluded.data, hash = excluded.hash,
               updated_at = excluded.updated_at`,
            [input.integrationId, input.entity, JSON.stringify(changed), now],
          );
        }
        if (input.pass !== undefined && records.length > 0) {
          await inside.query(
            operation,
            `INSERT INTO ${seen} (integration_id, entity, pass, external_ids) VALUES ($1, $2, $3, $4::text[])`,
            [input.integrationId, input.entity, input.pass, records.map((record) => record.external_id)],
          );
        }
        let deleted = 0;
        if (input.deletes.length > 0) {
          const row = await inside.one(
            operation,
            `WITH gone AS (DELETE FROM ${data} WHERE integration_id = $1 AND entity = $2 AND external_id = ANY($3::text[]) RETURNING 1)
             SELECT count(*)::int AS count FROM gone`,
            [input.integrationId, input.entity, input.deletes],
          );
          deleted = Number(row?.['count'] ?? 0);
        }
        if (input.deadLetters.length > 0) {
          await inside.query(
            operation,
            `INSERT INTO ${letters} (integration_id, entity, external_id, reason, data, created_at)
             SELECT $1, $2, l.item ->> 'external_id', l.item ->> 'reason', l.item -> 'data', $4
             FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS l (item, position)
             ORDER BY l.position`,
            [
              input.integrationId,
              input.entity,
              JSON.stringify(
                input.deadLetters.map((letter) => ({ external_id: letter.externalId ?? null, reason: letter.reason, data: letter.data })),
              ),
              now,
            ],
          );
        }
        await putCheckpoint(inside, operation, input.integrationId, input.stream, input.cursor);
        const created = changed.filter((record) => !stored.has(record.external_id)).length;
        const updated = changed.length - created;
        return { created, updated, unchanged: records.length - changed.length, deleted, deadLettered: input.deadLetters.length };
      });
    },
    async endPass(end) {
      const operation = 'store.sync.endPass';
      const input = parseStoreInput(schemas.syncPassEnd, end, operation);
      return queries.transaction(async (inside) => {
        await requireLease(inside, input.integrationId, input.leaseOwner, operation);
        // The seen ids as a materialised set, so the delete is one hash anti-join however many records there are. Fresh
        // tables have no statistics, and the planner then picks a nested loop, quadratic in the records (1.8 s for 5 000):
        // for this transaction it may not.
        await inside.query(operation, 'SET LOCAL enable_nestloop = off');
        const row = await inside.one(
          operation,
          `WITH seen AS MATERIALIZED (
             SELECT DISTINCT unnest(external_ids) AS external_id FROM ${seen} WHERE integration_id = $1 AND entity = $2 AND pass = $3
           ), gone AS (
             DELETE FROM ${data} d WHERE d.integration_id = $1 AND d.entity = $2
               AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.external_id = d.external_id)
             RETURNING 1
           )
           SELECT count(*)::int AS count FROM gone`,
          [input.integrationId, input.entity, input.pass],
        );
        // This pass's marks, and those of passes that never ended.
        await inside.query(operation, `DELETE FROM ${seen} WHERE integration_id = $1 AND entity = $2`, [input.integrationId, input.entity]);
        await putCheckpoint(inside, operation, input.integrationId, input.stream, input.cursor);
        return { deleted: Number(row?.['count'] ?? 0) };
      });
    },
    async listDeadLetters(integrationId, options) {
      const operation = 'store.sync.listDeadLetters';
      const key = parseStoreInput(schemas.key, integrationId, operation);
      const { limit } = parseStoreInput(schemas.deadLetterQuery, options, operation);
      return (await queries.query(operation, `SELECT * FROM ${letters} WHERE integration_id = $1 ORDER BY id LIMIT $2`, [key, limit])).map(
        toSyncDeadLetter,
      );
    },
    async countRecords(integrationId, entity) {
      const operation = 'store.sync.countRecords';
      const input = parseStoreInput(schemas.recordCount, { integrationId, entity }, operation);
      const row = await queries.one(
        operation,
        `SELECT count(*)::int AS count FROM ${data} WHERE integration_id = $1 AND ($2::text IS NULL OR entity = $2)`,
        [input.integrationId, input.entity ?? null],
      );
      return Number(row?.['count'] ?? 0);
    },
  };
}
