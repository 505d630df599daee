import { IntegrationError } from '@switchyard/core';
import type { Store } from './store';
import { parseStoreInput, storeNotFound, storeSchemas as schemas } from './store-input';

/**
 * `store` as one workspace sees it, checked in code: every read and write of
 * a workspace-owned record first checks that it belongs to `workspaceId`
 * (another workspace's is `not_found`, exactly as a missing one), lists are
 * filtered, and what is created belongs to `workspaceId`. Integrations own
 * their credentials, synced records and checkpoints, so those are checked
 * through their integration. Every store's `forWorkspace` returns this; the
 * PostgreSQL store's also runs each query under row-level security, so a
 * mistake here still cannot cross workspaces there.
 *
 * Ids are unique across workspaces and a record's workspace never changes,
 * so checking ownership and then acting cannot race into another workspace.
 */
export function workspaceView(store: Store, workspaceId: string): Store {
  parseStoreInput(schemas.key, workspaceId, 'store.forWorkspace');

  async function ownIntegration(id: string, operation: string): Promise<void> {
    const record = await store.integrations.get(id);
    if (record.workspaceId !== workspaceId) throw storeNotFound(operation, `integration "${id}"`);
  }
  async function ownOwned(get: () => Promise<{ readonly workspaceId: string }>, operation: string, what: string): Promise<void> {
    const record = await get();
    if (record.workspaceId !== workspaceId) throw storeNotFound(operation, what);
  }
  const ownIntegrations = async (): Promise<Set<string>> =>
    new Set((await store.integrations.list({ workspaceId })).map((integration) => integration.id));

  const view: Store = {
    ...store,
    integrations: {
      create: (integration) => store.integrations.create({ ...integration, workspaceId }),
      get: async (id) => {
        await ownIntegration(id, 'store.integrations.get');
        return store.integrations.get(id);
      },
      list: (filter) => store.integrations.list({ ...filter, workspaceId }),
      update: async (id, changes) => {
        await ownIntegration(id, 'store.integrations.update');
        return store.integrations.update(id, changes);
      },
      delete: async (id) => {
        await ownIntegration(id, 'store.integrations.delete');
        return store.integrations.delete(id);
      },
    },
    credentials: {
      get: async (integrationId, field) => {
        await ownIntegration(integrationId, 'store.credentials.get');
        return store.credentials.get(integrationId, field);
      },
      put: async (credential) => {
        await ownIntegration(credential.integrationId, 'store.credentials.put');
        return store.credentials.put(credential);
      },
      list: async (filter) => {
        if (filter?.integrationId !== undefined) await ownIntegration(filter.integrationId, 'store.credentials.list');
        const owned = await ownIntegrations();
        return (await store.credentials.list(filter)).filter((credential) => owned.has(credential.integrationId));
      },
      delete: async (integrationId, field) => {
        await ownIntegration(integrationId, 'store.credentials.delete');
        return store.credentials.delete(integrationId, field);
      },
    },
    records: {
      upsert: async (record) => {
        await ownIntegration(record.integrationId, 'store.records.upsert');
        return store.records.upsert(record);
      },
      get: async (integrationId, entity, externalId) => {
        await ownIntegration(integrationId, 'store.records.get');
        return store.records.get(integrationId, entity, externalId);
      },
      list: async (filter) => {
        await ownIntegration(filter.integrationId, 'store.records.list');
        return store.records.list(filter);
      },
      delete: async (integrationId, entity, externalId) => {
        await ownIntegration(integrationId, 'store.records.delete');
        return store.records.delete(integrationId, entity, externalId);
      },
    },
    checkpoints: {
      get: async (integrationId, stream) => {
        await ownIntegration(integrationId, 'store.checkpoints.get');
        return store.checkpoints.get(integrationId, stream);
      },
      put: async (checkpoint) => {
        await ownIntegration(checkpoint.integrationId, 'store.checkpoints.put');
        return store.checkpoints.put(checkpoint);
      },
      list: async (integrationId) => {
        await ownIntegration(integrationId, 'store.checkpoints.list');
        return store.checkpoints.list(integrationId);
      },
      delete: async (integrationId, stream) => {
        await ownIntegration(integrationId, 'store.checkpoints.delete');
        return store.checkpoints.delete(integrationId, stream);
      },
    },
    sync: {
      acquireLease: async (integrationId, owner, ttlMs) => {
        await ownIntegration(integrationId, 'store.sync.acquireLease');
        return store.sync.acquireLease(integrationId, owner, ttlMs);
      },
      releaseLease: async (integrationId, owner) => {
        await ownIntegration(integrationId, 'store.sync.releaseLease');
        return store.sync.releaseLease(integrationId, owner);
      },
      getLease: async (integrationId) => {
        await ownIntegration(integrationId, 'store.sync.getLease');
        return store.sync.getLease(integrationId);
      },
      applyBatch: async (batch) => {
        await ownIntegration(batch.integrationId, 'store.sync.applyBatch');
        return store.sync.applyBatch(batch);
      },
      endPass: async (end) => {
        await ownIntegration(end.integrationId, 'store.sync.endPass');
        return store.sync.endPass(end);
      },
      listDeadLetters: async (integrationId, options) => {
        await ownIntegration(integrationId, 'store.sync.listDeadLetters');
        return store.sync.listDeadLetters(integrationId, options);
      },
      countRecords: async (integrationId, entity) => {
        await ownIntegration(integrationId, 'store.sync.countRecords');
        return store.sync.countRecords(integrationId, entity);
      },
    },
    events: {
      append: (event) => store.events.append({ ...event, workspaceId }),
      listRecent: (query) => store.events.listRecent({ ...query, workspaceId }),
      prune: (options) => store.events.prune({ ...options, workspaceId }),
    },
    apiKeys: {
      create: (key) => store.apiKeys.create({ ...key, workspaceId }),
      get: async (id) => {
        await ownOwned(() => store.apiKeys.get(id), 'store.apiKeys.get', `API key "${id}"`);
        return store.apiKeys.get(id);
      },
      list: (filter) => store.apiKeys.list({ ...filter, workspaceId }),
      update: async (id, changes) => {
        await ownOwned(() => store.apiKeys.get(id), 'store.apiKeys.update', `API key "${id}"`);
        return store.apiKeys.update(id, changes);
      },
      delete: async (id) => {
        await ownOwned(() => store.apiKeys.get(id), 'store.apiKeys.delete', `API key "${id}"`);
        return store.apiKeys.delete(id);
      },
    },
    webhookSubscriptions: {
      create: (subscription) => store.webhookSubscriptions.create({ ...subscription, workspaceId }),
      get: async (id) => {
        await ownOwned(() => store.webhookSubscriptions.get(id), 'store.webhookSubscriptions.get', `webhook subscription "${id}"`);
        return store.webhookSubscriptions.get(id);
      },
      list: (filter) => store.webhookSubscriptions.list({ ...filter, workspaceId }),
      update: async (id, changes) => {
        await ownOwned(() => store.webhookSubscriptions.get(id), 'store.webhookSubscriptions.update', `webhook subscription "${id}"`);
        return store.webhookSubscriptions.update(id, changes);
      },
      delete: async (id) => {
        await ownOwned(() => store.webhookSubscriptions.get(id), 'store.webhookSubscriptions.delete', `webhook subscription "${id}"`);
        return store.webhookSubscriptions.delete(id);
      },
    },
    webhookOutbox: {
      enqueue: (entry) => store.webhookOutbox.enqueue({ ...entry, workspaceId }),
      claimDue: () =>
        Promise.reject(
          new IntegrationError({
            kind: 'unsupported',
            message: 'store.webhookOutbox.claimDue: deliveries are claimed on the whole store by the dispatcher, not on a workspace view',
          }),
        ),
      recordAttempt: async (id, attempt) => {
        await ownOwned(() => store.webhookOutbox.get(id), 'store.webhookOutbox.recordAttempt', `webhook delivery "${id}"`);
        return store.webhookOutbox.recordAttempt(id, attempt);
      },
      get: async (id) => {
        await ownOwned(() => store.webhookOutbox.get(id), 'store.webhookOutbox.get', `webhook delivery "${id}"`);
        return store.webhookOutbox.get(id);
      },
      list: (query) => store.webhookOutbox.list({ ...query, workspaceId }),
    },
    forWorkspace: (other) => {
      if (other === workspaceId) return view;
      throw new IntegrationError({
        kind: 'validation',
        message: `store.forWorkspace: a view of workspace "${workspaceId}" cannot open "${other}"`,
      });
    },
    close: () => Promise.resolve(),
  };
  return view;
}
