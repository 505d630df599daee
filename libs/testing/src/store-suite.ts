import type { Store } from '@switchyard/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { expectIntegrationError } from './capability-client';
import { createIntegration, credentialStoreCases, SEALED } from './store-credential-cases';
import { apiKeyStoreCases } from './store-api-key-cases';
import { workspaceStoreCases } from './store-workspace-cases';
import { placementStoreCases } from './store-placement-cases';
import { syncStoreCases } from './store-sync-cases';
import { eventStoreCases } from './store-event-cases';
import { webhookStoreCases } from './store-webhook-cases';
import { expectRecent } from './suite-helpers';

/** Options for {@link testStore} and {@link storeContractCases}. */
export interface TestStoreOptions {
  /** Builds a fresh, empty store; called once per test. */
  readonly create: () => Promise<Store>;
  /** Releases a store after its test. Default: `store.close()`. */
  readonly destroy?: (store: Store) => Promise<void>;
  /** The `describe` title. Default: `'store contract'`. */
  readonly name?: string;
  /** Extra tests to run inside the suite's `describe` block. */
  readonly additionalTests?: () => void;
}

/** One test of the store contract: a title and a body that runs against a fresh store. */
export interface StoreCase {
  readonly title: string;
  readonly run: (store: Store) => Promise<void>;
}

const pause = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/**
 * The test cases of the store contract, for {@link testStore} or to run by
 * hand (e.g. to check that the suite catches a broken store). Every case
 * expects a fresh, empty store.
 */
export function storeContractCases(): StoreCase[] {
  return [
    {
      title: 'integrations: creates, gets, updates and deletes an integration',
      run: async (store) => {
        const created = await store.integrations.create({
          id: 'acme-github',
          providerId: 'github',
          name: 'Acme',
          settings: { org: 'acme', retries: [1, 2] },
        });
        expect(created).toMatchObject({
          id: 'acme-github',
          providerId: 'github',
          name: 'Acme',
          status: 'active',
          settings: { org: 'acme', retries: [1, 2] },
        });
        expectRecent(created.createdAt, 'createdAt');
        expect(await store.integrations.get('acme-github')).toEqual(created);
        await pause(2);
        const updated = await store.integrations.update('acme-github', { status: 'paused', settings: { org: 'acme-inc' } });
        expect(updated).toMatchObject({ name: 'Acme', status: 'paused', settings: { org: 'acme-inc' }, createdAt: created.createdAt });
        expect(updated.updatedAt > created.updatedAt, 'updatedAt moves forward').toBe(true);
        expect(await store.integrations.get('acme-github')).toEqual(updated);
        await store.integrations.delete('acme-github');
        await expectIntegrationError(store.integrations.get('acme-github'), 'not_found', 'get after delete');
      },
    },
    {
      title: 'integrations: defaults the id to a unique one and the settings to {}',
      run: async (store) => {
        const first = await store.integrations.create({ providerId: 'slack', name: 'Slack' });
        const second = await store.integrations.create({ providerId: 'slack', name: 'Slack' });
        expect(first.id).not.toBe(second.id);
        expect(first.settings).toEqual({});
      },
    },
    {
      title: 'integrations: reports not_found, conflict and validation errors',
      run: async (store) => {
        await createIntegration(store, 'a');
        await expectIntegrationError(createIntegration(store, 'a'), 'conflict', 'create with a taken id');
        await expectIntegrationError(store.integrations.get('missing'), 'not_found', 'get');
        await expectIntegrationError(store.integrations.update('missing', { name: 'x' }), 'not_found', 'update');
        await expectIntegrationError(store.integrations.delete('missing'), 'not_found', 'delete');
        await expectIntegrationError(store.integrations.create({ providerId: '', name: 'x' }), 'validation', 'empty provider id');
        const badStatus = { providerId: 'github', name: 'x', status: 'sleeping' } as unknown as Parameters<
          Store['integrations']['create']
        >[0];
        await expectIntegrationError(store.integrations.create(badStatus), 'validation', 'unknown status');
        await expectIntegrationError(
          store.integrations.update('a', { settings: 'nope' as never }),
          'validation',
          'settings that are not an object',
        );
        expect((await store.integrations.get('a')).name).toBe('Integration a');
      },
    },
    {
      title: 'integrations: lists oldest first and filters by provider and status',
      run: async (store) => {
        for (const [id, providerId] of [
          ['c', 'github'],
          ['a', 'slack'],
          ['b', 'github'],
        ] as const) {
          await createIntegration(store, id, providerId);
          await pause(2);
        }
        await store.integrations.update('b', { status: 'disabled' });
        expect((await store.integrations.list()).map((record) => record.id)).toEqual(['c', 'a', 'b']);
        expect((await store.integrations.list({ providerId: 'github' })).map((record) => record.id)).toEqual(['c', 'b']);
        expect((await store.integrations.list({ providerId: 'github', status: 'disabled' })).map((record) => record.id)).toEqual(['b']);
        expect(await store.integrations.list({ providerId: 'jira' })).toEqual([]);
      },
    },
    {
      title: 'integrations: returns copies, so changing a result does not change the store',
      run: async (store) => {
        const created = await store.integrations.create({ id: 'a', providerId: 'github', name: 'A', settings: { org: 'acme' } });
        (created.settings as Record<string, unknown>)['org'] = 'changed';
        expect((await store.integrations.get('a')).settings).toEqual({ org: 'acme' });
      },
    },
    {
      title: 'registry: registers, replaces, lists by provider id and removes provider packages',
      run: async (store) => {
        const first = await store.registry.put({
          providerId: 'slack',
          packageName: '@switchyard/slack',
          version: '1.0.0',
          manifest: { category: 'messaging' },
        });
        await store.registry.put({ providerId: 'github', packageName: '@switchyard/github', version: '2.0.0' });
        await pause(2);
        const replaced = await store.registry.put({ providerId: 'slack', packageName: '@switchyard/slack', version: '1.1.0' });
        expect(replaced).toMatchObject({ version: '1.1.0', manifest: {}, createdAt: first.createdAt });
        expect(await store.registry.get('slack')).toEqual(replaced);
        expect((await store.registry.list()).map((entry) => `${entry.providerId}@${entry.version}`)).toEqual([
          'github@2.0.0',
          'slack@1.1.0',
        ]);
        await store.registry.delete('slack');
        await expectIntegrationError(store.registry.get('slack'), 'not_found', 'get after delete');
        await expectIntegrationError(store.registry.delete('slack'), 'not_found', 'delete twice');
        await expectIntegrationError(
          store.registry.put({ providerId: 'x', packageName: '', version: '1' }),
          'validation',
          'empty package name',
        );
      },
    },
    ...credentialStoreCases(),
    ...(['mappings', 'mappingTemplates'] as const).map((repository): StoreCase => ({
      title: `${repository}: creates, gets, lists by name, updates and deletes definitions`,
      run: async (store) => {
        const definitions = store[repository];
        const created = await definitions.create({ id: 'm1', name: 'zeta', definition: { title: '$.name', tags: ['a'] } });
        await definitions.create({ id: 'm2', name: 'alpha', definition: {} });
        expect(created).toMatchObject({ id: 'm1', name: 'zeta', definition: { title: '$.name', tags: ['a'] } });
        expect(await definitions.get('m1')).toEqual(created);
        expect((await definitions.list()).map((record) => record.id)).toEqual(['m2', 'm1']);
        const updated = await definitions.update('m1', { definition: { title: '$.title' } });
        expect(updated).toMatchObject({ name: 'zeta', definition: { title: '$.title' }, createdAt: created.createdAt });
        await expectIntegrationError(definitions.create({ id: 'm1', name: 'again', definition: {} }), 'conflict', 'a taken id');
        await expectIntegrationError(definitions.create({ name: 'x', definition: [] as never }), 'validation', 'an array definition');
        await definitions.delete('m1');
        await expectIntegrationError(definitions.get('m1'), 'not_found', 'get after delete');
        await expectIntegrationError(definitions.update('m1', { name: 'x' }), 'not_found', 'update after delete');
        await expectIntegrationError(definitions.delete('m1'), 'not_found', 'delete twice');
        const other = repository === 'mappings' ? store.mappingTemplates : store.mappings;
        expect(await other.list(), 'mappings and templates are kept apart').toEqual([]);
      },
    })),
    {
      title: 'records: upserts idempotently and changes the hash only when the content changes',
      run: async (store) => {
        await createIntegration(store, 'a');
        const write = { integrationId: 'a', entity: 'issue', externalId: '42', data: { title: 'Bug', labels: ['p1'] } };
        const created = await store.records.upsert(write);
        expect(created.outcome).toBe('created');
        expect(created.record.hash).toMatch(/^[0-9a-f]{64}$/);
        const again = await store.records.upsert({ ...write, data: { labels: ['p1'], title: 'Bug' } });
        expect(again).toEqual({ outcome: 'unchanged', record: created.record });
        await pause(2);
        const changed = await store.records.upsert({ ...write, data: { title: 'Bug', labels: ['p2'] } });
        expect(changed.outcome).toBe('updated');
        expect(changed.record.hash).not.toBe(created.record.hash);
        expect(changed.record).toMatchObject({ createdAt: created.record.createdAt, data: { labels: ['p2'] } });
        expect(changed.record.updatedAt > created.record.updatedAt).toBe(true);
        expect(await store.records.list({ integrationId: 'a' })).toEqual([changed.record]);
        expect(await store.records.get('a', 'issue', '42')).toEqual(changed.record);
      },
    },
    {
      title: 'records: lists by entity and external id, keeps integrations apart and deletes',
      run: async (store) => {
        await createIntegration(store, 'a');
        await createIntegration(store, 'b');
        for (const [entity, externalId] of [
          ['issue', '2'],
          ['comment', '9'],
          ['issue', '1'],
        ] as const) {
          await store.records.upsert({ integrationId: 'a', entity, externalId, data: { entity, externalId } });
        }
        await store.records.upsert({ integrationId: 'b', entity: 'issue', externalId: '1', data: { other: true } });
        const keys = (records: { entity: string; externalId: string }[]) =>
          records.map((record) => `${record.entity}/${record.externalId}`);
        expect(keys(await store.records.list({ integrationId: 'a' }))).toEqual(['comment/9', 'issue/1', 'issue/2']);
        expect(keys(await store.records.list({ integrationId: 'a', entity: 'issue' }))).toEqual(['issue/1', 'issue/2']);
        expect((await store.records.get('b', 'issue', '1')).data).toEqual({ other: true });
        await store.records.delete('a', 'issue', '1');
        await expectIntegrationError(store.records.get('a', 'issue', '1'), 'not_found', 'get after delete');
        await expectIntegrationError(store.records.delete('a', 'issue', '1'), 'not_found', 'delete twice');
        expect((await store.records.get('b', 'issue', '1')).data, "the other integration's record stays").toEqual({ other: true });
        await expectIntegrationError(
          store.records.upsert({ integrationId: 'missing', entity: 'issue', externalId: '1', data: {} }),
          'not_found',
          'unknown integration',
        );
        await expectIntegrationError(
          store.records.upsert({ integrationId: 'a', entity: '', externalId: '1', data: {} }),
          'validation',
          'empty entity',
        );
      },
    },
    {
      title: 'checkpoints: overwrites the cursor per stream and returns undefined before the first sync',
      run: async (store) => {
        await createIntegration(store, 'a');
        await createIntegration(store, 'b');
        expect(await store.checkpoints.get('a', 'issues')).toBeUndefined();
        await store.checkpoints.put({ integrationId: 'a', stream: 'issues', cursor: 'page-1' });
        const second = await store.checkpoints.put({ integrationId: 'a', stream: 'issues', cursor: 'page-2' });
        await store.checkpoints.put({ integrationId: 'a', stream: 'comments', cursor: '' });
        await store.checkpoints.put({ integrationId: 'b', stream: 'issues', cursor: 'b-1' });
        expect(second).toMatchObject({ integrationId: 'a', stream: 'issues', cursor: 'page-2' });
        expect(await store.checkpoints.get('a', 'issues')).toEqual(second);
        expect((await store.checkpoints.list('a')).map((checkpoint) => `${checkpoint.stream}=${checkpoint.cursor}`)).toEqual([
          'comments=',
          'issues=page-2',
        ]);
        await store.checkpoints.delete('a', 'issues');
        expect(await store.checkpoints.get('a', 'issues')).toBeUndefined();
        expect((await store.checkpoints.get('b', 'issues'))?.cursor).toBe('b-1');
        await expectIntegrationError(store.checkpoints.delete('a', 'issues'), 'not_found', 'delete twice');
        await expectIntegrationError(
          store.checkpoints.put({ integrationId: 'missing', stream: 's', cursor: 'c' }),
          'not_found',
          'unknown integration',
        );
      },
    },
    {
      title: 'integrations: deleting one deletes its credentials, records and checkpoints, and no other',
      run: async (store) => {
        for (const id of ['a', 'b']) {
          await createIntegration(store, id);
          await store.credentials.put({ integrationId: id, field: 'apiKey', ...SEALED });
          await store.records.upsert({ integrationId: id, entity: 'issue', externalId: '1', data: {} });
          await store.checkpoints.put({ integrationId: id, stream: 'issues', cursor: 'c' });
        }
        await store.integrations.delete('a');
        await createIntegration(store, 'a');
        expect(await store.credentials.list({ integrationId: 'a' })).toEqual([]);
        expect(await store.records.list({ integrationId: 'a' })).toEqual([]);
        expect(await store.checkpoints.list('a')).toEqual([]);
        expect(await store.credentials.list({ integrationId: 'b' })).toHaveLength(1);
        expect(await store.records.list({ integrationId: 'b' })).toHaveLength(1);
        expect(await store.checkpoints.list('b')).toHaveLength(1);
      },
    },
    {
      title: 'webhook deliveries: records a delivery id once per provider',
      run: async (store) => {
        expect(await store.webhookDeliveries.has('github', 'd-1')).toBe(false);
        expect(await store.webhookDeliveries.record({ providerId: 'github', deliveryId: 'd-1' })).toBe(true);
        expect(await store.webhookDeliveries.record({ providerId: 'github', deliveryId: 'd-1', integrationId: 'a' })).toBe(false);
        expect(await store.webhookDeliveries.record({ providerId: 'slack', deliveryId: 'd-1' })).toBe(true);
        expect(await store.webhookDeliveries.has('github', 'd-1')).toBe(true);
        const racing = await Promise.all([1, 2, 3].map(() => store.webhookDeliveries.record({ providerId: 'github', deliveryId: 'd-2' })));
        expect(racing.filter(Boolean), 'concurrent duplicates: exactly one is new').toHaveLength(1);
        await expectIntegrationError(
          store.webhookDeliveries.record({ providerId: 'github', deliveryId: '' }),
          'validation',
          'empty delivery id',
        );
      },
    },
    {
      title: 'events: lists the most recent first, limited and filtered',
      run: async (store) => {
        expect(await store.events.listRecent()).toEqual([]);
        const appended = [];
        for (let index = 1; index <= 5; index += 1) {
          appended.push(
            await store.events.append({
              type: index % 2 === 0 ? 'sync.completed' : 'webhook.received',
              integrationId: index <= 3 ? 'a' : 'b',
              payload: { index },
            }),
          );
        }
        expect(appended[0]).toMatchObject({ type: 'webhook.received', integrationId: 'a', payload: { index: 1 } });
        expectRecent(appended[0]?.occurredAt ?? '', 'occurredAt');
        expect(appended.map((event) => event.id)).toEqual([...appended.map((event) => event.id)].sort((left, right) => left - right));
        const indexes = (events: { payload: Record<string, unknown> }[]) => events.map((event) => event.payload['index']);
        expect(indexes(await store.events.listRecent())).toEqual([5, 4, 3, 2, 1]);
        expect(indexes(await store.events.listRecent({ limit: 2 }))).toEqual([5, 4]);
        expect(indexes(await store.events.listRecent({ type: 'sync.completed' }))).toEqual([4, 2]);
        expect(indexes(await store.events.listRecent({ integrationId: 'a', limit: 2 }))).toEqual([3, 2]);
        const bare = await store.events.append({ type: 'hub.started' });
        expect(bare).toMatchObject({ payload: {} });
        expect(bare.integrationId).toBeUndefined();
        await expectIntegrationError(store.events.listRecent({ limit: 0 }), 'validation', 'a limit of 0');
        await expectIntegrationError(store.events.append({ type: '' }), 'validation', 'an empty type');
      },
    },
    ...placementStoreCases(),
    ...apiKeyStoreCases(),
    ...workspaceStoreCases(),
    ...webhookStoreCases(),
    ...syncStoreCases(),
    ...eventStoreCases(),
  ];
}

/**
 * The store contract suite: one vitest `describe`, one `it` per case of
 * {@link storeContractCases}, each against a fresh store from `create`,
 * destroyed afterwards. Every `Store` implementation runs it.
 *
 * @example
 * ```ts
 * testStore({ create: () => Promise.resolve(createMemoryStore()) });
 * ```
 */
export function testStore(options: TestStoreOptions): void {
  const destroy = options.destroy ?? ((store: Store) => store.close());
  describe(options.name ?? 'store contract', () => {
    const open: Store[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => destroy(store)));
    });
    for (const storeCase of storeContractCases()) {
      it(storeCase.title, async () => {
        const store = await options.create();
        open.push(store);
        await storeCase.run(store);
      });
    }
    options.additionalTests?.();
  });
}
