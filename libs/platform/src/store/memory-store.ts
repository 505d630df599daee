import { randomUUID } from 'node:crypto';
import { createMemoryApiKeys } from './memory-api-keys';
import { createMemoryWebhooks } from './memory-webhooks';
import { createMemoryPlacements } from './memory-placements';
import { createMemorySync } from './memory-sync';
import { workspaceView } from './workspace-view';
import type { DefinitionRepository, Store } from './store';
import {
  contentHash,
  credentialVersionConflict,
  parseStoreInput,
  storeConflict,
  storeNotFound,
  storeSchemas as schemas,
  storeTimestamp,
} from './store-input';
import type {
  DataRecord,
  DefinitionRecord,
  IntegrationRecord,
  RegistryEntry,
  SealedCredential,
  StoredEvent,
  SyncCheckpoint,
} from './store-records';
import { byText, compositeKey, copy, run } from './memory-kit';

function createDefinitionRepository(kind: 'mappings' | 'mappingTemplates', label: string): DefinitionRepository {
  const definitions = new Map<string, DefinitionRecord>();
  const operation = (method: string) => `store.${kind}.${method}`;
  const find = (id: string, method: string): DefinitionRecord => {
    const found = definitions.get(parseStoreInput(schemas.key, id, operation(method)));
    if (found === undefined) throw storeNotFound(operation(method), `${label} "${id}"`);
    return found;
  };
  return {
    create: (definition) =>
      run(() => {
        const input = parseStoreInput(schemas.newDefinition, definition, operation('create'));
        const id = input.id ?? randomUUID();
        if (definitions.has(id)) throw storeConflict(operation('create'), `${label} "${id}" already exists`);
        const now = storeTimestamp();
        const record: DefinitionRecord = { id, name: input.name, definition: input.definition, createdAt: now, updatedAt: now };
        definitions.set(id, copy(record));
        return copy(record);
      }),
    get: (id) => run(() => copy(find(id, 'get'))),
    list: () =>
      run(() => copy([...definitions.values()].sort((left, right) => byText(left.name, right.name) || byText(left.id, right.id)))),
    update: (id, changes) =>
      run(() => {
        const input = parseStoreInput(schemas.definitionChanges, changes, operation('update'));
        const existing = find(id, 'update');
        const record: DefinitionRecord = {
          ...existing,
          name: input.name ?? existing.name,
          definition: input.definition ?? existing.definition,
          updatedAt: storeTimestamp(),
        };
        definitions.set(existing.id, copy(record));
        return copy(record);
      }),
    delete: (id) =>
      run(() => {
        definitions.delete(find(id, 'delete').id);
      }),
  };
}

/**
 * A {@link Store} in process memory: for tests, examples and hosts that keep
 * nothing between runs. Everything is lost when the process exits. Values
 * are copied in and out, so callers cannot change stored records by
 * mutating what they pass or get back.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * await store.integrations.create({ providerId: 'github', name: 'GitHub (acme)' });
 * ```
 */
export function createMemoryStore(): Store {
  const integrations = new Map<string, IntegrationRecord>();
  const registry = new Map<string, RegistryEntry>();
  const credentials = new Map<string, SealedCredential>();
  const records = new Map<string, DataRecord>();
  const checkpoints = new Map<string, SyncCheckpoint>();
  const deliveries = new Set<string>();
  const events: StoredEvent[] = [];
  let lastEventId = 0;

  const findIntegration = (id: string, operation: string): IntegrationRecord => {
    const found = integrations.get(parseStoreInput(schemas.key, id, operation));
    if (found === undefined) throw storeNotFound(operation, `integration "${id}"`);
    return found;
  };
  const { sync, forget } = createMemorySync({
    records,
    checkpoints,
    requireIntegration: (id, operation) => {
      findIntegration(id, operation);
    },
  });
  const removeWhere = <Value>(map: Map<string, Value>, matches: (value: Value) => boolean): void => {
    for (const [entryKey, value] of map) if (matches(value)) map.delete(entryKey);
  };

  const store: Store = {
    integrations: {
      create: (integration) =>
        run(() => {
          const input = parseStoreInput(schemas.newIntegration, integration, 'store.integrations.create');
          const id = input.id ?? randomUUID();
          if (integrations.has(id)) throw storeConflict('store.integrations.create', `integration "${id}" already exists`);
          const now = storeTimestamp();
          const record: IntegrationRecord = { ...input, id, createdAt: now, updatedAt: now };
          integrations.set(id, copy(record));
          return copy(record);
        }),
      get: (id) => run(() => copy(findIntegration(id, 'store.integrations.get'))),
      list: (filter) =>
        run(() => {
          const input = parseStoreInput(schemas.integrationFilter, filter, 'store.integrations.list');
          const matching = [...integrations.values()].filter(
            (record) =>
              (input.workspaceId === undefined || record.workspaceId === input.workspaceId) &&
              (input.providerId === undefined || record.providerId === input.providerId) &&
              (input.status === undefined || record.status === input.status),
          );
          return copy(matching.sort((left, right) => byText(left.createdAt, right.createdAt) || byText(left.id, right.id)));
        }),
      update: (id, changes) =>
        run(() => {
          const input = parseStoreInput(schemas.integrationChanges, changes, 'store.integrations.update');
          const existing = findIntegration(id, 'store.integrations.update');
          const record: IntegrationRecord = {
            ...existing,
            name: input.name ?? existing.name,
            settings: input.settings ?? existing.settings,
            status: input.status ?? existing.status,
            updatedAt: storeTimestamp(),
          };
          integrations.set(id, copy(record));
          return copy(record);
        }),
      delete: (id) =>
        run(() => {
          findIntegration(id, 'store.integrations.delete');
          integrations.delete(id);
          removeWhere(credentials, (record) => record.integrationId === id);
          removeWhere(records, (record) => record.integrationId === id);
          removeWhere(checkpoints, (record) => record.integrationId === id);
          forget(id);
        }),
    },

    registry: {
      put: (entry) =>
        run(() => {
          const input = parseStoreInput(schemas.newRegistryEntry, entry, 'store.registry.put');
          const now = storeTimestamp();
          const record: RegistryEntry = { ...input, createdAt: registry.get(input.providerId)?.createdAt ?? now, updatedAt: now };
          registry.set(input.providerId, copy(record));
          return copy(record);
        }),
      get: (providerId) =>
        run(() => {
          const found = registry.get(parseStoreInput(schemas.key, providerId, 'store.registry.get'));
          if (found === undefined) throw storeNotFound('store.registry.get', `provider "${providerId}"`);
          return copy(found);
        }),
      list: () => run(() => copy([...registry.values()].sort((left, right) => byText(left.providerId, right.providerId)))),
      delete: (providerId) =>
        run(() => {
          if (!registry.delete(parseStoreInput(schemas.key, providerId, 'store.registry.delete'))) {
            throw storeNotFound('store.registry.delete', `provider "${providerId}"`);
          }
        }),
    },

    credentials: {
      get: (integrationId, field) =>
        run(() => {
          parseStoreInput(schemas.credentialKey, { integrationId, field }, 'store.credentials.get');
          const found = credentials.get(compositeKey(integrationId, field));
          if (found === undefined) throw storeNotFound('store.credentials.get', `credential "${field}" of integration "${integrationId}"`);
          return copy(found);
        }),
      put: (credential) =>
        run(() => {
          const { expectedVersion, ...input } = parseStoreInput(schemas.credentialWrite, credential, 'store.credentials.put');
          findIntegration(input.integrationId, 'store.credentials.put');
          const recordKey = compositeKey(input.integrationId, input.field);
          const currentVersion = credentials.get(recordKey)?.version ?? 0;
          if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
            throw credentialVersionConflict(input.integrationId, input.field, expectedVersion, currentVersion);
          }
          const record: SealedCredential = { ...input, version: currentVersion + 1, updatedAt: storeTimestamp() };
          credentials.set(recordKey, copy(record));
          return copy(record);
        }),
      list: (filter) =>
        run(() => {
          const input = parseStoreInput(schemas.credentialFilter, filter, 'store.credentials.list');
          const matching = [...credentials.values()].filter(
            (record) =>
              (input.integrationId === undefined || record.integrationId === input.integrationId) &&
              (input.keyId === undefined || record.keyId === input.keyId),
          );
          return copy(matching.sort((left, right) => byText(left.integrationId, right.integrationId) || byText(left.field, right.field)));
        }),
      delete: (integrationId, field) =>
        run(() => {
          parseStoreInput(schemas.credentialKey, { integrationId, field }, 'store.credentials.delete');
          if (!credentials.delete(compositeKey(integrationId, field))) {
            throw storeNotFound('store.credentials.delete', `credential "${field}" of integration "${integrationId}"`);
          }
        }),
    },

    mappings: createDefinitionRepository('mappings', 'mapping'),
    mappingTemplates: createDefinitionRepository('mappingTemplates', 'mapping template'),

    records: {
      upsert: (record) =>
        run(() => {
          const input = parseStoreInput(schemas.dataRecordWrite, record, 'store.records.upsert');
          findIntegration(input.integrationId, 'store.records.upsert');
          const recordKey = compositeKey(input.integrationId, input.entity, input.externalId);
          const existing = records.get(recordKey);
          const hash = contentHash(input.data);
          if (existing?.hash === hash) return { outcome: 'unchanged' as const, record: copy(existing) };
          const now = storeTimestamp();
          const stored: DataRecord = { ...input, hash, createdAt: existing?.createdAt ?? now, updatedAt: now };
          records.set(recordKey, copy(stored));
          return { outcome: existing === undefined ? ('created' as const) : ('updated' as const), record: copy(stored) };
        }),
      get: (integrationId, entity, externalId) =>
        run(() => {
          parseStoreInput(schemas.dataRecordKey, { integrationId, entity, externalId }, 'store.records.get');
          const found = records.get(compositeKey(integrationId, entity, externalId));
          if (found === undefined) throw storeNotFound('store.records.get', `${entity} "${externalId}" of integration "${integrationId}"`);
          return copy(found);
        }),
      list: (filter) =>
        run(() => {
          const input = parseStoreInput(schemas.dataRecordFilter, filter, 'store.records.list');
          const matching = [...records.values()].filter(
            (record) => record.integrationId === input.integrationId && (input.entity === undefined || record.entity === input.entity),
          );
          return copy(matching.sort((left, right) => byText(left.entity, right.entity) || byText(left.externalId, right.externalId)));
        }),
      delete: (integrationId, entity, externalId) =>
        run(() => {
          parseStoreInput(schemas.dataRecordKey, { integrationId, entity, externalId }, 'store.records.delete');
          if (!records.delete(compositeKey(integrationId, entity, externalId))) {
            throw storeNotFound('store.records.delete', `${entity} "${externalId}" of integration "${integrationId}"`);
          }
        }),
    },

    checkpoints: {
      get: (integrationId, stream) =>
        run(() => {
          parseStoreInput(schemas.checkpointKey, { integrationId, stream }, 'store.checkpoints.get');
          const found = checkpoints.get(compositeKey(integrationId, stream));
          return found === undefined ? undefined : copy(found);
        }),
      put: (checkpoint) =>
        run(() => {
          const input = parseStoreInput(schemas.checkpointWrite, checkpoint, 'store.checkpoints.put');
          findIntegration(input.integrationId, 'store.checkpoints.put');
          const record: SyncCheckpoint = { ...input, updatedAt: storeTimestamp() };
          checkpoints.set(compositeKey(input.integrationId, input.stream), copy(record));
          return copy(record);
        }),
      list: (integrationId) =>
        run(() => {
          parseStoreInput(schemas.key, integrationId, 'store.checkpoints.list');
          const matching = [...checkpoints.values()].filter((record) => record.integrationId === integrationId);
          return copy(matching.sort((left, right) => byText(left.stream, right.stream)));
        }),
      delete: (integrationId, stream) =>
        run(() => {
          parseStoreInput(schemas.checkpointKey, { integrationId, stream }, 'store.checkpoints.delete');
          if (!checkpoints.delete(compositeKey(integrationId, stream))) {
            throw storeNotFound('store.checkpoints.delete', `checkpoint "${stream}" of integration "${integrationId}"`);
          }
        }),
    },

    webhookDeliveries: {
      record: (delivery) =>
        run(() => {
          const input = parseStoreInput(schemas.webhookDelivery, delivery, 'store.webhookDeliveries.record');
          const deliveryKey = compositeKey(input.providerId, input.deliveryId);
          if (deliveries.has(deliveryKey)) return false;
          deliveries.add(deliveryKey);
          return true;
        }),
      has: (providerId, deliveryId) =>
        run(() => {
          parseStoreInput(schemas.webhookDelivery, { providerId, deliveryId }, 'store.webhookDeliveries.has');
          return deliveries.has(compositeKey(providerId, deliveryId));
        }),
    },

    events: {
      append: (event) =>
        run(() => {
          const input = parseStoreInput(schemas.newEvent, event, 'store.events.append');
          lastEventId += 1;
          const stored: StoredEvent = { id: lastEventId, ...input, integrationId: input.integrationId, occurredAt: storeTimestamp() };
          events.push(copy(stored));
          return copy(stored);
        }),
      listRecent: (query) =>
        run(() => {
          const input = parseStoreInput(schemas.recentEventsQuery, query, 'store.events.listRecent');
          // Timestamps are all `toISOString()` (UTC, to the millisecond), so they compare as text.
          const matching = events.filter(
            (event) =>
              (input.type === undefined || event.type === input.type) &&
              (input.workspaceId === undefined || event.workspaceId === input.workspaceId) &&
              (input.integrationId === undefined || event.integrationId === input.integrationId) &&
              (input.since === undefined || event.occurredAt >= input.since) &&
              (input.until === undefined || event.occurredAt < input.until),
          );
          return copy(matching.slice(-input.limit).reverse());
        }),
      prune: (options) =>
        run(() => {
          const input = parseStoreInput(schemas.eventPrune, options, 'store.events.prune');
          // In place: a spread of a long log into splice() would overflow the stack.
          let kept = 0;
          for (const event of events) {
            if (event.occurredAt >= input.olderThan || (input.workspaceId !== undefined && event.workspaceId !== input.workspaceId)) {
              events[kept] = event;
              kept += 1;
            }
          }
          const deleted = events.length - kept;
          events.length = kept;
          return deleted;
        }),
    },

    sync,
    placements: createMemoryPlacements(),
    apiKeys: createMemoryApiKeys(),
    ...createMemoryWebhooks(),

    forWorkspace: (workspaceId) => workspaceView(store, workspaceId),
    close: () => Promise.resolve(),
  };
  return store;
}
