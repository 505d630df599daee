import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { issuesV1 } from './issues';

const { operations } = issuesV1;

/** The distinct paths of the issues a schema reports for `input`, joined with dots. */
function issuePaths(schema: z.ZodType, input: unknown): string[] {
  const paths = (schema.safeParse(input).error?.issues ?? []).map((issue) => issue.path.map(String).join('.'));
  return [...new Set(paths)];
}

describe('issues v1 inputs', () => {
  it.each([
    ['GitHub', 'acme/website', '42'],
    ['GitLab', 'acme/platform/website', '7'],
    ['Jira', 'ACME', 'ACME-42'],
  ])('addresses a %s issue', (_provider, project, issueId) => {
    expect(issuePaths(operations.getIssue.input, { project, issueId })).toEqual([]);
  });

  it('rejects empty or spaced project and issue ids', () => {
    expect(issuePaths(operations.getIssue.input, { project: '', issueId: '1' })).toEqual(['project']);
    expect(issuePaths(operations.getIssue.input, { project: 'acme/web site', issueId: '1' })).toEqual(['project']);
    expect(issuePaths(operations.getIssue.input, { project: 'ACME', issueId: '' })).toEqual(['issueId']);
  });

  it('creates with a trimmed title and an empty body by default', () => {
    expect(operations.createIssue.input.parse({ project: 'ACME', title: '  Login fails  ' })).toEqual({
      project: 'ACME',
      title: 'Login fails',
      body: '',
    });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['longer than 255 characters', 'x'.repeat(256)],
  ])('rejects a title that is %s', (_problem, title) => {
    expect(issuePaths(operations.createIssue.input, { project: 'ACME', title })).toEqual(['title']);
  });

  it('names the bad label and checks assignee counts', () => {
    expect(issuePaths(operations.createIssue.input, { project: 'ACME', title: 't', labels: ['bug', ' '] })).toEqual(['labels.1']);
    expect(
      issuePaths(operations.createIssue.input, {
        project: 'ACME',
        title: 't',
        assignees: Array.from({ length: 11 }, (_, index) => `u${index}`),
      }),
    ).toEqual(['assignees']);
  });

  it('updates only what is given, with states open or closed', () => {
    expect(operations.updateIssue.input.parse({ project: 'ACME', issueId: 'ACME-1', state: 'closed' })).toEqual({
      project: 'ACME',
      issueId: 'ACME-1',
      state: 'closed',
    });
    expect(issuePaths(operations.updateIssue.input, { project: 'ACME', issueId: 'ACME-1', state: 'done' })).toEqual(['state']);
    expect(issuePaths(operations.updateIssue.input, { project: 'ACME', issueId: 'ACME-1', title: '' })).toEqual(['title']);
  });

  it('requires a comment body', () => {
    expect(issuePaths(operations.commentOnIssue.input, { project: 'ACME', issueId: 'ACME-1', body: '' })).toEqual(['body']);
  });

  it('searches open issues 30 at a time by default, at most 100', () => {
    expect(operations.searchIssues.input.parse({ project: 'acme/website' })).toEqual({
      project: 'acme/website',
      state: 'open',
      limit: 30,
    });
    expect(
      issuePaths(operations.searchIssues.input, { project: 'a/b', state: 'all', labels: ['bug'], assignee: 'ada', query: 'login' }),
    ).toEqual([]);
    expect(issuePaths(operations.searchIssues.input, { project: 'a/b', state: 'merged' })).toEqual(['state']);
    expect(issuePaths(operations.searchIssues.input, { project: 'a/b', limit: 0 })).toEqual(['limit']);
    expect(issuePaths(operations.searchIssues.input, { project: 'a/b', limit: 101 })).toEqual(['limit']);
    expect(issuePaths(operations.listProjects.input, { limit: 101 })).toEqual(['limit']);
  });
});

describe('issues v1 outputs', () => {
  const issue = {
    id: 'ACME-42',
    project: 'ACME',
    title: 'Login fails',
    body: '',
    state: 'open',
    labels: ['bug'],
    assignees: [],
    url: 'https://acme.atlassian.net/browse/ACME-42',
    createdAt: '2025-01-31T09:30:00.000Z',
    updatedAt: '2025-01-31T09:30:00.000Z',
  };

  it('accepts a Jira issue without a number and a GitHub issue with one', () => {
    expect(issuePaths(operations.getIssue.output, issue)).toEqual([]);
    expect(issuePaths(operations.getIssue.output, { ...issue, id: '42', project: 'acme/website', number: 42 })).toEqual([]);
  });

  it('rejects provider-specific states, bad numbers and bad URLs', () => {
    expect(issuePaths(operations.getIssue.output, { ...issue, state: 'opened' })).toEqual(['state']);
    expect(issuePaths(operations.getIssue.output, { ...issue, number: 0 })).toEqual(['number']);
    expect(issuePaths(operations.getIssue.output, { ...issue, url: 'acme/website#42' })).toEqual(['url']);
  });
});

describe('issues v1 hints', () => {
  it.each([
    ['createIssue', { readOnly: false, destructive: false, idempotent: false }],
    ['getIssue', { readOnly: true, destructive: false, idempotent: true }],
    ['updateIssue', { readOnly: false, destructive: true, idempotent: true }],
    ['commentOnIssue', { readOnly: false, destructive: false, idempotent: false }],
    ['searchIssues', { readOnly: true, destructive: false, idempotent: true }],
    ['listProjects', { readOnly: true, destructive: false, idempotent: true }],
  ] as const)('%s is %o', (name, hints) => {
    expect(operations[name].hints).toEqual(hints);
  });
});
