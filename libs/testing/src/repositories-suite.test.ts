import { Buffer } from 'node:buffer';
import { IntegrationError, type ProviderV1, type RepositoriesOperationName } from '@switchyard/core';
import { repositoriesV1 } from '@switchyard/core/repositories';
import { describe, expect, it } from 'vitest';
import { createMemoryRepositoriesProvider } from '@switchyard/core/testing';
import { createCallContext } from './call-context';
import { createCapabilityClient } from './capability-client';
import { overrideOperation, withoutOperations } from './provider-overrides';
import { repositoriesProviderCases, testRepositoriesProvider, type RepositoriesFixture } from './repositories-suite';
import { runCapabilityCases, type CapabilityCaseResult } from './test-capability';
import { testProvider } from './test-provider';

const fixture: RepositoriesFixture = {
  repository: 'acme/website',
  missingRepository: 'acme/nothing-here',
  searchQuery: 'acme',
  branch: 'feature/dark-mode',
  author: 'grace',
  file: { path: 'src/styles/dark.css', ref: 'feature/dark-mode', contains: 'prefers-color-scheme' },
  directory: 'src/styles',
  missingFile: 'docs/missing.md',
  pullRequests: { state: 'merged', atLeast: 1 },
};

/** Only the required fields: the optional cases are left out. */
const minimalFixture: RepositoriesFixture = {
  repository: 'acme/website',
  missingRepository: 'acme/nothing-here',
  file: { path: 'README.md', contains: 'Acme website' },
  missingFile: 'docs/missing.md',
};

testProvider({ id: 'memory-repositories', category: 'code', create: () => createMemoryRepositoriesProvider() });
testRepositoriesProvider({ create: () => createMemoryRepositoriesProvider(), fixture });
testRepositoriesProvider({
  create: () => withoutOperations(createMemoryRepositoriesProvider(), ['searchRepositories', 'listPullRequests']),
  unsupported: ['searchRepositories', 'listPullRequests'],
  fixture: { ...minimalFixture, pullRequests: { state: 'all', atLeast: 3 } },
});

async function runSuite(create: () => ProviderV1, unsupported: RepositoriesOperationName[] = []): Promise<CapabilityCaseResult[]> {
  return runCapabilityCases({
    contract: repositoriesV1,
    create,
    unsupported,
    cases: repositoriesProviderCases({ create, unsupported, fixture }),
  });
}

async function failedTitles(create: () => ProviderV1): Promise<string[]> {
  return (await runSuite(create)).filter((result) => result.status === 'failed').map((result) => result.title);
}

function broken(operation: RepositoriesOperationName, override: Parameters<typeof overrideOperation>[2]): () => ProviderV1 {
  return () => overrideOperation(createMemoryRepositoriesProvider(), operation, override);
}

/** A copy of `input` with `changes`, for forwarding a request altered. */
function withInput(request: { input: unknown }, changes: object) {
  return { ...request, input: { ...(request.input as object), ...changes } } as Parameters<Parameters<typeof overrideOperation>[2]>[0];
}

const TITLES = {
  search: 'searches one page at a time: at most `limit` repositories, and a cursor to the next page when there are more',
  commits: 'lists commits newest first, each with a SHA, message and author time, one page at a time',
  branch: 'lists the commits of a branch, and of a commit SHA as the starting point',
  author: 'filters commits by author: every commit listed matches the author',
  window: 'narrows commits to a time window: since and until keep exactly the commits authored inside it',
  pullRequests: 'lists pull requests in a state, most recently created first',
  file: 'reads a text file: the content holds the fixture text, and base64 decodes to the same bytes',
  missingRepository: 'reports not_found for a repository that does not exist',
  missingFile: 'reports not_found for a file that does not exist',
  directory: 'reports validation for reading a directory as a file',
};

describe('the repositories suite catches broken providers', () => {
  it('passes the memory provider on every case, and leaves out the cases whose fixture field is absent', async () => {
    const results = await runSuite(() => createMemoryRepositoriesProvider());
    expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(results).toHaveLength(2 + 12);
    const minimal = repositoriesProviderCases({ create: createMemoryRepositoriesProvider, fixture: minimalFixture });
    const left = minimal.map((testCase) => testCase.title);
    expect(left.filter((title) => [TITLES.branch, TITLES.author, TITLES.pullRequests, TITLES.directory].includes(title))).toEqual([]);
    expect(left).toHaveLength(12 - 4);
  });

  it('fails a provider that lists commits oldest first', async () => {
    const create = broken('listCommits', async (request, _context, original) => {
      const page = (await original(request)) as { commits: unknown[] };
      return { ...page, commits: [...page.commits].reverse() };
    });
    expect(await failedTitles(create)).toEqual([TITLES.commits, TITLES.branch, TITLES.window]);
  });

  it('fails a provider that ignores the author, branch, or time filter', async () => {
    const anyAuthor = broken('listCommits', (request, _context, original) => original(withInput(request, { author: undefined })));
    expect(await failedTitles(anyAuthor)).toEqual([TITLES.author]);
    const defaultBranch = broken('listCommits', (request, _context, original) => original(withInput(request, { branch: undefined })));
    expect(await failedTitles(defaultBranch)).toEqual([TITLES.branch]);
    const noUntil = broken('listCommits', (request, _context, original) => original(withInput(request, { until: undefined })));
    expect(await failedTitles(noUntil)).toEqual([TITLES.window]);
    const noSince = broken('listCommits', (request, _context, original) => original(withInput(request, { since: undefined })));
    expect(await failedTitles(noSince)).toEqual([TITLES.window]);
  });

  it('fails a provider that never hands out a cursor, or ignores the one it is given', async () => {
    const firstPageOnly = broken('searchRepositories', async (request, _context, original) => {
      const page = (await original(request)) as { repositories: unknown[] };
      return { repositories: page.repositories };
    });
    expect(await failedTitles(firstPageOnly)).toEqual([TITLES.search]);
    const ignoresCursor = broken('listCommits', (request, _context, original) => original(withInput(request, { cursor: undefined })));
    expect(await failedTitles(ignoresCursor)).toEqual([TITLES.commits]);
  });

  it('fails a provider whose base64 content differs from its utf8 content', async () => {
    const create = broken('getFileContent', async (request, _context, original) => {
      const file = (await original(request)) as { content: string; encoding: string };
      return file.encoding === 'base64' ? { ...file, content: Buffer.from('something else').toString('base64') } : file;
    });
    expect(await failedTitles(create)).toEqual([TITLES.file]);
  });

  it('fails a provider that reports missing repositories or files, or directories, as another kind of error', async () => {
    const asProviderError = (operation: RepositoriesOperationName) =>
      broken(operation, (request, _context, original) =>
        original(request).catch((error: unknown) => {
          throw IntegrationError.isInstance(error) ? new IntegrationError({ kind: 'provider', message: error.message }) : error;
        }),
      );
    expect(await failedTitles(asProviderError('getRepository'))).toEqual([TITLES.missingRepository]);
    expect(await failedTitles(asProviderError('getFileContent'))).toEqual([TITLES.missingFile, TITLES.directory]);
  });

  it('fails a provider that ignores the pull request state', async () => {
    const create = broken('listPullRequests', (request, _context, original) => original(withInput(request, { state: 'all' })));
    expect(await failedTitles(create)).toEqual([TITLES.pullRequests]);
  });

  it('fails output that breaks the contract, naming the operation and field', async () => {
    const create = broken('getRepository', async (request, _context, original) => ({
      ...((await original(request)) as object),
      visibility: 'secret',
    }));
    const failed = (await runSuite(create)).filter((result) => result.status === 'failed');
    expect(failed.map((result) => result.title)).toEqual([
      'describes the repository: an id that works again, its full name, visibility, url and default branch',
    ]);
    expect(String(failed[0]?.error)).toMatch(
      /repositories\.getRepository \(provider memory-repositories\) returned output that breaks the contract: visibility:/,
    );
  });
});

describe('createMemoryRepositoriesProvider', () => {
  const repositories = createCapabilityClient(repositoriesV1, createMemoryRepositoriesProvider());

  it('serves a binary file in base64 with its git blob SHA (as `git hash-object` computes it)', async () => {
    const logo = await repositories.call('getFileContent', { repository: 'acme/website', path: 'assets/logo.png', encoding: 'base64' });
    expect(Buffer.from(logo.content, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(logo).toMatchObject({ size: 70, sha: '0f2de3749df299a6b84bf6ff1a0b393a1c1fd22b' });
  });

  it('finds repositories case-insensitively, files only on their branches, and commits by path', async () => {
    expect((await repositories.call('getRepository', { repository: 'ACME/Website' })).id).toBe('acme/website');
    await repositories.expectError('getFileContent', { repository: 'acme/website', path: 'src/styles/dark.css' }, 'not_found');
    await repositories.expectError('listCommits', { repository: 'acme/website', branch: 'no-such-branch' }, 'not_found');
    const logoCommits = await repositories.call('listCommits', { repository: 'acme/website', path: 'assets' });
    expect(logoCommits.commits.map((commit) => commit.message)).toEqual(['Add the logo']);
  });

  it('reports bad cursors as validation errors and aborted calls as timeouts', async () => {
    const provider = createMemoryRepositoriesProvider();
    const input = { query: 'acme', cursor: 'not-ours', limit: 10 };
    const badCursor = provider.execute({ capability: 'repositories', operation: 'searchRepositories', input }, createCallContext());
    await expect(badCursor).rejects.toMatchObject({ kind: 'validation' });
    const controller = new AbortController();
    controller.abort();
    const aborted = provider.execute(
      { capability: 'repositories', operation: 'getRepository', input: { repository: 'acme/website' } },
      createCallContext({ signal: controller.signal }),
    );
    await expect(aborted).rejects.toMatchObject({ kind: 'timeout' });
  });
});
