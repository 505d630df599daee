import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SQLInputValue } from 'node:sqlite';
import { IntegrationError } from '@switchyard/core';
import type { DefinitionRepository, Store } from '@switchyard/platform';
import {
  contentHash,
  credentialVersionConflict,
  parseStoreInput,
  storeConflict,
  storeNotFound,
  storeSchemas as schemas,
  storeTimestamp,
  workspaceView,
} from '@switchyard/platform/store-kit';
import { createSqliteApiKeys } from './sqlite-api-keys';
import { createSqliteEvents } from './sqlite-events';
import { inTransaction, migrateSqlite } from './sqlite-migrations';
import { loadSqlite } from './sqlite-module';
import { createSqlitePlacements } from './sqlite-placements';
import { createSqliteSync } from './sqlite-sync';
import { createSqliteWebhookOutbox } from './sqlite-webhook-outbox';
import { createSqliteWebhookSubscriptions } from './sqlite-webhook-subscriptions';
import { toCheckpoint, toCredential, toDataRecord, toDefinition, toIntegration, toRegistryEntry, type Row } from './sqlite-rows';

/** Settings for {@link createSqliteStore}. */
export interface SqliteStoreSettings {
  /**
   * The database file; its folder is created when missing. `':memory:'`
   * keeps everything in memory until `close()`. Default:
   * `.switchyard/switchyard.db` under the current working directory.
   */
  readonly path?: string | undefined;
  /** How long a write waits for another connection's lock, in milliseconds. Default: 5 000. */
  readonly busyTimeoutMs?: number | undefined;
}

/** Where {@link createSqliteStore} keeps its database when no `path` is given. */
export const DEFAULT_SQLITE_PATH = '.switchyard/switchyard.db';

/** Runs a synchronous body as an async method, so its errors reject instead of throwing. */
const run = <Result>(body: () => Result): Promise<Result> => Promise.resolve().then(body);
const json = (value: unknown): string => JSON.stringify(value);

/**
 * A {@link Store} in one SQLite file on `node:sqlite`: the embedded default
 * for hosts. Opens (and creates) the database, switches it to WAL mode and
 * applies pending migrations before returning. Compare-and-swap writes run
 * in `BEGIN IMMEDIATE` transactions, so several processes may share a file.
 *
 * @example
 * ```ts
 * const store = createSqliteStore({ path: './data/switchyard.db' });
 * await store.integrations.create({ providerId: 'github', name: 'GitHub (acme)' });
 * await store.close();
 * ```
 */
export function createSqliteStore(settings: SqliteStoreSettings = {}): Store {
  const path = settings.path ?? DEFAULT_SQLITE_PATH;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const { DatabaseSync } = loadSqlite();
  const database = new DatabaseSync(path);
  // PRAGMA takes no parameters; the value is a number truncated to an integer, never text.
  database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(settings.busyTimeoutMs ?? 5000))}`);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA foreign_keys = ON');
  migrateSqlite(database);

  const one = (sql: string, ...values: SQLInputValue[]): Row | undefined => database.prepare(sql).get(...values);
  const all = (sql: string, ...values: SQLInputValue[]): Row[] => database.prepare(sql).all(...values);
  const allNamed = (sql: string, parameters: Record<string, SQLInputValue>): Row[] => database.prepare(sql).all(parameters);
  /** For INSERT/UPSERT ... RETURNING, which always returns the row it wrote. */
  const written = (sql: string, ...values: SQLInputValue[]): Row => {
    const row = one(sql, ...values);
    if (row === undefined) throw new IntegrationError({ kind: 'provider', message: 'SQLite returned no row for a write' });
    return row;
  };
  const change = (sql: string, ...values: SQLInputValue[]): number => Number(database.prepare(sql).run(...values).changes);
  const nullable = (value: string | undefined): string | null => value ?? null;

  const requireIntegration = (id: string, operation: string): void => {
    if (one('SELECT 1 FROM integrations WHERE id = ?', id) === undefined) throw storeNotFound(operation, `integration "${id}"`);
  };

  function definitions(table: 'data_mappings' | 'mapping_templates', kind: string, label: string): DefinitionRepository {
    // `table` is one of two constants, never input.
    const operation = (method: string) => `store.${kind}.${method}`;
    const find = (id: string, method: string): Row => {
      const row = one(`SELECT * FROM ${table} WHERE id = ?`, parseStoreInput(schemas.key, id, operation(method)));
      if (row === undefined) throw storeNotFound(operation(method), `${label} "${id}"`);
      return row;
    };
    return {
      create: (definition) =>
        run(() => {
          const input = parseStoreInput(schemas.newDefinition, definition, operation('create'));
          const id = input.id ?? randomUUID();
          const now = storeTimestamp();
          const row = one(
            `INSERT INTO ${table} (id, name, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
            id,
            input.name,
            json(input.definition),
            now,
            now,
          );
          if (row === undefined) throw storeConflict(operation('create'), `${label} "${id}" already exists`);
          return toDefinition(row);
        }),
      get: (id) => run(() => toDefinition(find(id, 'get'))),
      list: () => run(() => all(`SELECT * FROM ${table} ORDER BY name, id`).map(toDefinition)),
      update: (id, changes) =>
        run(() => {
          const key = parseStoreInput(schemas.key, id, operation('update'));
          const input = parseStoreInput(schemas.definitionChanges, changes, operation('update'));
          const row = one(
            `UPDATE ${table} SET name = coalesce(?, name), definition = coalesce(?, definition), updated_at = ? WHERE id = ? RETURNING *`,
            nullable(input.name),
            input.definition === undefined ? null : json(input.definition),
            storeTimestamp(),
            key,
          );
          if (row === undefined) throw storeNotFound(operation('update'), `${label} "${id}"`);
          return toDefinition(row);
        }),
      delete: (id) =>
        run(() => {
          if (change(`DELETE FROM ${table} WHERE id = ?`, parseStoreInput(schemas.key, id, operation('delete'))) === 0) {
            throw storeNotFound(operation('delete'), `${label} "${id}"`);
          }
        }),
    };
  }

  const store: Store = {
    integrations: {
      create: (integration) =>
        run(() => {
          const input = parseStoreInput(schemas.newIntegration, integration, 'store.integrations.create');
          const id = input.id ?? randomUUID();
          const now = storeTimestamp();
          const row = one(
            'INSERT INTO integrations (id, workspace_id, provider_id, name, settings, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *',
            id,
            input.workspaceId,
            input.providerId,
            input.name,
            json(input.settings),
            input.status,
            now,
            now,
          );
          if (row === undefined) throw storeConflict('store.integrations.create', `integration "${id}" already exists`);
          return toIntegration(row);
        }),
      get: (id) =>
        run(() => {
          const row = one('SELECT * FROM integrations WHERE id = ?', parseStoreInput(schemas.key, id, 'store.integrations.get'));
          if (row === undefined) throw storeNotFound('store.integrations.get', `integration "${id}"`);
          return toIntegration(row);
        }),
      list: (filter) =>
        run(() => {
          const input = parseStoreInput(schemas.integrationFilter, filter, 'store.integrations.list');
          return allNamed(
            `SELECT * FROM integrations WHERE ($workspaceId IS NULL OR workspace_id = $workspaceId) AND ($providerId IS NULL OR provider_id = $providerId)
               AND ($status IS NULL OR status = $status) ORDER BY created_at, id`,
            { workspaceId: nullable(input.workspaceId), providerId: nullable(input.providerId), status: nullable(input.status) },
          ).map(toIntegration);
        }),
      update: (id, changes) =>
        run(() => {
          const key = parseStoreInput(schemas.key, id, 'store.integrations.update');
          const input = parseStoreInput(schemas.integrationChanges, changes, 'store.integrations.update');
          const row = one(
            'UPDATE integrations SET name = coalesce(?, name), settings = coalesce(?, settings), status = coalesce(?, status), updated_at = ? WHERE id = ? RETURNING *',
            nullable(input.name),
            input.settings === undefined ? null : json(input.settings),
            nullable(input.status),
            storeTimestamp(),
            key,
          );
          if (row === undefined) throw storeNotFound('store.integrations.update', `integration "${id}"`);
          return toIntegration(row);
        }),
      delete: (id) =>
        run(() => {
          if (change('DELETE FROM integrations WHERE id = ?', parseStoreInput(schemas.key, id, 'store.integrations.delete')) === 0) {
            throw storeNotFound('store.integrations.delete', `integration "${id}"`);
          }
        }),
    },

    registry: {
      put: (entry) =>
        run(() => {
          const input = parseStoreInput(schemas.newRegistryEntry, entry, 'store.registry.put');
          const now = storeTimestamp();
          const row = written(
            `INSERT INTO integration_registry (provider_id, package_name, version, manifest, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (provider_id) DO UPDATE SET package_name = excluded.package_name, version = excluded.version,
               manifest = excluded.manifest, updated_at = excluded.updated_at
             RETURNING *`,
            input.providerId,
            input.packageName,
            input.version,
            json(input.manifest),
            now,
            now,
          );
          return toRegistryEntry(row);
        }),
      get: (providerId) =>
        run(() => {
          const row = one(
            'SELECT * FROM integration_registry WHERE provider_id = ?',
            parseStoreInput(schemas.key, providerId, 'store.registry.get'),
          );
          if (row === undefined) throw storeNotFound('store.registry.get', `provider "${providerId}"`);
          return toRegistryEntry(row);
        }),
      list: () => run(() => all('SELECT * FROM integration_registry ORDER BY provider_id').map(toRegistryEntry)),
      delete: (providerId) =>
        run(() => {
          if (
            change(
              'DELETE FROM integration_registry WHERE provider_id = ?',
              parseStoreInput(schemas.key, providerId, 'store.registry.delete'),
            ) === 0
          ) {
            throw storeNotFound('store.registry.delete', `provider "${providerId}"`);
          }
        }),
    },

    credentials: {
      get: (integrationId, field) =>
        run(() => {
          parseStoreInput(schemas.credentialKey, { integrationId, field }, 'store.credentials.get');
          const row = one('SELECT * FROM credentials WHERE integration_id = ? AND field = ?', integrationId, field);
          if (row === undefined) throw storeNotFound('store.credentials.get', `credential "${field}" of integration "${integrationId}"`);
          return toCredential(row);
        }),
      put: (credential) =>
        run(() => {
          const input = parseStoreInput(schemas.credentialWrite, credential, 'store.credentials.put');
          return inTransaction(database, () => {
            requireIntegration(input.integrationId, 'store.credentials.put');
            const current = one('SELECT version FROM credentials WHERE integration_id = ? AND field = ?', input.integrationId, input.field);
            const currentVersion = current === undefined ? 0 : Number(current['version']);
            if (input.expectedVersion !== undefined && input.expectedVersion !== currentVersion) {
              throw credentialVersionConflict(input.integrationId, input.field, input.expectedVersion, currentVersion);
            }
            const row = written(
              `INSERT INTO credentials (integration_id, field, key_id, iv, ciphertext, auth_tag, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (integration_id, field) DO UPDATE SET key_id = excluded.key_id, iv = excluded.iv, ciphertext = excluded.ciphertext,
                 auth_tag = excluded.auth_tag, version = excluded.version, updated_at = excluded.updated_at
               RETURNING *`,
              input.integrationId,
              input.field,
              input.keyId,
              input.iv,
              input.ciphertext,
              input.authTag,
              currentVersion + 1,
              storeTimestamp(),
            );
            return toCredential(row);
          });
        }),
      list: (filter) =>
        run(() => {
          const input = parseStoreInput(schemas.credentialFilter, filter, 'store.credentials.list');
          return allNamed(
            'SELECT * FROM credentials WHERE ($integrationId IS NULL OR integration_id = $integrationId) AND ($keyId IS NULL OR key_id = $keyId) ORDER BY integration_id, field',
            { integrationId: nullable(input.integrationId), keyId: nullable(input.keyId) },
          ).map(toCredential);
        }),
      delete: (integrationId, field) =>
        run(() => {
          parseStoreInput(schemas.credentialKey, { integrationId, field }, 'store.credentials.delete');
          if (change('DELETE FROM credentials WHERE integration_id = ? AND field = ?', integrationId, field) === 0) {
            throw storeNotFound('store.credentials.delete', `credential "${field}" of integration "${integrationId}"`);
          }
        }),
    },

    mappings: definitions('data_mappings', 'mappings', 'mapping'),
    mappingTemplates: definitions('mapping_templates', 'mappingTemplates', 'mapping template'),

    records: {
      upsert: (record) =>
        run(() => {
          const input = parseStoreInput(schemas.dataRecordWrite, record, 'store.records.upsert');
          const hash = contentHash(input.data);
          return inTransaction(database, () => {
            requireIntegration(input.integrationId, 'store.records.upsert');
            const key = [input.integrationId, input.entity, input.externalId];
            const existing = one('SELECT * FROM integration_data WHERE integration_id = ? AND entity = ? AND external_id = ?', ...key);
            if (existing !== undefined && existing['hash'] === hash)
              return { outcome: 'unchanged' as const, record: toDataRecord(existing) };
            const now = storeTimestamp();
            const row = written(
              `INSERT INTO integration_data (integration_id, entity, external_id, data, hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (integration_id, entity, external_id) DO UPDATE SET data = excluded.data, hash = excluded.hash, updated_at = excluded.updated_at
               RETURNING *`,
              ...key,
              json(input.data),
              hash,
              now,
              now,
            );
            return { outcome: existing === undefined ? ('created' as const) : ('updated' as const), record: toDataRecord(row) };
          });
        }),
      get: (integrationId, entity, externalId) =>
        run(() => {
          parseStoreInput(schemas.dataRecordKey, { integrationId, entity, externalId }, 'store.records.get');
          const row = one(
            'SELECT * FROM integration_data WHERE integration_id = ? AND entity = ? AND external_id = ?',
            integrationId,
            entity,
            externalId,
          );
          if (row === undefined) throw storeNotFound('store.records.get', `${entity} "${externalId}" of integration "${integrationId}"`);
          return toDataRecord(row);
        }),
      list: (filter) =>
        run(() => {
          const input = parseStoreInput(schemas.dataRecordFilter, filter, 'store.records.list');
          return allNamed(
            'SELECT * FROM integration_data WHERE integration_id = $integrationId AND ($entity IS NULL OR entity = $entity) ORDER BY entity, external_id',
            { integrationId: input.integrationId, entity: nullable(input.entity) },
          ).map(toDataRecord);
        }),
      delete: (integrationId, entity, externalId) =>
        run(() => {
          parseStoreInput(schemas.dataRecordKey, { integrationId, entity, externalId }, 'store.records.delete');
          if (
            change(
              'DELETE FROM integration_data WHERE integration_id = ? AND entity = ? AND external_id = ?',
              integrationId,
              entity,
              externalId,
            ) === 0
          ) {
            throw storeNotFound('store.records.delete', `${entity} "${externalId}" of integration "${integrationId}"`);
          }
        }),
    },

    checkpoints: {
      get: (integrationId, stream) =>
        run(() => {
          parseStoreInput(schemas.checkpointKey, { integrationId, stream }, 'store.checkpoints.get');
          const row = one('SELECT * FROM sync_checkpoints WHERE integration_id = ? AND stream = ?', integrationId, stream);
          return row === undefined ? undefined : toCheckpoint(row);
        }),
      put: (checkpoint) =>
        run(() => {
          const input = parseStoreInput(schemas.checkpointWrite, checkpoint, 'store.checkpoints.put');
          return inTransaction(database, () => {
            requireIntegration(input.integrationId, 'store.checkpoints.put');
            const row = written(
              `INSERT INTO sync_checkpoints (integration_id, stream, cursor, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (integration_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
               RETURNING *`,
              input.integrationId,
              input.stream,
              input.cursor,
              storeTimestamp(),
            );
            return toCheckpoint(row);
          });
        }),
      list: (integrationId) =>
        run(() => {
          const key = parseStoreInput(schemas.key, integrationId, 'store.checkpoints.list');
          return all('SELECT * FROM sync_checkpoints WHERE integration_id = ? ORDER BY stream', key).map(toCheckpoint);
        }),
      delete: (integrationId, stream) =>
        run(() => {
          parseStoreInput(schemas.checkpointKey, { integrationId, stream }, 'store.checkpoints.delete');
          if (change('DELETE FROM sync_checkpoints WHERE integration_id = ? AND stream = ?', integrationId, stream) === 0) {
            throw storeNotFound('store.checkpoints.delete', `checkpoint "${stream}" of integration "${integrationId}"`);
          }
        }),
    },

    webhookDeliveries: {
      record: (delivery) =>
        run(() => {
          const input = parseStoreInput(schemas.webhookDelivery, delivery, 'store.webhookDeliveries.record');
          const inserted = change(
            'INSERT INTO webhook_deliveries (provider_id, delivery_id, integration_id, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
            input.providerId,
            input.deliveryId,
            nullable(input.integrationId),
            storeTimestamp(),
          );
          return inserted === 1;
        }),
      has: (providerId, deliveryId) =>
        run(() => {
          parseStoreInput(schemas.webhookDelivery, { providerId, deliveryId }, 'store.webhookDeliveries.has');
          return one('SELECT 1 FROM webhook_deliveries WHERE provider_id = ? AND delivery_id = ?', providerId, deliveryId) !== undefined;
        }),
    },

    sync: createSqliteSync(database),
    events: createSqliteEvents(database),
    placements: createSqlitePlacements(database),
    apiKeys: createSqliteApiKeys(database),
    webhookSubscriptions: createSqliteWebhookSubscriptions(database),
    webhookOutbox: createSqliteWebhookOutbox(database),

    // Checked in code: one file, one process's trust boundary.
    forWorkspace: (workspaceId) => workspaceView(store, workspaceId),

    close: () =>
      run(() => {
        if (database.isOpen) database.close();
      }),
  };
  return store;
}
