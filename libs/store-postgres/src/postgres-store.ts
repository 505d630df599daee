import { randomUUID } from 'node:crypto';
import { toIntegrationError } from '@switchyard/core';
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
import type pg from 'pg';
import { createPostgresApiKeys } from './postgres-api-keys';
import { createPostgresEvents } from './postgres-events';
import { createPool, createQueries, type PostgresQueries } from './postgres-queries';
import { migratePostgres, quoteSchema } from './postgres-migrations';
import { createPostgresPlacements } from './postgres-placements';
import { createPostgresSync } from './postgres-sync';
import { createPostgresWebhookOutbox } from './postgres-webhook-outbox';
import { createPostgresWebhookSubscriptions } from './postgres-webhook-subscriptions';
import { createWorkspaceQueries } from './postgres-workspaces';
import { toCheckpoint, toCredential, toDataRecord, toDefinition, toIntegration, toRegistryEntry, type Row } from './postgres-rows';

/** Settings for {@link createPostgresStore}. */
export interface PostgresStoreSettings {
  /**
   * A PostgreSQL connection string, e.g. `postgres://user@host:5432/database`.
   * Default: the `DATABASE_URL` environment variable. Ignored when `pool` is given.
   */
  readonly connectionString?: string | undefined;
  /** A pool you own; the store uses it and `close()` leaves it open. Default: a pool the store creates and closes. */
  readonly pool?: pg.Pool | undefined;
  /** The schema the tables live in; created when missing. Lowercase letters, digits and `_`. Default: `switchyard`. */
  readonly schema?: string | undefined;
  /** The size of the pool the store creates. Default: 10. */
  readonly maxConnections?: number | undefined;
}

/** The schema {@link createPostgresStore} uses when none is given. */
export const DEFAULT_POSTGRES_SCHEMA = 'switchyard';

const json = (value: unknown): string => JSON.stringify(value);

/**
 * A {@link Store} in PostgreSQL, for production. Connects, creates the schema
 * and applies pending migrations before resolving. Every query is
 * parameterized; credential compare-and-swap is one `UPDATE ... WHERE version
 * = $n`, so any number of processes may share the database.
 * `forWorkspace(id)` runs each statement of the view as the role
 * `switchyard_workspace` with the workspace set for that transaction, so
 * row-level security keeps it to its workspace; the store itself (the owner)
 * sees every workspace.
 *
 * @example
 * ```ts
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL, schema: 'switchyard' });
 * await store.integrations.create({ providerId: 'github', name: 'GitHub (acme)' });
 * await store.close();
 * ```
 */
export async function createPostgresStore(settings: PostgresStoreSettings = {}): Promise<Store> {
  const schema = settings.schema ?? DEFAULT_POSTGRES_SCHEMA;
  const quoted = quoteSchema(schema);
  const ownsPool = settings.pool === undefined;
  const pool = settings.pool ?? createPool(settings);
  try {
    await migratePostgres(pool, schema);
  } catch (error) {
    if (ownsPool) await pool.end().catch(() => undefined);
    throw toIntegrationError(error, { operation: 'store.migrate' });
  }

  let closed = false;
  const store: Store = {
    ...createPostgresRepositories(createQueries(pool), quoted),
    // The view's statements run as the workspace role with the workspace set, under row-level security; the view checks in code on top.
    forWorkspace: (workspaceId) =>
      workspaceView(
        {
          ...createPostgresRepositories(createWorkspaceQueries(pool, workspaceId), quoted),
          forWorkspace: (other) => store.forWorkspace(other),
          // The pool is the store's: closing a view leaves it open.
          close: () => Promise.resolve(),
        },
        workspaceId,
      ),
    async close() {
      if (closed) return;
      closed = true;
      if (ownsPool) await pool.end();
    },
  };
  return store;
}

/**
 * Every repository of a store whose statements all go through `queries`:
 * the pool itself for the store, a workspace session for its views.
 *
 * @param quoted - the store's checked, quoted schema name.
 */
function createPostgresRepositories(queries: PostgresQueries, quoted: string): Omit<Store, 'forWorkspace' | 'close'> {
  // Table names are constants qualified by the checked, quoted schema; values are always parameters.
  const table = (name: string) => `${quoted}.${name}`;
  const integrationsTable = table('integrations');
  const { query, one, written } = queries;

  function definitions(name: 'data_mappings' | 'mapping_templates', kind: string, label: string): DefinitionRepository {
    const definitionTable = table(name);
    const operation = (method: string) => `store.${kind}.${method}`;
    return {
      async create(definition) {
        const input = parseStoreInput(schemas.newDefinition, definition, operation('create'));
        const id = input.id ?? randomUUID();
        const now = storeTimestamp();
        const row = await one(
          operation('create'),
          `INSERT INTO ${definitionTable} (id, name, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING RETURNING *`,
          [id, input.name, json(input.definition), now],
        );
        if (row === undefined) throw storeConflict(operation('create'), `${label} "${id}" already exists`);
        return toDefinition(row);
      },
      async get(id) {
        const row = await one(operation('get'), `SELECT * FROM ${definitionTable} WHERE id = $1`, [
          parseStoreInput(schemas.key, id, operation('get')),
        ]);
        if (row === undefined) throw storeNotFound(operation('get'), `${label} "${id}"`);
        return toDefinition(row);
      },
      async list() {
        return (await query(operation('list'), `SELECT * FROM ${definitionTable} ORDER BY name COLLATE "C", id COLLATE "C"`)).map(
          toDefinition,
        );
      },
      async update(id, changes) {
        const key = parseStoreInput(schemas.key, id, operation('update'));
        const input = parseStoreInput(schemas.definitionChanges, changes, operation('update'));
        const row = await one(
          operation('update'),
          `UPDATE ${definitionTable} SET name = coalesce($2, name), definition = coalesce($3::jsonb, definition), updated_at = $4 WHERE id = $1 RETURNING *`,
          [key, input.name ?? null, input.definition === undefined ? null : json(input.definition), storeTimestamp()],
        );
        if (row === undefined) throw storeNotFound(operation('update'), `${label} "${id}"`);
        return toDefinition(row);
      },
      async delete(id) {
        const rows = await query(operation('delete'), `DELETE FROM ${definitionTable} WHERE id = $1 RETURNING id`, [
          parseStoreInput(schemas.key, id, operation('delete')),
        ]);
        if (rows.length === 0) throw storeNotFound(operation('delete'), `${label} "${id}"`);
      },
    };
  }

  const credentialsTable = table('credentials');
  const credentialNotFound = (operation: string, integrationId: string, field: string) =>
    storeNotFound(operation, `credential "${field}" of integration "${integrationId}"`);
  const integrationExists = async (operation: string, id: string) =>
    (await one(operation, `SELECT 1 FROM ${integrationsTable} WHERE id = $1`, [id])) !== undefined;
  const recordsTable = table('integration_data');
  const checkpointsTable = table('sync_checkpoints');
  const registryTable = table('integration_registry');
  const deliveriesTable = table('webhook_deliveries');

  return {
    integrations: {
      async create(integration) {
        const input = parseStoreInput(schemas.newIntegration, integration, 'store.integrations.create');
        const id = input.id ?? randomUUID();
        const now = storeTimestamp();
        const row = await one(
          'store.integrations.create',
          `INSERT INTO ${integrationsTable} (id, provider_id, name, settings, status, created_at, updated_at, workspace_id) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
           ON CONFLICT DO NOTHING RETURNING *`,
          [id, input.providerId, input.name, json(input.settings), input.status, now, input.workspaceId],
        );
        if (row === undefined) throw storeConflict('store.integrations.create', `integration "${id}" already exists`);
        return toIntegration(row);
      },
      async get(id) {
        const row = await one('store.integrations.get', `SELECT * FROM ${integrationsTable} WHERE id = $1`, [
          parseStoreInput(schemas.key, id, 'store.integrations.get'),
        ]);
        if (row === undefined) throw storeNotFound('store.integrations.get', `integration "${id}"`);
        return toIntegration(row);
      },
      async list(filter) {
        const input = parseStoreInput(schemas.integrationFilter, filter, 'store.integrations.list');
        const rows = await query(
          'store.integrations.list',
          `SELECT * FROM ${integrationsTable} WHERE ($1::text IS NULL OR provider_id = $1) AND ($2::text IS NULL OR status = $2)
             AND ($3::text IS NULL OR workspace_id = $3) ORDER BY created_at, id COLLATE "C"`,
          [input.providerId ?? null, input.status ?? null, input.workspaceId ?? null],
        );
        return rows.map(toIntegration);
      },
      async update(id, changes) {
        const key = parseStoreInput(schemas.key, id, 'store.integrations.update');
        const input = parseStoreInput(schemas.integrationChanges, changes, 'store.integrations.update');
        const row = await one(
          'store.integrations.update',
          `UPDATE ${integrationsTable} SET name = coalesce($2, name), settings = coalesce($3::jsonb, settings), status = coalesce($4, status), updated_at = $5
           WHERE id = $1 RETURNING *`,
          [key, input.name ?? null, input.settings === undefined ? null : json(input.settings), input.status ?? null, storeTimestamp()],
        );
        if (row === undefined) throw storeNotFound('store.integrations.update', `integration "${id}"`);
        return toIntegration(row);
      },
      async delete(id) {
        const key = parseStoreInput(schemas.key, id, 'store.integrations.delete');
        const rows = await query('store.integrations.delete', `DELETE FROM ${integrationsTable} WHERE id = $1 RETURNING id`, [key]);
        if (rows.length === 0) throw storeNotFound('store.integrations.delete', `integration "${id}"`);
      },
    },

    registry: {
      async put(entry) {
        const input = parseStoreInput(schemas.newRegistryEntry, entry, 'store.registry.put');
        const row = await written(
          'store.registry.put',
          `INSERT INTO ${registryTable} (provider_id, package_name, version, manifest, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
           ON CONFLICT (provider_id) DO UPDATE SET package_name = excluded.package_name, version = excluded.version,
             manifest = excluded.manifest, updated_at = excluded.updated_at
           RETURNING *`,
          [input.providerId, input.packageName, input.version, json(input.manifest), storeTimestamp()],
        );
        return toRegistryEntry(row);
      },
      async get(providerId) {
        const key = parseStoreInput(schemas.key, providerId, 'store.registry.get');
        const row = await one('store.registry.get', `SELECT * FROM ${registryTable} WHERE provider_id = $1`, [key]);
        if (row === undefined) throw storeNotFound('store.registry.get', `provider "${providerId}"`);
        return toRegistryEntry(row);
      },
      async list() {
        return (await query('store.registry.list', `SELECT * FROM ${registryTable} ORDER BY provider_id COLLATE "C"`)).map(toRegistryEntry);
      },
      async delete(providerId) {
        const key = parseStoreInput(schemas.key, providerId, 'store.registry.delete');
        const rows = await query('store.registry.delete', `DELETE FROM ${registryTable} WHERE provider_id = $1 RETURNING provider_id`, [
          key,
        ]);
        if (rows.length === 0) throw storeNotFound('store.registry.delete', `provider "${providerId}"`);
      },
    },

    credentials: {
      async get(integrationId, field) {
        parseStoreInput(schemas.credentialKey, { integrationId, field }, 'store.credentials.get');
        const row = await one('store.credentials.get', `SELECT * FROM ${credentialsTable} WHERE integration_id = $1 AND field = $2`, [
          integrationId,
          field,
        ]);
        if (row === undefined) throw credentialNotFound('store.credentials.get', integrationId, field);
        return toCredential(row);
      },
      async put(credential) {
        const operation = 'store.credentials.put';
        const { expectedVersion, ...input } = parseStoreInput(schemas.credentialWrite, credential, operation);
        const values = [input.integrationId, input.field, input.keyId, input.iv, input.ciphertext, input.authTag, storeTimestamp()];
        const columns = `INSERT INTO ${credentialsTable} (integration_id, field, key_id, iv, ciphertext, auth_tag, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7)`;
        let row: Row | undefined;
        if (expectedVersion === undefined) {
          row = await one(
            operation,
            `${columns} ON CONFLICT (integration_id, field) DO UPDATE SET key_id = excluded.key_id, iv = excluded.iv, ciphertext = excluded.ciphertext,
               auth_tag = excluded.auth_tag, version = ${credentialsTable}.version + 1, updated_at = excluded.updated_at
             RETURNING *`,
            values,
          );
        } else if (expectedVersion === 0) {
          row = await one(operation, `${columns} ON CONFLICT DO NOTHING RETURNING *`, values);
        } else {
          row = await one(
            operation,
            `UPDATE ${credentialsTable} SET key_id = $3, iv = $4, ciphertext = $5, auth_tag = $6, version = version + 1, updated_at = $7
             WHERE integration_id = $1 AND field = $2 AND version = $8 RETURNING *`,
            [...values, expectedVersion],
          );
        }
        if (row !== undefined) return toCredential(row);
        if (!(await integrationExists(operation, input.integrationId)))
          throw storeNotFound(operation, `integration "${input.integrationId}"`);
        const current = await one(operation, `SELECT version FROM ${credentialsTable} WHERE integration_id = $1 AND field = $2`, [
          input.integrationId,
          input.field,
        ]);
        throw credentialVersionConflict(
          input.integrationId,
          input.field,
          expectedVersion ?? 0,
          current === undefined ? 0 : Number(current['version']),
        );
      },
      async list(filter) {
        const input = parseStoreInput(schemas.credentialFilter, filter, 'store.credentials.list');
        const rows = await query(
          'store.credentials.list',
          `SELECT * FROM ${credentialsTable} WHERE ($1::text IS NULL OR integration_id = $1) AND ($2::text IS NULL OR key_id = $2)
           ORDER BY integration_id COLLATE "C", field COLLATE "C"`,
          [input.integrationId ?? null, input.keyId ?? null],
        );
        return rows.map(toCredential);
      },
      async delete(integrationId, field) {
        parseStoreInput(schemas.credentialKey, { integrationId, field }, 'store.credentials.delete');
        const rows = await query(
          'store.credentials.delete',
          `DELETE FROM ${credentialsTable} WHERE integration_id = $1 AND field = $2 RETURNING field`,
          [integrationId, field],
        );
        if (rows.length === 0) throw credentialNotFound('store.credentials.delete', integrationId, field);
      },
    },

    mappings: definitions('data_mappings', 'mappings', 'mapping'),
    mappingTemplates: definitions('mapping_templates', 'mappingTemplates', 'mapping template'),

    records: {
      async upsert(record) {
        const operation = 'store.records.upsert';
        const input = parseStoreInput(schemas.dataRecordWrite, record, operation);
        const key = [input.integrationId, input.entity, input.externalId];
        const row = await one(
          operation,
          `INSERT INTO ${recordsTable} (integration_id, entity, external_id, data, hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
           ON CONFLICT (integration_id, entity, external_id) DO UPDATE SET data = excluded.data, hash = excluded.hash, updated_at = excluded.updated_at
             WHERE ${recordsTable}.hash <> excluded.hash
           RETURNING *, (xmax = 0) AS inserted`,
          [...key, json(input.data), contentHash(input.data), storeTimestamp()],
        );
        if (row !== undefined)
          return { outcome: row['inserted'] === true ? ('created' as const) : ('updated' as const), record: toDataRecord(row) };
        const unchanged = await one(
          operation,
          `SELECT * FROM ${recordsTable} WHERE integration_id = $1 AND entity = $2 AND external_id = $3`,
          key,
        );
        if (unchanged === undefined)
          throw storeNotFound(operation, `${input.entity} "${input.externalId}" of integration "${input.integrationId}"`);
        return { outcome: 'unchanged' as const, record: toDataRecord(unchanged) };
      },
      async get(integrationId, entity, externalId) {
        parseStoreInput(schemas.dataRecordKey, { integrationId, entity, externalId }, 'store.records.get');
        const row = await one(
          'store.records.get',
          `SELECT * FROM ${recordsTable} WHERE integration_id = $1 AND entity = $2 AND external_id = $3`,
          [integrationId, entity, externalId],
        );
        if (row === undefined) throw storeNotFound('store.records.get', `${entity} "${externalId}" of integration "${integrationId}"`);
        return toDataRecord(row);
      },
      async list(filter) {
        const input = parseStoreInput(schemas.dataRecordFilter, filter, 'store.records.list');
        const rows = await query(
          'store.records.list',
          `SELECT * FROM ${recordsTable} WHERE integration_id = $1 AND ($2::text IS NULL OR entity = $2) ORDER BY entity COLLATE "C", external_id COLLATE "C"`,
          [input.integrationId, input.entity ?? null],
        );
        return rows.map(toDataRecord);
      },
      async delete(integrationId, entity, externalId) {
        parseStoreInput(schemas.dataRecordKey, { integrationId, entity, externalId }, 'store.records.delete');
        const rows = await query(
          'store.records.delete',
          `DELETE FROM ${recordsTable} WHERE integration_id = $1 AND entity = $2 AND external_id = $3 RETURNING entity`,
          [integrationId, entity, externalId],
        );
        if (rows.length === 0) throw storeNotFound('store.records.delete', `${entity} "${externalId}" of integration "${integrationId}"`);
      },
    },

    checkpoints: {
      async get(integrationId, stream) {
        parseStoreInput(schemas.checkpointKey, { integrationId, stream }, 'store.checkpoints.get');
        const row = await one('store.checkpoints.get', `SELECT * FROM ${checkpointsTable} WHERE integration_id = $1 AND stream = $2`, [
          integrationId,
          stream,
        ]);
        return row === undefined ? undefined : toCheckpoint(row);
      },
      async put(checkpoint) {
        const input = parseStoreInput(schemas.checkpointWrite, checkpoint, 'store.checkpoints.put');
        const row = await written(
          'store.checkpoints.put',
          `INSERT INTO ${checkpointsTable} (integration_id, stream, cursor, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (integration_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
           RETURNING *`,
          [input.integrationId, input.stream, input.cursor, storeTimestamp()],
        );
        return toCheckpoint(row);
      },
      async list(integrationId) {
        const key = parseStoreInput(schemas.key, integrationId, 'store.checkpoints.list');
        return (
          await query('store.checkpoints.list', `SELECT * FROM ${checkpointsTable} WHERE integration_id = $1 ORDER BY stream COLLATE "C"`, [
            key,
          ])
        ).map(toCheckpoint);
      },
      async delete(integrationId, stream) {
        parseStoreInput(schemas.checkpointKey, { integrationId, stream }, 'store.checkpoints.delete');
        const rows = await query(
          'store.checkpoints.delete',
          `DELETE FROM ${checkpointsTable} WHERE integration_id = $1 AND stream = $2 RETURNING stream`,
          [integrationId, stream],
        );
        if (rows.length === 0) throw storeNotFound('store.checkpoints.delete', `checkpoint "${stream}" of integration "${integrationId}"`);
      },
    },

    webhookDeliveries: {
      async record(delivery) {
        const input = parseStoreInput(schemas.webhookDelivery, delivery, 'store.webhookDeliveries.record');
        const rows = await query(
          'store.webhookDeliveries.record',
          `INSERT INTO ${deliveriesTable} (provider_id, delivery_id, integration_id, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING delivery_id`,
          [input.providerId, input.deliveryId, input.integrationId ?? null, storeTimestamp()],
        );
        return rows.length === 1;
      },
      async has(providerId, deliveryId) {
        parseStoreInput(schemas.webhookDelivery, { providerId, deliveryId }, 'store.webhookDeliveries.has');
        return (
          (await one('store.webhookDeliveries.has', `SELECT 1 FROM ${deliveriesTable} WHERE provider_id = $1 AND delivery_id = $2`, [
            providerId,
            deliveryId,
          ])) !== undefined
        );
      },
    },

    sync: createPostgresSync(queries, table),
    events: createPostgresEvents(queries, table('events')),
    placements: createPostgresPlacements(queries, table),
    apiKeys: createPostgresApiKeys(queries, table('api_keys')),
    webhookSubscriptions: createPostgresWebhookSubscriptions(queries, table('webhook_subscriptions')),
    webhookOutbox: createPostgresWebhookOutbox(queries, table),
  };
}
