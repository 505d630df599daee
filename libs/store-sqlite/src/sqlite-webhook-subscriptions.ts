import type { DatabaseSync } from 'node:sqlite';
import type { WebhookSubscriptionRepository } from '@switchyard/platform';
import { parseStoreInput, storeConflict, storeNotFound, storeSchemas as schemas, storeTimestamp } from '@switchyard/platform/store-kit';
import { toWebhookSubscription } from './sqlite-rows';

/** Runs a synchronous body as an async method, so its errors reject instead of throwing. */
const run = <Result>(body: () => Result): Promise<Result> => Promise.resolve().then(body);

/**
 * The SQLite store's `webhookSubscriptions`, in the `webhook_subscriptions`
 * table; deleting one deletes its `webhook_outbox` rows (foreign key, ON
 * DELETE CASCADE). Every write is one statement.
 */
export function createSqliteWebhookSubscriptions(database: DatabaseSync): WebhookSubscriptionRepository {
  const notFound = (operation: string, id: string) => storeNotFound(operation, `webhook subscription "${id}"`);

  return {
    create: (subscription) =>
      run(() => {
        const operation = 'store.webhookSubscriptions.create';
        const input = parseStoreInput(schemas.newWebhookSubscription, subscription, operation);
        const now = storeTimestamp();
        const row = database
          .prepare(
            `INSERT INTO webhook_subscriptions (id, workspace_id, url, event_types, description, enabled, secret, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
          )
          .get(
            input.id,
            input.workspaceId,
            input.url,
            JSON.stringify(input.eventTypes),
            input.description,
            input.enabled ? 1 : 0,
            input.secret,
            now,
            now,
          );
        if (row === undefined) throw storeConflict(operation, `webhook subscription "${input.id}" already exists`);
        return toWebhookSubscription(row);
      }),
    get: (id) =>
      run(() => {
        const operation = 'store.webhookSubscriptions.get';
        const row = database.prepare('SELECT * FROM webhook_subscriptions WHERE id = ?').get(parseStoreInput(schemas.key, id, operation));
        if (row === undefined) throw notFound(operation, id);
        return toWebhookSubscription(row);
      }),
    list: (filter) =>
      run(() => {
        const input = parseStoreInput(schemas.webhookSubscriptionFilter, filter, 'store.webhookSubscriptions.list');
        return database
          .prepare(
            'SELECT * FROM webhook_subscriptions WHERE ($workspaceId IS NULL OR workspace_id = $workspaceId) ORDER BY created_at, id',
          )
          .all({ workspaceId: input.workspaceId ?? null })
          .map(toWebhookSubscription);
      }),
    update: (id, changes) =>
      run(() => {
        const operation = 'store.webhookSubscriptions.update';
        const input = parseStoreInput(schemas.webhookSubscriptionChanges, changes, operation);
        const key = parseStoreInput(schemas.key, id, operation);
        const row = database
          .prepare(
            `UPDATE webhook_subscriptions SET url = coalesce($url, url), event_types = coalesce($eventTypes, event_types),
               description = coalesce($description, description), enabled = coalesce($enabled, enabled),
               secret = coalesce($secret, secret), updated_at = $updatedAt
             WHERE id = $id RETURNING *`,
          )
          .get({
            id: key,
            url: input.url ?? null,
            eventTypes: input.eventTypes === undefined ? null : JSON.stringify(input.eventTypes),
            description: input.description ?? null,
            enabled: input.enabled === undefined ? null : input.enabled ? 1 : 0,
            secret: input.secret ?? null,
            updatedAt: storeTimestamp(),
          });
        if (row === undefined) throw notFound(operation, id);
        return toWebhookSubscription(row);
      }),
    delete: (id) =>
      run(() => {
        const operation = 'store.webhookSubscriptions.delete';
        const key = parseStoreInput(schemas.key, id, operation);
        if (Number(database.prepare('DELETE FROM webhook_subscriptions WHERE id = ?').run(key).changes) === 0)
          throw notFound(operation, id);
      }),
  };
}
