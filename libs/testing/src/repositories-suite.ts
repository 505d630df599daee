import { Buffer } from 'node:buffer';
import type { Commit, ProviderV1, RepositoriesOperationName } from '@switchyard/core';
import { repositoriesV1 } from '@switchyard/core/repositories';
import { expect } from 'vitest';
import type { CapabilityClient } from './capability-client';
import { collectPages, expectValidationWithoutProviderCall, type InvalidRequest } from './suite-helpers';
import { testCapability, type AdditionalTestsContext, type CapabilityCase } from './test-capability';

type RepositoriesClient = CapabilityClient<typeof repositoriesV1>;
type RepositoriesCase = CapabilityCase<typeof repositoriesV1>;

/**
 * What the peer under test holds. Providers are tested against recorded
 * traffic or fakes with fixed data, so the suite never creates anything: every
 * case reads only what is named here. A case whose optional field is absent is
 * left out.
 */
export interface RepositoriesFixture {
  /** A repository that exists, e.g. `octocat/hello-world`, with at least one commit on its default branch. */
  readonly repository: string;
  /** A well-formed repository id that does not exist, e.g. `octocat/does-not-exist`. */
  readonly missingRepository: string;
  /**
   * A query whose results include `repository`, found within three pages of
   * ten. Default: none; the search case then searches for the last segment of
   * `repository` and checks only the shape and paging.
   */
  readonly searchQuery?: string;
  /** A branch with at least two commits. Default: none (the branch case is left out). */
  readonly branch?: string;
  /** An author filter matching at least one commit on the default branch, e.g. a login. Default: none (the author case is left out). */
  readonly author?: string;
  /** A text file, the ref to read it at (default: the default branch), and a substring of its content. */
  readonly file: { readonly path: string; readonly ref?: string; readonly contains: string };
  /** A path that is a directory at the default branch. Default: none (the directory case is left out). */
  readonly directory?: string;
  /** A file path that does not exist at the default branch. */
  readonly missingFile: string;
  /** How many pull requests in `state` the repository has at least. Default: none (the pull request case is left out). */
  readonly pullRequests?: { readonly state: 'open' | 'closed' | 'merged' | 'all'; readonly atLeast: number };
}

/** Options for {@link testRepositoriesProvider} and {@link repositoriesProviderCases}. */
export interface TestRepositoriesProviderOptions {
  /** Builds a fresh provider; called once per test. */
  readonly create: () => ProviderV1;
  /** Operations the provider does not support; their tests are skipped. Default: none. */
  readonly unsupported?: readonly RepositoriesOperationName[];
  /** What the peer holds; every case reads only what is named here. */
  readonly fixture: RepositoriesFixture;
  /** Extra tests to run inside the suite's `describe` block. */
  readonly additionalTests?: (context: AdditionalTestsContext<typeof repositoriesV1>) => void;
}

/** How many commits the listing cases read at most in one page. */
const COMMIT_PAGE = 10;

function expectNewestFirst(commits: readonly Commit[], label: string): void {
  const times = commits.map((commit) => Date.parse(commit.authoredAt));
  expect(times, `${label} lists commits newest first (authoredAt never increases)`).toEqual([...times].sort((left, right) => right - left));
}

/** The commits' SHAs, for comparing listings. */
const shas = (commits: readonly Commit[]) => commits.map((commit) => commit.sha);

/**
 * The test cases of the repositories contract, for
 * {@link testRepositoriesProvider} or `runCapabilityCases`. They only read:
 * the fixture describes what the peer holds.
 */
export function repositoriesProviderCases(options: TestRepositoriesProviderOptions): RepositoriesCase[] {
  const { fixture } = options;
  const { repository } = fixture;
  const supported = (operation: RepositoriesOperationName) => !(options.unsupported ?? []).includes(operation);
  const sameRepository = (found: { id: string; fullName: string }) =>
    found.id === repository || found.fullName.toLowerCase() === repository.toLowerCase();

  async function firstCommits(repositories: RepositoriesClient) {
    const page = await repositories.call('listCommits', { repository, limit: COMMIT_PAGE });
    expect(page.commits.length, `listCommits finds commits on the default branch of ${repository}`).toBeGreaterThan(0);
    return page.commits;
  }

  const cases: (RepositoriesCase | false)[] = [
    {
      title: 'describes the repository: an id that works again, its full name, visibility, url and default branch',
      operations: ['getRepository'],
      async run(repositories) {
        const described = await repositories.call('getRepository', { repository });
        if (repository.includes('/'))
          expect(described.fullName.toLowerCase(), 'fullName is the repository asked for').toBe(repository.toLowerCase());
        expect(described.defaultBranch, 'a repository with commits has a default branch').toBeTruthy();
        const again = await repositories.call('getRepository', { repository: described.id });
        expect({ id: again.id, fullName: again.fullName }, 'the returned id finds the same repository').toEqual({
          id: described.id,
          fullName: described.fullName,
        });
      },
    },
    {
      title: 'reports not_found for a repository that does not exist',
      operations: ['getRepository'],
      async run(repositories) {
        await repositories.expectError('getRepository', { repository: fixture.missingRepository }, 'not_found');
      },
    },
    {
      title: 'searches one page at a time: at most `limit` repositories, and a cursor to the next page when there are more',
      operations: ['searchRepositories'],
      async run(repositories) {
        const query = fixture.searchQuery ?? repository.split('/').at(-1) ?? repository;
        const first = await repositories.call('searchRepositories', { query, limit: 1 });
        expect(first.repositories.length, 'a page of limit 1 holds at most one repository').toBeLessThanOrEqual(1);
        const wider = await repositories.call('searchRepositories', { query, limit: 10 });
        if (wider.repositories.length > 1) {
          expect(first.nextCursor, 'with more than one match, the first page of one has a cursor').toBeDefined();
          const second = await repositories.call('searchRepositories', { query, limit: 1, cursor: first.nextCursor });
          expect(second.repositories[0]?.id, 'the cursor leads to another repository').not.toBe(first.repositories[0]?.id);
        }
        if (fixture.searchQuery === undefined) return;
        let found = false;
        await collectPages({
          label: 'searchRepositories',
          limit: 10,
          maximumPages: 3,
          fetchPage: async (cursor) => {
            const page = await repositories.call('searchRepositories', { query, limit: 10, ...(cursor === undefined ? {} : { cursor }) });
            found = page.repositories.some(sameRepository);
            // Stop paging once it turned up: recorded traffic need not hold more pages.
            return { items: page.repositories, nextCursor: found ? undefined : page.nextCursor };
          },
        });
        expect(found, `searching "${query}" finds ${repository} within three pages of ten`).toBe(true);
      },
    },
    {
      title: 'lists commits newest first, each with a SHA, message and author time, one page at a time',
      operations: ['listCommits'],
      async run(repositories) {
        const commits = await firstCommits(repositories);
        expectNewestFirst(commits, 'listCommits');
        expect(new Set(shas(commits)).size, 'no commit is listed twice').toBe(commits.length);
        const first = await repositories.call('listCommits', { repository, limit: 1 });
        expect(first.commits.length, 'a page of limit 1 holds at most one commit').toBeLessThanOrEqual(1);
        expect(shas(first.commits), 'the first page of one starts where the longer listing does').toEqual(shas(commits).slice(0, 1));
        if (commits.length < 2) return;
        expect(first.nextCursor, 'with more than one commit, the first page of one has a cursor').toBeDefined();
        const second = await repositories.call('listCommits', { repository, limit: 1, cursor: first.nextCursor });
        expect(shas(second.commits), 'the cursor leads to the second commit').toEqual(shas(commits).slice(1, 2));
      },
    },
    fixture.branch !== undefined && {
      title: 'lists the commits of a branch, and of a commit SHA as the starting point',
      operations: ['listCommits'],
      async run(repositories) {
        const branch = fixture.branch ?? '';
        const { commits } = await repositories.call('listCommits', { repository, branch, limit: COMMIT_PAGE });
        expect(commits.length, `branch ${branch} has at least two commits`).toBeGreaterThanOrEqual(2);
        expectNewestFirst(commits, `listCommits on ${branch}`);
        const older = commits[1]?.sha ?? '';
        const fromSha = await repositories.call('listCommits', { repository, branch: older, limit: 1 });
        expect(shas(fromSha.commits), 'listing from a commit SHA starts at that commit').toEqual([older]);
      },
    },
    fixture.author !== undefined && {
      title: 'filters commits by author: every commit listed matches the author',
      operations: ['listCommits'],
      async run(repositories) {
        const author = fixture.author ?? '';
        const { commits } = await repositories.call('listCommits', { repository, author, limit: COMMIT_PAGE });
        expect(commits.length, `author "${author}" matches at least one commit`).toBeGreaterThan(0);
        for (const commit of commits) {
          const fields = [commit.authorName, commit.authorLogin, commit.authorEmail].map((field) => field?.toLowerCase() ?? '');
          expect(
            fields.some((field) => field.includes(author.toLowerCase())),
            `commit ${commit.sha} by ${commit.authorName} <${commit.authorEmail ?? ''}> (${commit.authorLogin ?? 'no login'}) matches "${author}"`,
          ).toBe(true);
        }
      },
    },
    {
      title: 'narrows commits to a time window: since and until keep exactly the commits authored inside it',
      operations: ['listCommits'],
      async run(repositories) {
        const commits = await firstCommits(repositories);
        // The window runs from the second newest commit back to the second oldest of the first page (or the oldest,
        // with fewer than three), so a provider ignoring `until` or `since` lists a commit outside it.
        const until = (commits[1] ?? commits[0])?.authoredAt ?? '';
        const since = (commits.length >= 3 ? commits.at(-2) : commits.at(-1))?.authoredAt ?? '';
        const inside = (commit: Commit) =>
          Date.parse(commit.authoredAt) >= Date.parse(since) && Date.parse(commit.authoredAt) <= Date.parse(until);
        const windowed = await repositories.call('listCommits', { repository, since, until, limit: 100 });
        for (const commit of windowed.commits) {
          expect(inside(commit), `commit ${commit.sha} (${commit.authoredAt}) lies within ${since} … ${until}`).toBe(true);
        }
        const expected = shas(commits.filter(inside));
        const kept = shas(windowed.commits).filter((sha) => expected.includes(sha));
        expect(kept, `every commit of the first page within ${since} … ${until} is kept`).toEqual(expected);
      },
    },
    fixture.pullRequests !== undefined && {
      title: 'lists pull requests in a state, most recently created first',
      operations: ['listPullRequests'],
      async run(repositories) {
        const { state, atLeast } = fixture.pullRequests ?? { state: 'all', atLeast: 0 };
        const { pullRequests } = await repositories.call('listPullRequests', { repository, state, limit: 100 });
        expect(pullRequests.length, `${repository} has at least ${atLeast} pull requests in state "${state}"`).toBeGreaterThanOrEqual(
          atLeast,
        );
        for (const pullRequest of pullRequests) {
          if (state !== 'all') expect(pullRequest.state, `pull request #${pullRequest.number} is ${state}`).toBe(state);
          if (pullRequest.state === 'merged')
            expect(pullRequest.mergedAt, `merged pull request #${pullRequest.number} has mergedAt`).toBeDefined();
        }
        const created = pullRequests.map((pullRequest) => Date.parse(pullRequest.createdAt));
        expect(created, 'most recently created first').toEqual([...created].sort((left, right) => right - left));
        if (pullRequests.length < 2) return;
        const first = await repositories.call('listPullRequests', { repository, state, limit: 1 });
        expect(first.pullRequests.length, 'a page of limit 1 holds at most one pull request').toBeLessThanOrEqual(1);
        expect(first.nextCursor, 'with more than one pull request, the first page of one has a cursor').toBeDefined();
      },
    },
    {
      title: 'reads a text file: the content holds the fixture text, and base64 decodes to the same bytes',
      operations: ['getFileContent'],
      async run(repositories) {
        const { path, contains } = fixture.file;
        const address = { repository, path, ...(fixture.file.ref === undefined ? {} : { ref: fixture.file.ref }) };
        const text = await repositories.call('getFileContent', { ...address, encoding: 'utf8' });
        expect(text.encoding, 'encoding "utf8" is answered in utf8').toBe('utf8');
        expect(text.content, `${path} holds "${contains}"`).toContain(contains);
        const binary = await repositories.call('getFileContent', { ...address, encoding: 'base64' });
        expect(binary.encoding, 'encoding "base64" is answered in base64').toBe('base64');
        const bytes = Buffer.from(binary.content, 'base64');
        expect(bytes.toString('base64'), 'the base64 content is canonical base64').toBe(binary.content.replace(/\s+/g, ''));
        expect(bytes.toString('utf8'), 'the base64 content decodes to the utf8 content').toBe(text.content);
        expect(text.size, 'size is the file’s length in bytes').toBe(Buffer.byteLength(text.content, 'utf8'));
        expect({ sha: binary.sha, size: binary.size }, 'both encodings describe the same blob').toEqual({ sha: text.sha, size: text.size });
      },
    },
    {
      title: 'reports not_found for a file that does not exist',
      operations: ['getFileContent'],
      async run(repositories) {
        await repositories.expectError('getFileContent', { repository, path: fixture.missingFile }, 'not_found');
      },
    },
    fixture.directory !== undefined && {
      title: 'reports validation for reading a directory as a file',
      operations: ['getFileContent'],
      async run(repositories) {
        await repositories.expectError('getFileContent', { repository, path: fixture.directory ?? '' }, 'validation');
      },
    },
    {
      title:
        'rejects a repository without an owner, a path leaving the repository, since after until and limit 0 as validation errors, ' +
        'without calling the provider',
      operations: [],
      run({ provider }) {
        const requests: (InvalidRequest & { operation: RepositoriesOperationName })[] = [
          { label: 'a repository without an owner', operation: 'getRepository', input: { repository: 'no-slash' } },
          { label: 'a path leaving the repository', operation: 'getFileContent', input: { repository, path: '../etc/passwd' } },
          {
            label: 'since after until',
            operation: 'listCommits',
            input: { repository, since: '2025-02-01T00:00:00Z', until: '2025-01-01T00:00:00Z' },
          },
          { label: 'limit 0', operation: 'listCommits', input: { repository, limit: 0 } },
          { label: 'limit 0', operation: 'searchRepositories', input: { query: 'switchyard', limit: 0 } },
        ];
        return expectValidationWithoutProviderCall(
          provider,
          repositoriesV1.name,
          requests.filter((request) => supported(request.operation)),
        );
      },
    },
  ];
  return cases.filter((testCase) => testCase !== false);
}

/**
 * The contract suite every `repositories` provider runs, read-only against a
 * peer with fixed data described by `fixture`: describing a repository and
 * not_found for a missing one, search paging, commits newest first with
 * paging and the branch, author and time filters, pull requests by state,
 * file content in utf8 and base64, not_found and validation for missing
 * files and directories, and validation before any provider call; each
 * against a fresh provider, every output checked against `repositoriesV1`.
 *
 * @example
 * ```ts
 * testRepositoriesProvider({
 *   create: () => createGitHub({ baseURL: recorded.url, token: 'test' }),
 *   fixture: {
 *     repository: 'octocat/hello-world',
 *     missingRepository: 'octocat/missing',
 *     file: { path: 'README', contains: 'Hello' },
 *     missingFile: 'nope.md',
 *   },
 * });
 * ```
 */
export function testRepositoriesProvider(options: TestRepositoriesProviderOptions): void {
  testCapability({
    contract: repositoriesV1,
    create: options.create,
    unsupported: options.unsupported,
    additionalTests: options.additionalTests,
    cases: repositoriesProviderCases(options),
  });
}
