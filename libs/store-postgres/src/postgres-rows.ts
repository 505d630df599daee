import type { JsonObject } from '@switchyard/platform';
import { createStoreRowMappers, type StoreRow } from '@switchyard/platform/store-kit';

/** A row as pg returns it: jsonb parsed, timestamptz as `Date`, bigint as string. */
export type Row = StoreRow;

/** Row-to-record mappers for the PostgreSQL schema. */
export const {
  toIntegration,
  toRegistryEntry,
  toCredential,
  toDefinition,
  toDataRecord,
  toCheckpoint,
  toEvent,
  toPlacement,
  toPlacementHint,
  toApiKey,
  toWebhookSubscription,
  toWebhookOutbox,
  toSyncDeadLetter,
  toSyncLease,
} = createStoreRowMappers({
  json: (row, column) => row[column] as JsonObject,
  time: (row, column) => (row[column] as Date).toISOString(),
});
