import type { IssuesOperationName, ProviderV1 } from '@switchyard/core';
import { issuesV1 } from '@switchyard/core/issues';
import { expect } from 'vitest';
import type { CapabilityClient } from './capability-client';
import { collectPages, expectRecent, uniqueId } from './suite-helpers';
import { testCapability, type AdditionalTestsContext, type CapabilityCase } from './test-capability';

type IssuesClient = CapabilityClient<typeof issuesV1>;
type IssuesCase = CapabilityCase<typeof issuesV1>;

/** Options for {@link testIssuesProvider} and {@link issuesProviderCases}. */
export interface TestIssuesProviderOptions {
  /** Builds a fresh provider; called once per test. */
  readonly create: () => ProviderV1;
  /** The project the suite opens its issues in, e.g. `acme/website` or `ACME`. */
  readonly project: string;
  /** An issue id that does not exist in `project`. Default: `'999999999'`. */
  readonly missingIssueId?: string;
  /** Operations the provider does not support; their tests are skipped. Default: none. */
  readonly unsupported?: readonly IssuesOperationName[];
  /** Extra tests to run inside the suite's `describe` block. */
  readonly additionalTests?: (context: AdditionalTestsContext<typeof issuesV1>) => void;
}

const SUITE_LABEL = 'switchyard-contract';

/**
 * The test cases of the issues contract, for {@link testIssuesProvider} or
 * `runCapabilityCases`. Issues carry unique titles and labels, so searches
 * find only the issues the case opened.
 */
export function issuesProviderCases(options: TestIssuesProviderOptions): IssuesCase[] {
  const { project } = options;
  const missingIssueId = options.missingIssueId ?? '999999999';
  const supports = (operation: IssuesOperationName) => !(options.unsupported ?? []).includes(operation);

  async function open(issues: IssuesClient, title: string, labels: string[] = [SUITE_LABEL]) {
    return issues.call('createIssue', { project, title, body: `Opened by the Switchyard issues contract suite: ${title}`, labels });
  }

  async function searchAll(issues: IssuesClient, filters: { query: string; state?: 'open' | 'closed' | 'all'; labels?: string[] }) {
    const paged = await collectPages({
      label: 'searchIssues',
      limit: 1,
      maximumPages: 20,
      fetchPage: async (cursor) => {
        const page = await issues.call('searchIssues', { project, ...filters, limit: 1, ...(cursor === undefined ? {} : { cursor }) });
        return { items: page.issues, nextCursor: page.nextCursor };
      },
    });
    return paged.items.map((issue) => issue.id).sort();
  }

  return [
    {
      title: 'opens an issue and gets it back',
      operations: ['createIssue', 'getIssue'],
      async run(issues) {
        const title = `Switchyard contract ${uniqueId()}: create`;
        const created = await open(issues, title);
        expect(created, 'createIssue output').toMatchObject({
          project,
          title,
          state: 'open',
          body: `Opened by the Switchyard issues contract suite: ${title}`,
        });
        expect(created.labels, 'createIssue sets the labels').toContain(SUITE_LABEL);
        expectRecent(created.createdAt, 'createIssue createdAt');
        expect(Date.parse(created.updatedAt), 'updatedAt is not before createdAt').toBeGreaterThanOrEqual(Date.parse(created.createdAt));
        const fetched = await issues.call('getIssue', { project, issueId: created.id });
        expect(fetched, 'getIssue returns the issue that was opened').toEqual(created);
      },
    },
    {
      title: 'updates only the fields given, closes and reopens',
      operations: ['createIssue', 'updateIssue', 'getIssue'],
      async run(issues) {
        const created = await open(issues, `Switchyard contract ${uniqueId()}: update`);
        const issueId = created.id;
        const retitled = await issues.call('updateIssue', { project, issueId, title: `${created.title} (renamed)` });
        expect(retitled, 'updateIssue changes the title only').toMatchObject({
          id: issueId,
          title: `${created.title} (renamed)`,
          body: created.body,
          state: 'open',
          labels: created.labels,
        });
        const extraLabel = `switchyard-${uniqueId()}`;
        const relabelled = await issues.call('updateIssue', { project, issueId, labels: [SUITE_LABEL, extraLabel] });
        expect([...relabelled.labels].sort(), 'labels replace the old list').toEqual([SUITE_LABEL, extraLabel].sort());
        expect((await issues.call('updateIssue', { project, issueId, state: 'closed' })).state, 'closing').toBe('closed');
        expect((await issues.call('getIssue', { project, issueId })).state, 'getIssue sees it closed').toBe('closed');
        expect((await issues.call('updateIssue', { project, issueId, state: 'open' })).state, 'reopening').toBe('open');
      },
    },
    {
      title: 'comments on an issue',
      operations: ['createIssue', 'commentOnIssue'],
      async run(issues) {
        const created = await open(issues, `Switchyard contract ${uniqueId()}: comment`);
        const body = `Comment ${uniqueId()} from the contract suite`;
        const comment = await issues.call('commentOnIssue', { project, issueId: created.id, body });
        expect(comment, 'commentOnIssue output').toMatchObject({ issueId: created.id, body });
        expectRecent(comment.createdAt, 'commentOnIssue createdAt');
        const second = await issues.call('commentOnIssue', { project, issueId: created.id, body: `${body} again` });
        expect(second.id, 'each comment gets its own id').not.toBe(comment.id);
      },
    },
    {
      title: 'finds issues by text, state and label, page by page',
      operations: ['createIssue', 'updateIssue', 'searchIssues'],
      async run(issues) {
        const token = `switchyard${uniqueId()}`;
        const label = `switchyard-${uniqueId()}`;
        const first = await open(issues, `Contract search ${token} one`, [SUITE_LABEL, label]);
        const second = await open(issues, `Contract search ${token} two`);
        const closed = await open(issues, `Contract search ${token} three`);
        await issues.call('updateIssue', { project, issueId: closed.id, state: 'closed' });
        const ids = (...found: { id: string }[]) => found.map((issue) => issue.id).sort();
        expect(await searchAll(issues, { query: token, state: 'all' }), 'state "all" finds every match').toEqual(
          ids(first, second, closed),
        );
        expect(await searchAll(issues, { query: token }), 'searches open issues by default').toEqual(ids(first, second));
        expect(await searchAll(issues, { query: token, state: 'closed' }), 'state "closed"').toEqual(ids(closed));
        expect(await searchAll(issues, { query: token, state: 'all', labels: [label] }), 'label filter').toEqual(ids(first));
        expect(await searchAll(issues, { query: `${token}missing`, state: 'all' }), 'no match, no issues').toEqual([]);
      },
    },
    {
      title: 'lists projects, including the one under test',
      operations: ['listProjects'],
      async run(issues) {
        const paged = await collectPages({
          label: 'listProjects',
          limit: 100,
          maximumPages: 20,
          fetchPage: async (cursor) => {
            const page = await issues.call('listProjects', { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
            return { items: page.projects, nextCursor: page.nextCursor };
          },
        });
        const ids = paged.items.map((item) => item.id);
        expect(new Set(ids).size, 'no project is listed twice').toBe(ids.length);
        expect(ids, 'listProjects includes the project under test').toContain(project);
        const onePage = await issues.call('listProjects', { limit: 1 });
        expect(onePage.projects.length, 'listProjects respects limit').toBeLessThanOrEqual(1);
      },
    },
    {
      title: 'reports not_found for an issue that does not exist',
      operations: ['getIssue'],
      async run(issues) {
        const address = { project, issueId: missingIssueId };
        await issues.expectError('getIssue', address, 'not_found');
        if (supports('updateIssue')) await issues.expectError('updateIssue', { ...address, title: 'never' }, 'not_found');
        if (supports('commentOnIssue')) await issues.expectError('commentOnIssue', { ...address, body: 'never' }, 'not_found');
      },
    },
  ];
}

/**
 * The contract suite every `issues` provider runs: open → get → update →
 * comment → search, listing projects, and `not_found` for missing issues,
 * each against a fresh provider, every output checked against `issuesV1`.
 *
 * @example
 * ```ts
 * testIssuesProvider({ create: () => createGitHub({ baseURL: fakeServer.url, token: 'test' }), project: 'acme/website' });
 * ```
 */
export function testIssuesProvider(options: TestIssuesProviderOptions): void {
  testCapability({
    contract: issuesV1,
    create: options.create,
    unsupported: options.unsupported,
    additionalTests: options.additionalTests,
    cases: issuesProviderCases(options),
  });
}
