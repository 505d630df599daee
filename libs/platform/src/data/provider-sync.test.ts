import { createHub, type Hub } from '@switchyard/core';
import { createMemoryIssuesProvider } from '@switchyard/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import type { Store } from '../store/store';
import type { JsonObject, JsonValue } from '../store/store-records';
import { syncBetweenProviders, type ProviderSyncOptions } from './provider-sync';

const PROJECT = 'acme/website';
/** A string field of a record, `''` when it is not a string. */
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const marker = (sourceId: string) => `<!-- synced-from:${sourceId} -->`;

interface Listed {
  issues: Array<{ id: string; title: string; body: string; state: string }>;
}

async function list(hub: Hub, provider: string): Promise<Listed['issues']> {
  const { value } = await hub.execute(
    { capability: 'issues', operation: 'searchIssues', input: { project: PROJECT, state: 'all', limit: 100 } },
    { only: [provider] },
  );
  return (value as Listed).issues;
}

/** A store whose next link completion (a link with a target id) fails, as a crash right after the target write would. */
function crashingStore(store: Store): Store & { crashNextCompletion(): void } {
  let crash = false;
  const records = {
    ...store.records,
    upsert: async (record: Parameters<Store['records']['upsert']>[0]) => {
      if (crash && record.data['targetId'] !== undefined) {
        crash = false;
        throw new Error('the process died');
      }
      return store.records.upsert(record);
    },
  };
  return Object.assign(Object.create(store) as Store, { records, crashNextCompletion: () => void (crash = true) });
}

async function setUp(count: number) {
  const hub = createHub({
    providers: [createMemoryIssuesProvider({ id: 'source' }), createMemoryIssuesProvider({ id: 'target' })],
    routing: { retry: { retries: 0 } },
  });
  for (let index = 1; index <= count; index += 1) {
    await hub.execute(
      { capability: 'issues', operation: 'createIssue', input: { project: PROJECT, title: `Issue ${index}`, body: `body ${index}` } },
      { only: ['source'] },
    );
  }
  const store = crashingStore(createMemoryStore());
  const integration = await store.integrations.create({ providerId: 'source', name: 'source → target' });
  const options = (overrides: Partial<ProviderSyncOptions> = {}): ProviderSyncOptions => ({
    hub,
    store,
    integrationId: integration.id,
    entity: 'issue-link',
    from: {
      provider: 'source',
      capability: 'issues',
      listOperation: 'searchIssues',
      input: { project: PROJECT, state: 'all' },
      items: 'issues',
      pageSize: 2,
    },
    to: {
      provider: 'target',
      capability: 'issues',
      create: {
        operation: 'createIssue',
        input: (issue: JsonObject, { sourceId }) => ({
          project: PROJECT,
          title: text(issue['title']),
          body: `${text(issue['body'])}\n${marker(sourceId)}`,
        }),
      },
      update: {
        operation: 'updateIssue',
        input: (issue: JsonObject, issueId, { sourceId }) => ({
          project: PROJECT,
          issueId,
          title: text(issue['title']),
          body: `${text(issue['body'])}\n${marker(sourceId)}`,
        }),
      },
      find: async ({ sourceId }) => (await list(hub, 'target')).find((issue) => issue.body.endsWith(marker(sourceId)))?.id,
    },
    mapping: { toInternal: (issue) => ({ ok: true, record: { title: text(issue['title']), body: text(issue['body']) } }) },
    ...overrides,
  });
  return { hub, store, integration, options };
}

describe('syncBetweenProviders', () => {
  it('creates every record once, creates nothing on a re-run, and updates only what changed', async () => {
    const { hub, store, integration, options } = await setUp(5);
    expect(await syncBetweenProviders(options())).toMatchObject({ read: 5, created: 5, updated: 0, unchanged: 0, failed: 0 });
    expect((await list(hub, 'target')).map((issue) => issue.title).sort()).toEqual(['Issue 1', 'Issue 2', 'Issue 3', 'Issue 4', 'Issue 5']);
    expect((await store.records.get(integration.id, 'issue-link', '3')).data).toMatchObject({ targetId: expect.any(String) as unknown });

    expect(await syncBetweenProviders(options())).toMatchObject({ read: 5, created: 0, updated: 0, unchanged: 5 });
    expect(await list(hub, 'target')).toHaveLength(5);

    await hub.execute(
      { capability: 'issues', operation: 'updateIssue', input: { project: PROJECT, issueId: '2', title: 'Renamed' } },
      { only: ['source'] },
    );
    expect(await syncBetweenProviders(options())).toMatchObject({ created: 0, updated: 1, unchanged: 4 });
    const linked = (await store.records.get(integration.id, 'issue-link', '2')).data['targetId'] as string;
    expect((await list(hub, 'target')).find((issue) => issue.id === linked)?.title).toBe('Renamed');
  });

  it('finds a record created just before a crash by its marker, instead of creating it twice', async () => {
    const { hub, store, options } = await setUp(3);
    store.crashNextCompletion();
    const crashed = await syncBetweenProviders(options());
    expect(crashed).toMatchObject({ created: 2, failed: 1 });
    expect(await list(hub, 'target'), 'the target holds the record whose link was not completed').toHaveLength(3);

    expect(await syncBetweenProviders(options())).toMatchObject({ created: 0, recovered: 1, unchanged: 2 });
    expect(await list(hub, 'target')).toHaveLength(3);
    expect(await syncBetweenProviders(options())).toMatchObject({ created: 0, recovered: 0, unchanged: 3 });
  });

  it('without a way to find records, creates again after a crash: at least once, never lost', async () => {
    const { hub, store, options } = await setUp(2);
    const base = options();
    const withoutFind = options({ to: { ...base.to, find: undefined } });
    store.crashNextCompletion();
    expect(await syncBetweenProviders(withoutFind)).toMatchObject({ created: 1, failed: 1 });
    expect(await syncBetweenProviders(withoutFind)).toMatchObject({ created: 1, unchanged: 1 });
    expect(await list(hub, 'target'), 'one duplicate, as documented').toHaveLength(3);
  });

  it('counts records the mapping or the target refuses as failed, with the reason, and goes on', async () => {
    const { options } = await setUp(3);
    const summary = await syncBetweenProviders(
      options({
        mapping: {
          toInternal: (issue) =>
            issue['id'] === '1'
              ? { ok: false, errors: [{ field: 'title', rule: 'required', message: 'is required but missing' }] }
              : { ok: true, record: { title: issue['id'] === '2' ? '   ' : text(issue['title']), body: '' } },
        },
      }),
    );
    expect(summary).toMatchObject({ read: 3, created: 1, failed: 2 });
    const failures = [...summary.failures].sort((left, right) => String(left.sourceId).localeCompare(String(right.sourceId)));
    expect(failures).toEqual([
      { sourceId: '1', message: 'title: required: is required but missing' },
      { sourceId: '2', message: 'Invalid input for issues.createIssue: title: must not be empty' },
    ]);
  });

  it('refuses to run while another run holds the integration’s lease', async () => {
    const { store, integration, options } = await setUp(1);
    await store.sync.acquireLease(integration.id, 'someone-else', 60_000);
    await expect(syncBetweenProviders(options())).rejects.toMatchObject({ kind: 'conflict', details: { busy: true } });
  });
});
