import type { EventRepository } from '@switchyard/platform';
import { parseStoreInput, storeSchemas as schemas, storeTimestamp } from '@switchyard/platform/store-kit';
import type { PostgresQueries } from './postgres-queries';
import { toEvent } from './postgres-rows';

/**
 * The PostgreSQL store's `events`, in the `events` table of the store's
 * schema: an append-only log, each event in a workspace (`'default'` unless
 * given; migration 5). Every write is one statement.
 *
 * @param eventsTable - the `events` table qualified with the store's checked, quoted schema.
 */
export function createPostgresEvents(queries: PostgresQueries, eventsTable: string): EventRepository {
  const { query, one, written } = queries;
  return {
    async append(event) {
      const input = parseStoreInput(schemas.newEvent, event, 'store.events.append');
      const row = await written(
        'store.events.append',
        `INSERT INTO ${eventsTable} (type, workspace_id, integration_id, payload, occurred_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [input.type, input.workspaceId, input.integrationId ?? null, JSON.stringify(input.payload), storeTimestamp()],
      );
      return toEvent(row);
    },
    async listRecent(recentQuery) {
      const input = parseStoreInput(schemas.recentEventsQuery, recentQuery, 'store.events.listRecent');
      const rows = await query(
        'store.events.listRecent',
        `SELECT * FROM ${eventsTable} WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR integration_id = $2)
           AND ($3::text IS NULL OR workspace_id = $3) AND ($5::timestamptz IS NULL OR occurred_at >= $5)
           AND ($6::timestamptz IS NULL OR occurred_at < $6) ORDER BY id DESC LIMIT $4`,
        [input.type ?? null, input.integrationId ?? null, input.workspaceId ?? null, input.limit, input.since ?? null, input.until ?? null],
      );
      return rows.map(toEvent);
    },
    async prune(options) {
      const input = parseStoreInput(schemas.eventPrune, options, 'store.events.prune');
      const row = await one(
        'store.events.prune',
        `WITH deleted AS (DELETE FROM ${eventsTable} WHERE occurred_at < $1 AND ($2::text IS NULL OR workspace_id = $2) RETURNING 1)
         SELECT count(*)::int AS count FROM deleted`,
        [input.olderThan, input.workspaceId ?? null],
      );
      return Number(row?.['count'] ?? 0);
    },
  };
}
