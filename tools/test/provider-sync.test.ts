/**
 * Issue 18 on real peers: GitHub issues mirrored into GitLab through one hub
 * (idempotent re-runs, updates of what changed, recovery after a crash
 * between the GitLab write and its link), and deletion detection of the sync
 * service against the GitHub and GitLab wire-protocol fakes, into SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, type Hub } from '@switchyard/core';
import { createGithub } from '@switchyard/github';
import { startGithubTestServer, type GithubTestServer } from '@switchyard/github/testing';
import { createGitlab } from '@switchyard/gitlab';
import { startGitlabTestServer, type GitlabTestServer } from '@switchyard/gitlab/testing';
import {
  compileMapping,
  createSyncService,
  hubListSource,
  syncBetweenProviders,
  type JsonObject,
  type JsonValue,
  type ProviderSyncOptions,
  type Store,
} from '@switchyard/platform';
import { createSqliteStore } from '@switchyard/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface ListedIssue {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly state: string;
  readonly labels: readonly string[];
}

let github: GithubTestServer;
let gitlab: GitlabTestServer;
let hub: Hub;
let directory: string;
let store: Store;

beforeEach(async () => {
  [github, gitlab] = await Promise.all([startGithubTestServer(), startGitlabTestServer()]);
  hub = createHub({
    providers: [
      createGithub({ baseURL: github.url, token: github.token }),
      createGitlab({ baseURL: gitlab.url, token: gitlab.token, allowPrivateNetwork: true }),
    ],
    routing: { retry: { retries: 0 } },
  });
  directory = mkdtempSync(join(tmpdir(), 'switchyard-provider-sync-'));
  store = createSqliteStore({ path: join(directory, 'switchyard.db') });
});

afterEach(async () => {
  await hub?.close();
  await store?.close();
  await Promise.all([github?.stop(), gitlab?.stop()]);
  rmSync(directory, { recursive: true, force: true });
});

const call = async (provider: string, operation: string, input: JsonObject): Promise<JsonObject> =>
  (await hub.execute({ capability: 'issues', operation, input }, { only: [provider] })).value as JsonObject;

async function listIssues(provider: string, project: string): Promise<ListedIssue[]> {
  const issues: ListedIssue[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(provider, 'searchIssues', { project, state: 'all', limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    issues.push(...(page['issues'] as unknown as ListedIssue[]));
    cursor = page['nextCursor'] as string | undefined;
  } while (cursor !== undefined);
  return issues;
}

async function openGithubIssues(count: number): Promise<void> {
  for (let index = 1; index <= count; index += 1) {
    await call('github', 'createIssue', { project: github.repository, title: `Bug ${index}`, body: `Steps ${index}`, labels: ['bug'] });
  }
}

/** GitHub issue (capability shape) → GitLab issue fields, in JSONata: the body says where the issue came from. */
const githubToGitlab = compileMapping({
  integrationType: 'github',
  entity: 'issue',
  fields: [
    { externalField: 'title', internalField: 'title', type: 'string', required: true },
    { externalField: 'body', internalField: 'body', type: 'string', transform: '$trim(value) & "\\n\\nMirrored from " & record.url' },
    { externalField: 'labels', internalField: 'labels', type: 'array', default: [] },
    { externalField: 'state', internalField: 'state', type: 'string' },
  ],
});

/** A string field of a record, `''` when it is not a string. */
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');

/** What the GitLab copy carries so that a lost link can be found again: an HTML comment, invisible when rendered. */
const marker = (sourceId: string) => `<!-- switchyard-source: github#${sourceId} -->`;

async function mirrorOptions(): Promise<ProviderSyncOptions> {
  const integration = await store.integrations.create({ providerId: 'github', name: 'GitHub → GitLab' });
  const project = gitlab.project;
  const body = (record: JsonObject, sourceId: string) => `${text(record['body'])}\n\n${marker(sourceId)}`;
  return {
    hub,
    store,
    integrationId: integration.id,
    entity: 'issue-link',
    mapping: githubToGitlab,
    from: {
      provider: 'github',
      capability: 'issues',
      listOperation: 'searchIssues',
      input: { project: github.repository, state: 'all' },
      items: 'issues',
      pageSize: 2,
    },
    to: {
      provider: 'gitlab',
      capability: 'issues',
      create: {
        operation: 'createIssue',
        input: (record, { sourceId }) => ({
          project,
          title: text(record['title']),
          body: body(record, sourceId),
          labels: record['labels'] ?? [],
        }),
      },
      update: {
        operation: 'updateIssue',
        input: (record, issueId, { sourceId }) => ({
          project,
          issueId,
          title: text(record['title']),
          body: body(record, sourceId),
          labels: record['labels'] ?? [],
          state: record['state'] ?? 'open',
        }),
      },
      find: async ({ sourceId }) => {
        const found = await call('gitlab', 'searchIssues', { project, query: `switchyard-source: github#${sourceId}`, state: 'all' });
        return (found['issues'] as unknown as ListedIssue[]).find((issue) => issue.body.endsWith(marker(sourceId)))?.id;
      },
    },
  };
}

describe('GitHub issues mirrored into GitLab through the hub', () => {
  it('creates each issue once, creates nothing on a re-run, and updates only the issue that changed', async () => {
    await openGithubIssues(5);
    const seeded = (await listIssues('gitlab', gitlab.project)).length;
    const options = await mirrorOptions();

    expect(await syncBetweenProviders(options)).toMatchObject({ read: 5, created: 5, updated: 0, unchanged: 0, failed: 0 });
    const mirrored = await listIssues('gitlab', gitlab.project);
    expect(mirrored).toHaveLength(seeded + 5);
    const third = mirrored.find((issue) => issue.title === 'Bug 3');
    expect(third?.body).toBe(`Steps 3\n\nMirrored from https://github.com/${github.repository}/issues/3\n\n${marker('3')}`);
    expect(third?.labels).toEqual(['bug']);

    expect(await syncBetweenProviders(options)).toMatchObject({ read: 5, created: 0, updated: 0, unchanged: 5 });
    expect(await listIssues('gitlab', gitlab.project), 'a re-run created nothing').toHaveLength(seeded + 5);

    await call('github', 'updateIssue', { project: github.repository, issueId: '2', title: 'Bug 2: checkout fails', state: 'closed' });
    expect(await syncBetweenProviders(options)).toMatchObject({ created: 0, updated: 1, unchanged: 4 });
    const linked = (await store.records.get(options.integrationId, 'issue-link', '2')).data['targetId'] as string;
    expect(await call('gitlab', 'getIssue', { project: gitlab.project, issueId: linked })).toMatchObject({
      title: 'Bug 2: checkout fails',
      state: 'closed',
    });
    expect(await listIssues('gitlab', gitlab.project)).toHaveLength(seeded + 5);
  });

  it('finds the GitLab issue created just before a crash by its marker, instead of opening it twice', async () => {
    await openGithubIssues(3);
    const seeded = (await listIssues('gitlab', gitlab.project)).length;
    const options = await mirrorOptions();
    // The process "dies" after GitLab created the first issue and before its link was completed.
    let crashed = false;
    const upsert = store.records.upsert.bind(store.records);
    const crashingStore: Store = Object.assign(Object.create(store) as Store, {
      records: {
        ...store.records,
        get: store.records.get.bind(store.records),
        upsert: (record: Parameters<Store['records']['upsert']>[0]) => {
          if (!crashed && record.data['targetId'] !== undefined) {
            crashed = true;
            return Promise.reject(new Error('killed'));
          }
          return upsert(record);
        },
      },
    });
    expect(await syncBetweenProviders({ ...options, store: crashingStore })).toMatchObject({ created: 2, failed: 1 });
    expect(await listIssues('gitlab', gitlab.project)).toHaveLength(seeded + 3);

    expect(await syncBetweenProviders(options)).toMatchObject({ created: 0, recovered: 1, unchanged: 2, failed: 0 });
    expect(await listIssues('gitlab', gitlab.project), 'no duplicate').toHaveLength(seeded + 3);
  });
});

describe('deletion detection of the sync service on the fakes', () => {
  async function syncInto(provider: string, project: string) {
    const integration = await store.integrations.create({ providerId: provider, name: provider, settings: { sync: { batchSize: 2 } } });
    const service = createSyncService({
      store,
      streams: () => [
        {
          name: 'issues',
          entity: 'issue',
          source: hubListSource({
            hub,
            capability: 'issues',
            operation: 'searchIssues',
            input: { project, state: 'all' },
            items: 'issues',
            provider,
          }),
        },
      ],
    });
    return { integrationId: integration.id, run: () => service.syncIntegration(integration.id, { full: true }) };
  }

  it('counts an issue closed on GitHub as a change, not a deletion', async () => {
    await openGithubIssues(3);
    const sync = await syncInto('github', github.repository);
    expect(await sync.run()).toMatchObject({ recordsProcessed: 3, created: 3, deleted: 0 });

    await call('github', 'updateIssue', { project: github.repository, issueId: '1', state: 'closed' });
    expect(await sync.run()).toMatchObject({ recordsProcessed: 3, updated: 1, unchanged: 2, deleted: 0 });
    expect((await store.records.get(sync.integrationId, 'issue', '1')).data).toMatchObject({ state: 'closed' });
    expect(await store.sync.countRecords(sync.integrationId, 'issue')).toBe(3);
  });

  it('deletes the stored record of an issue deleted on GitLab at the next full sync', async () => {
    for (const title of ['Crash on login', 'Typo in footer', 'Slow search']) {
      await call('gitlab', 'createIssue', { project: gitlab.project, title });
    }
    const sync = await syncInto('gitlab', gitlab.project);
    const first = await sync.run();
    expect(first.created).toBeGreaterThanOrEqual(3);
    const victim = (await listIssues('gitlab', gitlab.project)).find((issue) => issue.title === 'Typo in footer')?.id ?? '';
    expect((await store.records.get(sync.integrationId, 'issue', victim)).data).toMatchObject({ title: 'Typo in footer' });

    expect(await sync.run(), 'nothing deleted while GitLab still has every issue').toMatchObject({ deleted: 0 });
    expect(gitlab.deleteIssue(gitlab.project, victim)).toBe(true);
    const after = await sync.run();
    expect(after).toMatchObject({ recordsProcessed: first.recordsProcessed - 1, created: 0, updated: 0, deleted: 1 });
    await expect(store.records.get(sync.integrationId, 'issue', victim)).rejects.toMatchObject({ kind: 'not_found' });
    expect(await store.sync.countRecords(sync.integrationId, 'issue')).toBe(first.created - 1);
  });
});
