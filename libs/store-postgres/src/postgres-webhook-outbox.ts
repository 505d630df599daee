import type { WebhookOutboxRecord, WebhookOutboxRepository } from '@switchyard/platform';
import { parseStoreInput, storeConflict, storeNotFound, storeSchemas as schemas, storeTimestamp } from '@switchyard/platform/store-kit';
import type { PostgresQueries } from './postgres-queries';
import { toWebhookOutbox } from './postgres-rows';

const byDue = (left: WebhookOutboxRecord, right: WebhookOutboxRecord): number =>
  left.nextAttemptAt < right.nextAttemptAt ? -1 : left.nextAttemptAt > right.nextAttemptAt ? 1 : left.id < right.id ? -1 : 1;

/**
 * The PostgreSQL store's `webhookOutbox`, in the `webhook_outbox` table of
 * the store's schema. A claim is one `UPDATE ... RETURNING` whose subquery
 * picks due rows `FOR UPDATE SKIP LOCKED`, so any number of processes may
 * claim at once and never get the same delivery.
 *
 * @param table - qualifies a table name with the store's checked, quoted schema.
 */
export function createPostgresWebhookOutbox(queries: PostgresQueries, table: (name: string) => string): WebhookOutboxRepository {
  const { query, one } = queries;
  const outboxTable = table('webhook_outbox');
  const subscriptionsTable = table('webhook_subscriptions');
  const notFound = (operation: string, id: string) => storeNotFound(operation, `webhook delivery "${id}"`);
  const statusOf = async (operation: string, id: string): Promise<string | undefined> => {
    const row = await one(operation, `SELECT status FROM ${outboxTable} WHERE id = $1`, [id]);
    return row === undefined ? undefined : String(row['status']);
  };

  return {
    async enqueue(entry) {
      const operation = 'store.webhookOutbox.enqueue';
      const input = parseStoreInput(schemas.newWebhookOutboxEntry, entry, operation);
      // Inserting from the subscription's row checks that it exists and is in the workspace, in the same statement.
      const row = await one(
        operation,
        `INSERT INTO ${outboxTable} (id, subscription_id, workspace_id, event_type, payload, status, attempts, next_attempt_at, created_at, updated_at)
         SELECT $1::text, id, workspace_id, $4::text, $5::jsonb, 'pending', 0, $6::timestamptz, $7::timestamptz, $7::timestamptz
         FROM ${subscriptionsTable} WHERE id = $2 AND workspace_id = $3
         ON CONFLICT DO NOTHING RETURNING *`,
        [
          input.id,
          input.subscriptionId,
          input.workspaceId,
          input.eventType,
          JSON.stringify(input.payload),
          input.nextAttemptAt,
          storeTimestamp(),
        ],
      );
      if (row !== undefined) return toWebhookOutbox(row);
      if ((await statusOf(operation, input.id)) !== undefined)
        throw storeConflict(operation, `webhook delivery "${input.id}" already exists`);
      throw storeNotFound(operation, `webhook subscription "${input.subscriptionId}" of workspace "${input.workspaceId}"`);
    },
    async claimDue(claim) {
      const operation = 'store.webhookOutbox.claimDue';
      const input = parseStoreInput(schemas.webhookOutboxClaim, claim, operation);
      const rows = await query(
        operation,
        `UPDATE ${outboxTable} SET status = 'delivering', lease_expires_at = $2::timestamptz, updated_at = $3::timestamptz
         WHERE id IN (
           SELECT id FROM ${outboxTable}
           WHERE ((status = 'pending' AND next_attempt_at <= $1::timestamptz) OR (status = 'delivering' AND lease_expires_at <= $1::timestamptz))
             AND ($5::text[] IS NULL OR id = ANY($5::text[]))
           ORDER BY next_attempt_at, id COLLATE "C" LIMIT $4
           FOR UPDATE SKIP LOCKED
         ) RETURNING *`,
        [input.now, new Date(Date.parse(input.now) + input.leaseMs).toISOString(), storeTimestamp(), input.limit, input.ids ?? null],
      );
      return rows.map(toWebhookOutbox).sort(byDue);
    },
    async recordAttempt(id, attempt) {
      const operation = 'store.webhookOutbox.recordAttempt';
      const input = parseStoreInput(schemas.webhookAttempt, attempt, operation);
      const key = parseStoreInput(schemas.key, id, operation);
      const row = await one(
        operation,
        `UPDATE ${outboxTable} SET status = CASE WHEN $2::text = 'retry' THEN 'pending' ELSE $2::text END, attempts = attempts + 1,
           next_attempt_at = CASE WHEN $2::text = 'retry' THEN $3::timestamptz ELSE next_attempt_at END, lease_expires_at = NULL,
           last_attempt_at = $4, last_status = $5, last_error = $6, updated_at = $7
         WHERE id = $1 AND status = 'delivering' RETURNING *`,
        [
          key,
          input.outcome,
          input.nextAttemptAt ?? null,
          input.attemptedAt,
          input.responseStatus ?? null,
          input.error ?? null,
          storeTimestamp(),
        ],
      );
      if (row !== undefined) return toWebhookOutbox(row);
      const status = await statusOf(operation, key);
      if (status === undefined) throw notFound(operation, id);
      throw storeConflict(operation, `webhook delivery "${key}" is ${status}, not delivering`);
    },
    async get(id) {
      const operation = 'store.webhookOutbox.get';
      const row = await one(operation, `SELECT * FROM ${outboxTable} WHERE id = $1`, [parseStoreInput(schemas.key, id, operation)]);
      if (row === undefined) throw notFound(operation, id);
      return toWebhookOutbox(row);
    },
    async list(outboxQuery) {
      const operation = 'store.webhookOutbox.list';
      const input = parseStoreInput(schemas.webhookOutboxQuery, outboxQuery, operation);
      const rows = await query(
        operation,
        `SELECT * FROM ${outboxTable} WHERE ($1::text IS NULL OR subscription_id = $1) AND ($2::text IS NULL OR status = $2)
           AND ($4::text IS NULL OR workspace_id = $4)
         ORDER BY created_at DESC, sequence_number DESC LIMIT $3`,
        [input.subscriptionId ?? null, input.status ?? null, input.limit, input.workspaceId ?? null],
      );
      return rows.map(toWebhookOutbox);
    },
  };
}
