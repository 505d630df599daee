import type { OperationHandlers } from '@switchyard/core';
import type { issuesV1 } from '@switchyard/core/issues';
import { z } from 'zod';
import {
  githubCommentSchema,
  githubIssueSchema,
  githubProjectSchema,
  installationRepositoriesSchema,
  isPullRequest,
  searchItemsSchema,
  toIssue,
} from './github-api';
import type { GithubClient } from './github-client';
import { githubErrors } from './github-error';
import { nextCursor, ownerAndRepository, pagePosition } from './github-pagination';

type IssuesHandlers = OperationHandlers<typeof issuesV1>;

function issueNumber(issueId: string, operation: string): number {
  if (!/^[1-9]\d{0,9}$/.test(issueId)) {
    throw githubErrors.invalidInput(operation, 'issueId must be an issue number, e.g. "42"');
  }
  return Number(issueId);
}

function notAnIssue(project: string, issueId: string, operation: string) {
  return githubErrors.create({
    kind: 'not_found',
    message: `${operation}: ${project}#${issueId} is a pull request, not an issue`,
    operation,
    statusCode: 404,
    isRetryable: false,
  });
}

/** GitHub search syntax for a filter value: quoted when it holds spaces or quotes. */
function qualifier(name: string, value: string): string {
  return /[\s"]/.test(value) ? `${name}:"${value.replace(/"/g, '')}"` : `${name}:${value}`;
}

/**
 * The `issues` v1 operations on GitHub's REST API: issues are addressed as
 * `owner/repo` + issue number; pull requests are never returned as issues.
 * `listProjects` lists `GET /user/repos` with a token, `GET /installation/repositories` as an app.
 */
export function createIssuesHandlers(client: GithubClient, authentication: 'token' | 'app' | 'none'): IssuesHandlers {
  const address = (project: string, issueId: string, operation: string) => ({
    ...ownerAndRepository(project),
    issue_number: issueNumber(issueId, operation),
  });

  return {
    async createIssue(input, context) {
      const operation = 'issues.createIssue';
      const parameters = {
        ...ownerAndRepository(input.project),
        title: input.title,
        ...(input.body === '' ? {} : { body: input.body }),
        ...(input.labels === undefined ? {} : { labels: input.labels }),
        ...(input.assignees === undefined ? {} : { assignees: input.assignees }),
      };
      const { data } = await client.request(
        { route: 'POST /repos/{owner}/{repo}/issues', parameters, operation, responseSchema: githubIssueSchema },
        context,
      );
      return toIssue(data, input.project);
    },

    async getIssue(input, context) {
      const operation = 'issues.getIssue';
      const route = 'GET /repos/{owner}/{repo}/issues/{issue_number}';
      const { data } = await client.request(
        { route, parameters: address(input.project, input.issueId, operation), operation, responseSchema: githubIssueSchema },
        context,
      );
      if (isPullRequest(data)) throw notAnIssue(input.project, input.issueId, operation);
      return toIssue(data, input.project);
    },

    async updateIssue(input, context) {
      const operation = 'issues.updateIssue';
      const { project, issueId, ...changes } = input;
      const parameters = { ...address(project, issueId, operation), ...changes };
      const { data } = await client.request(
        { route: 'PATCH /repos/{owner}/{repo}/issues/{issue_number}', parameters, operation, responseSchema: githubIssueSchema },
        context,
      );
      return toIssue(data, project);
    },

    async commentOnIssue(input, context) {
      const operation = 'issues.commentOnIssue';
      const route = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
      const parameters = { ...address(input.project, input.issueId, operation), body: input.body };
      const { data } = await client.request({ route, parameters, operation, responseSchema: githubCommentSchema }, context);
      return { ...data, issueId: input.issueId };
    },

    async searchIssues(input, context) {
      const operation = 'issues.searchIssues';
      const position = pagePosition(input.cursor, input.limit, operation);
      const paging = { per_page: position.perPage, page: position.page };
      const listed = {
        route: 'GET /repos/{owner}/{repo}/issues',
        parameters: {
          ...ownerAndRepository(input.project),
          state: input.state,
          sort: 'updated',
          direction: 'desc',
          ...(input.labels === undefined ? {} : { labels: input.labels.join(',') }),
          ...(input.assignee === undefined ? {} : { assignee: input.assignee }),
          ...paging,
        },
        operation,
        responseSchema: z.array(githubIssueSchema),
      };
      const terms = [
        input.query,
        qualifier('repo', input.project),
        'is:issue',
        ...(input.state === 'all' ? [] : [qualifier('state', input.state)]),
        ...(input.labels ?? []).map((label) => qualifier('label', label)),
        ...(input.assignee === undefined ? [] : [qualifier('assignee', input.assignee)]),
      ];
      const searched = {
        route: 'GET /search/issues',
        parameters: { q: terms.join(' '), sort: 'updated', order: 'desc', ...paging },
        operation,
        responseSchema: searchItemsSchema(githubIssueSchema),
      };
      const { data, headers } = await client.request(input.query === undefined ? listed : searched, context);
      const issues = data.filter((item) => !isPullRequest(item)).map((item) => toIssue(item, input.project));
      return { issues, nextCursor: nextCursor(headers, position) };
    },

    async listProjects(input, context) {
      const operation = 'issues.listProjects';
      const position = pagePosition(input.cursor, input.limit, operation);
      const paging = { per_page: position.perPage, page: position.page };
      const { data, headers } =
        authentication === 'app'
          ? await client.request(
              { route: 'GET /installation/repositories', parameters: paging, operation, responseSchema: installationRepositoriesSchema },
              context,
            )
          : await client.request(
              {
                route: 'GET /user/repos',
                parameters: { sort: 'full_name', ...paging },
                operation,
                responseSchema: z.array(githubProjectSchema),
              },
              context,
            );
      const needle = input.query?.toLowerCase();
      const projects = data.filter(
        (project) => needle === undefined || project.id.toLowerCase().includes(needle) || project.name.toLowerCase().includes(needle),
      );
      return { projects, nextCursor: nextCursor(headers, position) };
    },
  };
}
