import type { IssuesOperationName, ProviderV1 } from '@switchyard/core';
import { issuesV1 } from '@switchyard/core/issues';
import { describe, expect, it } from 'vitest';
import { createCallContext } from './call-context';
import { issuesProviderCases, testIssuesProvider } from './issues-suite';
import { createMemoryIssuesProvider } from '@switchyard/core/testing';
import { overrideOperation } from './provider-overrides';
import { runCapabilityCases } from './test-capability';
import { testProvider } from './test-provider';

const project = 'acme/website';

testProvider({ id: 'memory-issues', category: 'code', create: () => createMemoryIssuesProvider() });
testIssuesProvider({ create: () => createMemoryIssuesProvider(), project });
// Jira-like keys: a project key and more projects than one page holds.
testIssuesProvider({
  create: () =>
    createMemoryIssuesProvider({
      projects: Array.from({ length: 150 }, (_, index) => ({ id: `P${index}`, name: `Project ${index}` })),
    }),
  project: 'P149',
});

async function failedTitles(create: () => ProviderV1): Promise<string[]> {
  const results = await runCapabilityCases({ contract: issuesV1, create, cases: issuesProviderCases({ create, project }) });
  return results.filter((result) => result.status === 'failed').map((result) => result.title);
}

function broken(operation: IssuesOperationName, override: Parameters<typeof overrideOperation>[2]): () => ProviderV1 {
  return () => overrideOperation(createMemoryIssuesProvider(), operation, override);
}

describe('the issues suite catches broken providers', () => {
  it('passes the memory provider on every case', async () => {
    expect(await failedTitles(() => createMemoryIssuesProvider())).toEqual([]);
  });

  it('fails a provider whose search ignores the state filter', async () => {
    const create = broken('searchIssues', (request, _context, original) =>
      original({ ...request, input: { ...(request.input as object), state: 'all' } }),
    );
    expect(await failedTitles(create)).toEqual(['finds issues by text, state and label, page by page']);
  });

  it('fails a provider whose update clears the fields it was not given', async () => {
    const create = broken('updateIssue', (request, _context, original) =>
      original({ ...request, input: { body: '', ...(request.input as object) } }),
    );
    expect(await failedTitles(create)).toEqual(['updates only the fields given, closes and reopens']);
  });

  it('fails a provider that invents missing issues', async () => {
    const create = broken('getIssue', async (request, _context, original) =>
      original(request).catch(async () =>
        original({ ...request, input: { ...(request.input as object), issueId: '1' } }).catch(() => ({
          id: '999999999',
          project,
          title: 'Invented',
          body: '',
          state: 'open',
          labels: [],
          assignees: [],
          url: 'https://issues.example.com/999999999',
          createdAt: '2025-01-31T09:30:00.000Z',
          updatedAt: '2025-01-31T09:30:00.000Z',
        })),
      ),
    );
    expect(await failedTitles(create)).toEqual(['reports not_found for an issue that does not exist']);
  });

  it('fails a provider that leaves the project under test out of listProjects', async () => {
    const create = broken('listProjects', async (request, _context, original) => {
      const page = (await original(request)) as { projects: { id: string }[] };
      return { ...page, projects: page.projects.filter((item) => item.id !== project) };
    });
    expect(await failedTitles(create)).toEqual(['lists projects, including the one under test']);
  });

  it('fails a provider that reports GitLab states, naming the operation', async () => {
    const create = broken('createIssue', async (request, _context, original) => ({
      ...((await original(request)) as object),
      state: 'opened',
    }));
    const results = await runCapabilityCases({ contract: issuesV1, create, cases: issuesProviderCases({ create, project }) });
    const failed = results.filter((result) => result.status === 'failed');
    expect(failed.map((result) => result.title)).toEqual([
      'opens an issue and gets it back',
      'updates only the fields given, closes and reopens',
      'comments on an issue',
      'finds issues by text, state and label, page by page',
    ]);
    expect(String(failed[0]?.error)).toMatch(/issues\.createIssue .*breaks the contract: state:/);
  });
});

describe('createMemoryIssuesProvider', () => {
  it('reports unknown projects as not_found and bad cursors as validation errors', async () => {
    const provider = createMemoryIssuesProvider();
    const call = (operation: string, input: object) => provider.execute({ capability: 'issues', operation, input }, createCallContext());
    await expect(call('createIssue', { project: 'acme/nothing', title: 't', body: '' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(call('listProjects', { cursor: 'not-ours', limit: 10 })).rejects.toMatchObject({ kind: 'validation' });
  });

  it('fails with timeout when the call was aborted before it started', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      createMemoryIssuesProvider().execute(
        { capability: 'issues', operation: 'listProjects', input: { limit: 10 } },
        createCallContext({ signal: controller.signal }),
      ),
    ).rejects.toMatchObject({ kind: 'timeout' });
  });
});
