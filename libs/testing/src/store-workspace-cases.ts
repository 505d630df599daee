import type { Store } from '@switchyard/platform';
import { expect } from 'vitest';
import { expectIntegrationError } from './capability-client';
import { SEALED } from './store-credential-cases';
import type { StoreCase } from './store-suite';

const HASH = 'b'.repeat(64);

/** Fills one workspace through its view: an integration with a credential, a record and a checkpoint, an event, a key and a subscription. */
async function fill(view: Store, name: string): Promise<void> {
  await view.integrations.create({ id: `${name}-github`, providerId: 'github', name: `GitHub (${name})` });
  await view.credentials.put({ integrationId: `${name}-github`, field: 'token', ...SEALED });
  await view.records.upsert({ integrationId: `${name}-github`, entity: 'issue', externalId: '1', data: { title: `${name} issue` } });
  await view.checkpoints.put({ integrationId: `${name}-github`, stream: 'issues', cursor: `${name}-cursor` });
  await view.events.append({ type: 'integration.created', integrationId: `${name}-github`, payload: { by: name } });
  await view.apiKeys.create({
    id: `${name}-key`,
    workspaceId: 'ignored-the-view-decides',
    name: `${name} key`,
    scopes: ['read'],
    secretHash: HASH,
  });
  await view.webhookSubscriptions.create({
    id: `${name}-hook`,
    workspaceId: 'ignored-the-view-decides',
    url: `https://${name}.example/hooks`,
    eventTypes: ['*'],
  });
  await view.webhookOutbox.enqueue({
    id: `${name}-delivery`,
    subscriptionId: `${name}-hook`,
    workspaceId: name,
    eventType: 'x',
    payload: {},
  });
}

/** The workspace cases of the store contract: a view sees and changes only its own workspace's records. */
export function workspaceStoreCases(): StoreCase[] {
  return [
    {
      title: 'forWorkspace: each view sees only its workspace; the other’s records are not found and cannot be changed',
      run: async (store) => {
        const acme = store.forWorkspace('acme');
        const globex = store.forWorkspace('globex');
        await fill(acme, 'acme');
        await fill(globex, 'globex');

        expect((await acme.integrations.list()).map((integration) => [integration.id, integration.workspaceId])).toEqual([
          ['acme-github', 'acme'],
        ]);
        expect((await store.integrations.list()).map((integration) => integration.id).sort()).toEqual(['acme-github', 'globex-github']);
        expect((await store.integrations.list({ workspaceId: 'globex' })).map((integration) => integration.id)).toEqual(['globex-github']);
        expect((await acme.credentials.list()).map((credential) => credential.integrationId)).toEqual(['acme-github']);
        expect((await acme.events.listRecent()).map((event) => [event.type, event.workspaceId])).toEqual([['integration.created', 'acme']]);
        expect((await acme.apiKeys.list()).map((key) => [key.id, key.workspaceId])).toEqual([['acme-key', 'acme']]);
        expect((await acme.webhookSubscriptions.list()).map((hook) => [hook.id, hook.workspaceId])).toEqual([['acme-hook', 'acme']]);
        expect((await acme.webhookOutbox.list()).map((delivery) => delivery.id)).toEqual(['acme-delivery']);

        // Every way in to the other workspace's records is not_found, and nothing of it changes.
        const other = 'globex-github';
        await expectIntegrationError(acme.integrations.get(other), 'not_found', 'get');
        await expectIntegrationError(acme.integrations.update(other, { name: 'taken' }), 'not_found', 'update');
        await expectIntegrationError(acme.integrations.delete(other), 'not_found', 'delete');
        await expectIntegrationError(acme.credentials.get(other, 'token'), 'not_found', 'credentials.get');
        await expectIntegrationError(
          acme.credentials.put({ integrationId: other, field: 'token', ...SEALED }),
          'not_found',
          'credentials.put',
        );
        await expectIntegrationError(acme.credentials.list({ integrationId: other }), 'not_found', 'credentials.list');
        await expectIntegrationError(acme.credentials.delete(other, 'token'), 'not_found', 'credentials.delete');
        await expectIntegrationError(acme.records.get(other, 'issue', '1'), 'not_found', 'records.get');
        await expectIntegrationError(acme.records.list({ integrationId: other }), 'not_found', 'records.list');
        await expectIntegrationError(
          acme.records.upsert({ integrationId: other, entity: 'issue', externalId: '2', data: {} }),
          'not_found',
          'upsert',
        );
        await expectIntegrationError(acme.records.delete(other, 'issue', '1'), 'not_found', 'records.delete');
        await expectIntegrationError(acme.checkpoints.get(other, 'issues'), 'not_found', 'checkpoints.get');
        await expectIntegrationError(acme.checkpoints.put({ integrationId: other, stream: 'issues', cursor: 'x' }), 'not_found', 'put');
        await expectIntegrationError(acme.apiKeys.get('globex-key'), 'not_found', 'apiKeys.get');
        await expectIntegrationError(acme.apiKeys.update('globex-key', { revokedAt: '2030-01-01T00:00:00Z' }), 'not_found', 'revoke');
        await expectIntegrationError(acme.webhookSubscriptions.get('globex-hook'), 'not_found', 'webhookSubscriptions.get');
        await expectIntegrationError(acme.webhookSubscriptions.delete('globex-hook'), 'not_found', 'webhookSubscriptions.delete');
        await expectIntegrationError(acme.webhookOutbox.get('globex-delivery'), 'not_found', 'webhookOutbox.get');
        expect(() => acme.forWorkspace('globex')).toThrow();

        expect(await globex.integrations.get(other)).toMatchObject({ name: 'GitHub (globex)' });
        expect((await globex.credentials.get(other, 'token')).version).toBe(1);
        expect((await globex.checkpoints.get(other, 'issues'))?.cursor).toBe('globex-cursor');
        expect((await globex.apiKeys.get('globex-key')).revokedAt).toBeUndefined();
        expect(await globex.webhookSubscriptions.get('globex-hook')).toMatchObject({ workspaceId: 'globex' });
      },
    },
    {
      title: 'forWorkspace: integrations and events without a workspace belong to "default"',
      run: async (store) => {
        const created = await store.integrations.create({ id: 'plain', providerId: 'github', name: 'Plain' });
        expect(created.workspaceId).toBe('default');
        expect((await store.events.append({ type: 'x' })).workspaceId).toBe('default');
        expect((await store.forWorkspace('default').integrations.list()).map((integration) => integration.id)).toEqual(['plain']);
        expect(await store.forWorkspace('acme').integrations.list()).toEqual([]);
        await expectIntegrationError(
          store.forWorkspace('acme').integrations.get('plain'),
          'not_found',
          'the default workspace’s from acme',
        );
      },
    },
  ];
}
