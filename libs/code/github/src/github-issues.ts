import { IntegrationError, type IssuesOperationInput, type IssuesOperationName, type IssuesOperationOutput, type ProviderCallContext } from '@switchyard/core';
import { array, isPullRequest, object, readComment, readIssue } from './github-api';
import type { GithubClient } from './github-client';
import { nextCursor, ownerAndRepository, pagePosition } from './github-pagination';

type IssuesHandlers = {
  readonly [Name in IssuesOperationName]: (input: IssuesOperationInput<Name>, context: ProviderCallContext) => Promise<IssuesOperationOutput<Name>>;
};

function issueNumber(issueId: string, operation: string): number {
  if (!/^[1-9]\d{0,9}$/.test(issueId)) {
    throw new IntegrationError({ kind: 'validation', message: `github: ${operation}: issueId must be an issue number, e.g. "42"`, provider: 'github', operation, isRetryable: false });
  }
  return Number(issueId);
}

function notAnIssue(project: string, issueId: string, operation: string): IntegrationError {
  return new IntegrationError({ kind: 'not_found', message: `github: ${operation}: ${project}#${issueId} is a pull request, not an issue`, provider: 'github', operation, statusCode: 404, isRetryable: false });
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
  const address = (project: string, issueId: string, operation: string) => ({ ...ownerAndRepository(project), issue_number: issueNumber(issueId, operation) });

  return {
    async createIssue(input, context) {
      const operation = 'issues.createIssue';
      const response = await client.request(
        'POST /repos/{owner}/{repo}/issues',
        {
          ...ownerAndRepository(input.project),
          title: input.title,
          ...(input.body === '' ? {} : { body: input.body }),
          ...(input.labels === undefined ? {} : { labels: input.labels }),
          ...(input.assignees === undefined ? {} : { assignees: input.assignees }),
        },
        context,
        operation,
      );
      return readIssue(response.data, input.project, operation);
    },

    async getIssue(input, context) {
      const operation = 'issues.getIssue';
      const response = await client.request('GET /repos/{owner}/{repo}/issues/{issue_number}', address(input.project, input.issueId, operation), context, operation);
      if (isPullRequest(response.data)) throw notAnIssue(input.project, input.issueId, operation);
      return readIssue(response.data, input.project, operation);
    },

    async updateIssue(input, context) {
      const operation = 'issues.updateIssue';
      const { project, issueId, ...changes } = input;
      const response = await client.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...address(project, issueId, operation), ...changes }, context, operation);
      return readIssue(response.data, project, operation);
    },

    async commentOnIssue(input, context) {
      const operation = 'issues.commentOnIssue';
      const response = await client.request(
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        { ...address(input.project, input.issueId, operation), body: input.body },
        context,
        operation,
      );
      return readComment(response.data, input.issueId, operation);
    },

    async searchIssues(input, context) {
      const operation = 'issues.searchIssues';
      const position = pagePosition(input.cursor, input.limit, operation);
      const paging = { per_page: position.perPage, page: position.page };
      const repository = ownerAndRepository(input.project);
      if (input.query === undefined) {
        const response = await client.request(
          'GET /repos/{owner}/{repo}/issues',
          {
            ...repository,
            state: input.state,
            sort: 'updated',
            direction: 'desc',
            ...(input.labels === undefined ? {} : { labels: input.labels.join(',') }),
            ...(input.assignee === undefined ? {} : { assignee: input.assignee }),
            ...paging,
          },
          context,
          operation,
        );
        const items = array(response.data, 'issues', operation).filter((item) => !isPullRequest(item));
        return { issues: items.map((item) => readIssue(item, input.project, operation)), nextCursor: nextCursor(response.headers, position) };
      }
      const terms = [
        input.query,
        qualifier('repo', input.project),
        'is:issue',
        ...(input.state === 'all' ? [] : [qualifier('state', input.state)]),
        ...(input.labels ?? []).map((label) => qualifier('label', label)),
        ...(input.assignee === undefined ? [] : [qualifier('assignee', input.assignee)]),
      ];
      const response = await client.request('GET /search/issues', { q: terms.join(' '), sort: 'updated', order: 'desc', ...paging }, context, operation);
      const items = array(object(response.data, 'search result', operation).items, 'items', operation).filter((item) => !isPullRequest(item));
      return { issues: items.map((item) => readIssue(item, input.project, operation)), nextCursor: nextCursor(response.headers, position) };
    },

    async listProjects(input, context) {
      const operation = 'issues.listProjects';
      const position = pagePosition(input.cursor, input.limit, operation);
      const paging = { per_page: position.perPage, page: position.page };
      const response =
        authentication === 'app'
          ? await client.request('GET /installation/repositories', paging, context, operation)
          : await client.request('GET /user/repos', { sort: 'full_name', ...paging }, context, operation);
      const items = authentication === 'app' ? array(object(response.data, 'installation repositories', operation).repositories, 'repositories', operation) : array(response.data, 'repositories', operation);
      const needle = input.query?.toLowerCase();
      const projects = items
        .map((item) => object(item, 'repository', operation))
        .map((repository) => ({
          id: String(repository.full_name),
          name: String(repository.name),
          description: typeof repository.description === 'string' && repository.description !== '' ? repository.description : undefined,
          url: typeof repository.html_url === 'string' ? repository.html_url : undefined,
        }))
        .filter((project) => needle === undefined || project.id.toLowerCase().includes(needle) || project.name.toLowerCase().includes(needle));
      return { projects, nextCursor: nextCursor(response.headers, position) };
    },
  };
}
