import type { WebhookSubscriptionRepository } from '@switchyard/platform';
import { parseStoreInput, storeConflict, storeNotFound, storeSchemas as schemas, storeTimestamp } from '@switchyard/platform/store-kit';
import type { PostgresQueries } from './postgres-queries';
import { toWebhookSubscription } from './postgres-rows';

/**
 * The PostgreSQL store's `webhookSubscriptions`, in the
 * `webhook_subscriptions` table of the store's schema; deleting one deletes
 * its `webhook_outbox` rows (foreign key, ON DELETE CASCADE). `event_types`
 * is a jsonb array. Every write is one statement.
 *
 * @param subscriptionsTable - the `webhook_subscriptions` table qualified with the store's checked, quoted schema.
 */
export function createPostgresWebhookSubscriptions(queries: PostgresQueries, subscriptionsTable: string): WebhookSubscriptionRepository {
  const { query, one } = queries;
  const notFound = (operation: string, id: string) => storeNotFound(operation, `webhook subscription "${id}"`);

  return {
    async create(subscription) {
      const operation = 'store.webhookSubscriptions.create';
      const input = parseStoreInput(schemas.newWebhookSubscription, subscription, operation);
      const now = storeTimestamp();
      const row = await one(
        operation,
        `INSERT INTO ${subscriptionsTable} (id, workspace_id, url, event_types, description, enabled, secret, created_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING RETURNING *`,
        [input.id, input.workspaceId, input.url, JSON.stringify(input.eventTypes), input.description, input.enabled, input.secret, now],
      );
      if (row === undefined) throw storeConflict(operation, `webhook subscription "${input.id}" already exists`);
      return toWebhookSubscription(row);
    },
    async get(id) {
      const operation = 'store.webhookSubscriptions.get';
      const row = await one(operation, `SELECT * FROM ${subscriptionsTable} WHERE id = $1`, [parseStoreInput(schemas.key, id, operation)]);
      if (row === undefined) throw notFound(operation, id);
      return toWebhookSubscription(row);
    },
    async list(filter) {
      const operation = 'store.webhookSubscriptions.list';
      const input = parseStoreInput(schemas.webhookSubscriptionFilter, filter, operation);
      const rows = await query(
        operation,
        `SELECT * FROM ${subscriptionsTable} WHERE ($1::text IS NULL OR workspace_id = $1) ORDER BY created_at, id COLLATE "C"`,
        [input.workspaceId ?? null],
      );
      return rows.map(toWebhookSubscription);
    },
    async update(id, changes) {
      const operation = 'store.webhookSubscriptions.update';
      const input = parseStoreInput(schemas.webhookSubscriptionChanges, changes, operation);
      const key = parseStoreInput(schemas.key, id, operation);
      const row = await one(
        operation,
        `UPDATE ${subscriptionsTable} SET url = coalesce($2, url), event_types = coalesce($3::jsonb, event_types),
           description = coalesce($4, description), enabled = coalesce($5::boolean, enabled), secret = coalesce($6, secret), updated_at = $7
         WHERE id = $1 RETURNING *`,
        [
          key,
          input.url ?? null,
          input.eventTypes === undefined ? null : JSON.stringify(input.eventTypes),
          input.description ?? null,
          input.enabled ?? null,
          input.secret ?? null,
          storeTimestamp(),
        ],
      );
      if (row === undefined) throw notFound(operation, id);
      return toWebhookSubscription(row);
    },
    async delete(id) {
      const operation = 'store.webhookSubscriptions.delete';
      const key = parseStoreInput(schemas.key, id, operation);
      const rows = await query(operation, `DELETE FROM ${subscriptionsTable} WHERE id = $1 RETURNING id`, [key]);
      if (rows.length === 0) throw notFound(operation, id);
    },
  };
}
