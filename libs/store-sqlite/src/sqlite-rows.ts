import type { JsonObject } from '@switchyard/platform';
import { createStoreRowMappers, type StoreRow } from '@switchyard/platform/store-kit';

/** A row as node:sqlite returns it: JSON and timestamps as text. */
export type Row = StoreRow;

/** Row-to-record mappers for the SQLite schema. */
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
  json: (row, column) => JSON.parse(String(row[column])) as JsonObject,
  time: (row, column) => String(row[column]),
});
