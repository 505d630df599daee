import type {
  DataRecord,
  DefinitionRecord,
  IntegrationRecord,
  IntegrationStatus,
  JsonObject,
  RegistryEntry,
  SealedCredential,
  StoredEvent,
  SyncCheckpoint,
} from '@switchyard/core';

/** A row as node:sqlite returns it. */
export type Row = Record<string, unknown>;

const text = (row: Row, column: string): string => String(row[column]);
const json = (row: Row, column: string): JsonObject => JSON.parse(text(row, column)) as JsonObject;

/** Maps an `integrations` row. */
export const toIntegration = (row: Row): IntegrationRecord => ({
  id: text(row, 'id'),
  providerId: text(row, 'provider_id'),
  name: text(row, 'name'),
  settings: json(row, 'settings'),
  status: text(row, 'status') as IntegrationStatus,
  createdAt: text(row, 'created_at'),
  updatedAt: text(row, 'updated_at'),
});

/** Maps an `integration_registry` row. */
export const toRegistryEntry = (row: Row): RegistryEntry => ({
  providerId: text(row, 'provider_id'),
  packageName: text(row, 'package_name'),
  version: text(row, 'version'),
  manifest: json(row, 'manifest'),
  createdAt: text(row, 'created_at'),
  updatedAt: text(row, 'updated_at'),
});

/** Maps a `credentials` row. */
export const toCredential = (row: Row): SealedCredential => ({
  integrationId: text(row, 'integration_id'),
  field: text(row, 'field'),
  keyId: text(row, 'key_id'),
  iv: text(row, 'iv'),
  ciphertext: text(row, 'ciphertext'),
  authTag: text(row, 'auth_tag'),
  version: Number(row['version']),
  updatedAt: text(row, 'updated_at'),
});

/** Maps a `data_mappings` or `mapping_templates` row. */
export const toDefinition = (row: Row): DefinitionRecord => ({
  id: text(row, 'id'),
  name: text(row, 'name'),
  definition: json(row, 'definition'),
  createdAt: text(row, 'created_at'),
  updatedAt: text(row, 'updated_at'),
});

/** Maps an `integration_data` row. */
export const toDataRecord = (row: Row): DataRecord => ({
  integrationId: text(row, 'integration_id'),
  entity: text(row, 'entity'),
  externalId: text(row, 'external_id'),
  data: json(row, 'data'),
  hash: text(row, 'hash'),
  createdAt: text(row, 'created_at'),
  updatedAt: text(row, 'updated_at'),
});

/** Maps a `sync_checkpoints` row. */
export const toCheckpoint = (row: Row): SyncCheckpoint => ({
  integrationId: text(row, 'integration_id'),
  stream: text(row, 'stream'),
  cursor: text(row, 'cursor'),
  updatedAt: text(row, 'updated_at'),
});

/** Maps an `events` row. */
export const toEvent = (row: Row): StoredEvent => ({
  id: Number(row['id']),
  type: text(row, 'type'),
  integrationId: row['integration_id'] === null ? undefined : text(row, 'integration_id'),
  payload: json(row, 'payload'),
  occurredAt: text(row, 'occurred_at'),
});
