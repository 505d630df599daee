import type { DatabaseSync } from 'node:sqlite';
import type { WebhookOutboxRecord, WebhookOutboxRepository } from '@switchyard/platform';
import { parseStoreInput, storeConflict, storeNotFound, storeSchemas as schemas, storeTimestamp } from '@switchyard/platform/store-kit';
import { toWebhookOutbox } from './sqlite-rows';

/** Runs a synchronous body as an async method, so its errors reject instead of throwing. */
const run = <Result>(body: () => Result): Promise<Result> => Promise.resolve().then(body);
const byDue = (left: WebhookOutboxRecord, right: WebhookOutboxRecord): number =>
  left.nextAttemptAt < right.nextAttemptAt ? -1 : left.nextAttemptAt > right.nextAttemptAt ? 1 : left.id < right.id ? -1 : 1;

/**
 * The SQLite store's `webhookOutbox`, in the `webhook_outbox` table. A claim
 * is one `UPDATE ... RETURNING` statement, which takes SQLite's write lock
 * before it reads, so processes sharing the file never claim the same
 * delivery twice. Times are ISO 8601 text, compared as text.
 */
export function createSqliteWebhookOutbox(database: DatabaseSync): WebhookOutboxRepository {
  const notFound = (operation: string, id: string) => storeNotFound(operation, `webhook delivery "${id}"`);
  const statusOf = (id: string): string | undefined =>
    (database.prepare('SELECT status FROM webhook_outbox WHERE id = ?').get(id) as { status: string } | undefined)?.status;

  return {
    enqueue: (entry) =>
      run(() => {
        const operation = 'store.webhookOutbox.enqueue';
        const input = parseStoreInput(schemas.newWebhookOutboxEntry, entry, operation);
        const now = storeTimestamp();
        // Inserting from the subscription's row checks that it exists and is in the workspace, in the same statement.
        const row = database
          .prepare(
            `INSERT INTO webhook_outbox (id, subscription_id, workspace_id, event_type, payload, status, attempts, next_attempt_at, created_at, updated_at)
             SELECT $id, id, workspace_id, $eventType, $payload, 'pending', 0, $nextAttemptAt, $now, $now
             FROM webhook_subscriptions WHERE id = $subscriptionId AND workspace_id = $workspaceId
             ON CONFLICT DO NOTHING RETURNING *`,
          )
          .get({
            id: input.id,
            subscriptionId: input.subscriptionId,
            workspaceId: input.workspaceId,
            eventType: input.eventType,
            payload: JSON.stringify(input.payload),
            nextAttemptAt: input.nextAttemptAt,
            now,
          });
        if (row !== undefined) return toWebhookOutbox(row);
        if (statusOf(input.id) !== undefined) throw storeConflict(operation, `webhook delivery "${input.id}" already exists`);
        throw storeNotFound(operation, `webhook subscription "${input.subscriptionId}" of workspace "${input.workspaceId}"`);
      }),
    claimDue: (claim) =>
      run(() => {
        const input = parseStoreInput(schemas.webhookOutboxClaim, claim, 'store.webhookOutbox.claimDue');
        const rows = database
          .prepare(
            `UPDATE webhook_outbox SET status = 'delivering', lease_expires_at = $leaseExpiresAt, updated_at = $updatedAt
             WHERE id IN (
               SELECT id FROM webhook_outbox
               WHERE ((status = 'pending' AND next_attempt_at <= $now) OR (status = 'delivering' AND lease_expires_at <= $now))
                 AND ($ids IS NULL OR id IN (SELECT value FROM json_each($ids)))
               ORDER BY next_attempt_at, id LIMIT $limit
             ) RETURNING *`,
          )
          .all({
            now: input.now,
            limit: input.limit,
            ids: input.ids === undefined ? null : JSON.stringify(input.ids),
            leaseExpiresAt: new Date(Date.parse(input.now) + input.leaseMs).toISOString(),
            updatedAt: storeTimestamp(),
          });
        return rows.map(toWebhookOutbox).sort(byDue);
      }),
    recordAttempt: (id, attempt) =>
      run(() => {
        const operation = 'store.webhookOutbox.recordAttempt';
        const input = parseStoreInput(schemas.webhookAttempt, attempt, operation);
        const key = parseStoreInput(schemas.key, id, operation);
        const row = database
          .prepare(
            `UPDATE webhook_outbox SET status = CASE WHEN $outcome = 'retry' THEN 'pending' ELSE $outcome END, attempts = attempts + 1,
               next_attempt_at = CASE WHEN $outcome = 'retry' THEN $nextAttemptAt ELSE next_attempt_at END, lease_expires_at = NULL,
               last_attempt_at = $attemptedAt, last_status = $responseStatus, last_error = $error, updated_at = $updatedAt
             WHERE id = $id AND status = 'delivering' RETURNING *`,
          )
          .get({
            id: key,
            outcome: input.outcome,
            nextAttemptAt: input.nextAttemptAt ?? null,
            attemptedAt: input.attemptedAt,
            responseStatus: input.responseStatus ?? null,
            error: input.error ?? null,
            updatedAt: storeTimestamp(),
          });
        if (row !== undefined) return toWebhookOutbox(row);
        const status = statusOf(key);
        if (status === undefined) throw notFound(operation, id);
        throw storeConflict(operation, `webhook delivery "${key}" is ${status}, not delivering`);
      }),
    get: (id) =>
      run(() => {
        const operation = 'store.webhookOutbox.get';
        const row = database.prepare('SELECT * FROM webhook_outbox WHERE id = ?').get(parseStoreInput(schemas.key, id, operation));
        if (row === undefined) throw notFound(operation, id);
        return toWebhookOutbox(row);
      }),
    list: (query) =>
      run(() => {
        const input = parseStoreInput(schemas.webhookOutboxQuery, query, 'store.webhookOutbox.list');
        return database
          .prepare(
            `SELECT * FROM webhook_outbox WHERE ($subscriptionId IS NULL OR subscription_id = $subscriptionId)
               AND ($workspaceId IS NULL OR workspace_id = $workspaceId) AND ($status IS NULL OR status = $status)
             ORDER BY created_at DESC, rowid DESC LIMIT $limit`,
          )
          .all({
            subscriptionId: input.subscriptionId ?? null,
            workspaceId: input.workspaceId ?? null,
            status: input.status ?? null,
            limit: input.limit,
          })
          .map(toWebhookOutbox);
      }),
  };
}
