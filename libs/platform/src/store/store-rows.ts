import type { PlacementHint, PlacementHolder, PlacementRecord } from '@switchyard/core';
import type {
  ApiKeyRecord,
  ApiKeyScope,
  DataRecord,
  DefinitionRecord,
  IntegrationRecord,
  IntegrationStatus,
  JsonObject,
  RegistryEntry,
  SealedCredential,
  StoredEvent,
  SyncCheckpoint,
  WebhookOutboxRecord,
  WebhookOutboxStatus,
  WebhookSubscriptionRecord,
} from './store-records';
import type { SyncDeadLetter, SyncLease } from './store-sync';

/** A database row as a driver returns it: column name to value. */
export type StoreRow = Record<string, unknown>;

/** How a SQL store's driver hands back the two column types that differ between databases. */
export interface StoreColumnReaders {
  /** A JSON column as an object (node:sqlite returns text to parse; pg returns jsonb parsed). */
  readonly json: (row: StoreRow, column: string) => JsonObject;
  /** A timestamp column as an ISO 8601 string (node:sqlite stores text; pg returns a Date). */
  readonly time: (row: StoreRow, column: string) => string;
}

/** The row-to-record mappers every SQL store shares; one per table. */
export interface StoreRowMappers {
  readonly toIntegration: (row: StoreRow) => IntegrationRecord;
  readonly toRegistryEntry: (row: StoreRow) => RegistryEntry;
  readonly toCredential: (row: StoreRow) => SealedCredential;
  /** For `data_mappings` and `mapping_templates` rows. */
  readonly toDefinition: (row: StoreRow) => DefinitionRecord;
  readonly toDataRecord: (row: StoreRow) => DataRecord;
  readonly toCheckpoint: (row: StoreRow) => SyncCheckpoint;
  readonly toEvent: (row: StoreRow) => StoredEvent;
  /** For `placements` rows: `holders` is a JSON array, `deleted` a boolean (or 0/1), `updated_at_ms` epoch ms. */
  readonly toPlacement: (row: StoreRow) => PlacementRecord;
  /** For `placement_hints` rows. */
  readonly toPlacementHint: (row: StoreRow) => PlacementHint;
  /** For `api_keys` rows: `scopes` is a JSON array; `expires_at`, `revoked_at` and `last_used_at` may be null. */
  readonly toApiKey: (row: StoreRow) => ApiKeyRecord;
  /** For `webhook_subscriptions` rows: `event_types` is a JSON array, `enabled` a boolean (or 0/1). */
  readonly toWebhookSubscription: (row: StoreRow) => WebhookSubscriptionRecord;
  /** For `webhook_outbox` rows: `lease_expires_at`, `last_attempt_at`, `last_status` and `last_error` may be null. */
  readonly toWebhookOutbox: (row: StoreRow) => WebhookOutboxRecord;
  /** For `sync_dead_letters` rows: `external_id` may be null, `data` any JSON value. */
  readonly toSyncDeadLetter: (row: StoreRow) => SyncDeadLetter;
  /** For `sync_leases` rows. */
  readonly toSyncLease: (row: StoreRow) => SyncLease;
}

const text = (row: StoreRow, column: string): string => String(row[column]);
/** An integer column; pg returns `bigint` columns as strings. */
const integer = (row: StoreRow, column: string): number => Number(row[column]);

/**
 * Maps rows of the shared SQL schema (snake_case columns, the same in SQLite
 * and PostgreSQL) to store records, given how the driver returns JSON and
 * timestamp columns.
 */
export function createStoreRowMappers(readers: StoreColumnReaders): StoreRowMappers {
  const { json, time } = readers;
  const optionalTime = (row: StoreRow, column: string): string | undefined =>
    row[column] === null || row[column] === undefined ? undefined : time(row, column);
  return {
    toIntegration: (row) => ({
      id: text(row, 'id'),
      workspaceId: text(row, 'workspace_id'),
      providerId: text(row, 'provider_id'),
      name: text(row, 'name'),
      settings: json(row, 'settings'),
      status: text(row, 'status') as IntegrationStatus,
      createdAt: time(row, 'created_at'),
      updatedAt: time(row, 'updated_at'),
    }),
    toRegistryEntry: (row) => ({
      providerId: text(row, 'provider_id'),
      packageName: text(row, 'package_name'),
      version: text(row, 'version'),
      manifest: json(row, 'manifest'),
      createdAt: time(row, 'created_at'),
      updatedAt: time(row, 'updated_at'),
    }),
    toCredential: (row) => ({
      integrationId: text(row, 'integration_id'),
      field: text(row, 'field'),
      keyId: text(row, 'key_id'),
      iv: text(row, 'iv'),
      ciphertext: text(row, 'ciphertext'),
      authTag: text(row, 'auth_tag'),
      version: Number(row['version']),
      updatedAt: time(row, 'updated_at'),
    }),
    toDefinition: (row) => ({
      id: text(row, 'id'),
      name: text(row, 'name'),
      definition: json(row, 'definition'),
      createdAt: time(row, 'created_at'),
      updatedAt: time(row, 'updated_at'),
    }),
    toDataRecord: (row) => ({
      integrationId: text(row, 'integration_id'),
      entity: text(row, 'entity'),
      externalId: text(row, 'external_id'),
      data: json(row, 'data'),
      hash: text(row, 'hash'),
      createdAt: time(row, 'created_at'),
      updatedAt: time(row, 'updated_at'),
    }),
    toCheckpoint: (row) => ({
      integrationId: text(row, 'integration_id'),
      stream: text(row, 'stream'),
      cursor: text(row, 'cursor'),
      updatedAt: time(row, 'updated_at'),
    }),
    toEvent: (row) => ({
      id: Number(row['id']),
      type: text(row, 'type'),
      workspaceId: text(row, 'workspace_id'),
      integrationId: row['integration_id'] === null ? undefined : text(row, 'integration_id'),
      payload: json(row, 'payload'),
      occurredAt: time(row, 'occurred_at'),
    }),
    toPlacement: (row) => ({
      capability: text(row, 'capability'),
      key: text(row, 'resource_key'),
      // The JSON reader parses any JSON column; `holders` holds an array, not an object.
      holders: json(row, 'holders') as unknown as PlacementHolder[],
      writeId: text(row, 'write_id'),
      deleted: Boolean(row['deleted']),
      updatedAt: integer(row, 'updated_at_ms'),
    }),
    toPlacementHint: (row) => ({
      capability: text(row, 'capability'),
      key: text(row, 'resource_key'),
      provider: text(row, 'provider'),
      action: text(row, 'action') as PlacementHint['action'],
      writeId: text(row, 'write_id'),
      createdAt: integer(row, 'created_at_ms'),
    }),
    toApiKey: (row) => ({
      id: text(row, 'id'),
      workspaceId: text(row, 'workspace_id'),
      name: text(row, 'name'),
      scopes: json(row, 'scopes') as unknown as ApiKeyScope[],
      secretHash: text(row, 'secret_hash'),
      createdAt: time(row, 'created_at'),
      expiresAt: optionalTime(row, 'expires_at'),
      revokedAt: optionalTime(row, 'revoked_at'),
      lastUsedAt: optionalTime(row, 'last_used_at'),
    }),
    toWebhookSubscription: (row) => ({
      id: text(row, 'id'),
      workspaceId: text(row, 'workspace_id'),
      url: text(row, 'url'),
      eventTypes: json(row, 'event_types') as unknown as string[],
      description: text(row, 'description'),
      enabled: Boolean(row['enabled']),
      secret: text(row, 'secret'),
      createdAt: time(row, 'created_at'),
      updatedAt: time(row, 'updated_at'),
    }),
    toWebhookOutbox: (row) => ({
      id: text(row, 'id'),
      subscriptionId: text(row, 'subscription_id'),
      workspaceId: text(row, 'workspace_id'),
      eventType: text(row, 'event_type'),
      payload: json(row, 'payload'),
      status: text(row, 'status') as WebhookOutboxStatus,
      attempts: integer(row, 'attempts'),
      nextAttemptAt: time(row, 'next_attempt_at'),
      leaseExpiresAt: optionalTime(row, 'lease_expires_at'),
      lastAttemptAt: optionalTime(row, 'last_attempt_at'),
      lastStatus: row['last_status'] === null || row['last_status'] === undefined ? undefined : integer(row, 'last_status'),
      lastError: row['last_error'] === null || row['last_error'] === undefined ? undefined : text(row, 'last_error'),
      createdAt: time(row, 'created_at'),
      updatedAt: time(row, 'updated_at'),
    }),
    toSyncDeadLetter: (row) => ({
      id: Number(row['id']),
      integrationId: text(row, 'integration_id'),
      entity: text(row, 'entity'),
      externalId: row['external_id'] === null || row['external_id'] === undefined ? undefined : text(row, 'external_id'),
      reason: text(row, 'reason'),
      data: json(row, 'data'),
      createdAt: time(row, 'created_at'),
    }),
    toSyncLease: (row) => ({
      integrationId: text(row, 'integration_id'),
      owner: text(row, 'owner'),
      expiresAt: time(row, 'expires_at'),
    }),
  };
}
