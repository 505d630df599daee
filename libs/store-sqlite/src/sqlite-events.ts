import type { DatabaseSync } from 'node:sqlite';
import { IntegrationError } from '@switchyard/core';
import type { EventRepository } from '@switchyard/platform';
import { parseStoreInput, storeSchemas as schemas, storeTimestamp } from '@switchyard/platform/store-kit';
import { toEvent, type Row } from './sqlite-rows';

/** Runs a synchronous body as an async method, so its errors reject instead of throwing. */
const run = <Result>(body: () => Result): Promise<Result> => Promise.resolve().then(body);

/**
 * The SQLite store's `events`, in the `events` table: an append-only log,
 * each event in a workspace (`'default'` unless given; migration 5).
 */
export function createSqliteEvents(database: DatabaseSync): EventRepository {
  return {
    append: (event) =>
      run(() => {
        const input = parseStoreInput(schemas.newEvent, event, 'store.events.append');
        const row: Row | undefined = database
          .prepare('INSERT INTO events (type, workspace_id, integration_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?) RETURNING *')
          .get(input.type, input.workspaceId, input.integrationId ?? null, JSON.stringify(input.payload), storeTimestamp());
        if (row === undefined) throw new IntegrationError({ kind: 'provider', message: 'SQLite returned no row for a write' });
        return toEvent(row);
      }),
    listRecent: (query) =>
      run(() => {
        const input = parseStoreInput(schemas.recentEventsQuery, query, 'store.events.listRecent');
        return database
          .prepare(
            `SELECT * FROM events WHERE ($type IS NULL OR type = $type) AND ($integrationId IS NULL OR integration_id = $integrationId)
               AND ($workspaceId IS NULL OR workspace_id = $workspaceId)
               AND ($since IS NULL OR occurred_at >= $since) AND ($until IS NULL OR occurred_at < $until) ORDER BY id DESC LIMIT $limit`,
          )
          .all({
            type: input.type ?? null,
            integrationId: input.integrationId ?? null,
            workspaceId: input.workspaceId ?? null,
            since: input.since ?? null,
            until: input.until ?? null,
            limit: input.limit,
          })
          .map(toEvent);
      }),
    // occurred_at holds `toISOString()` text (UTC, to the millisecond), which orders as time; migration 7 indexes it.
    prune: (options) =>
      run(() => {
        const input = parseStoreInput(schemas.eventPrune, options, 'store.events.prune');
        const result = database
          .prepare('DELETE FROM events WHERE occurred_at < $olderThan AND ($workspaceId IS NULL OR workspace_id = $workspaceId)')
          .run({ olderThan: input.olderThan, workspaceId: input.workspaceId ?? null });
        return Number(result.changes);
      }),
  };
}
