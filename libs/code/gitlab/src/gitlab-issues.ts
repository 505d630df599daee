import type { Issue, OperationHandlers } from '@switchyard/core';
import type { issuesV1 } from '@switchyard/core/issues';
import { issueSchema, noteSchema, projectSchema, userSchema, type GitlabIssue } from './gitlab-api';
import { projectPath, type GitlabCallContext, type GitlabClient } from './gitlab-client';
import { errors } from './gitlab-errors';
import { nextPageCursor, pageFromCursor } from './gitlab-pagination';

type IssuesHandlers = OperationHandlers<typeof issuesV1, GitlabCallContext>;

const STATE_QUERY = { open: 'opened', closed: 'closed', all: 'all' } as const;

/** Maps a GitLab issue to the capability's shape; `project` is what the caller addressed it by. */
export function toIssue(issue: GitlabIssue, project: string): Issue {
  return {
    id: String(issue.iid),
    project,
    number: issue.iid,
    title: issue.title,
    body: issue.description ?? '',
    state: issue.state === 'closed' ? 'closed' : 'open',
    labels: issue.labels ?? [],
    assignees: (issue.assignees ?? []).map((assignee) => assignee.username),
    url: issue.web_url,
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
  };
}

/** An issue iid path segment; GitLab numbers issues, so anything else cannot exist. */
function issuePath(project: string, issueId: string, operation: string): string {
  if (!/^[1-9]\d{0,9}$/.test(issueId)) {
    throw errors.create({
      kind: 'not_found',
      message: `${operation}: issue "${issueId}" does not exist (GitLab issue ids are numbers)`,
      operation,
      isRetryable: false,
    });
  }
  return `${projectPath(project)}/issues/${issueId}`;
}

/**
 * The `issues` v1 operations on GitLab's REST v4 API: issues are addressed by
 * project path (or id) and iid; assignee usernames are looked up with
 * `GET /users?username=`; comments are notes; search and project lists page
 * with `page`/`per_page` and continue from `X-Next-Page`.
 */
export function createIssuesHandlers(client: GitlabClient): IssuesHandlers {
  async function assigneeIds(usernames: readonly string[], operation: string, context: GitlabCallContext): Promise<number[]> {
    return Promise.all(
      usernames.map(async (username) => {
        const { data } = await client.request({ path: '/users', query: { username }, responseSchema: userSchema.array() }, context);
        const user = data.find((entry) => entry.username.toLowerCase() === username.toLowerCase());
        if (user === undefined) throw errors.invalidInput(operation, `no user "${username}" to assign`);
        return user.id;
      }),
    );
  }

  return {
    async createIssue(input, context) {
      const body: Record<string, unknown> = { title: input.title, description: input.body };
      if (input.labels !== undefined) body.labels = input.labels.join(',');
      if (input.assignees !== undefined) body.assignee_ids = await assigneeIds(input.assignees, 'issues.createIssue', context);
      const { data } = await client.request(
        { method: 'POST', path: `${projectPath(input.project)}/issues`, body, responseSchema: issueSchema },
        context,
      );
      return toIssue(data, input.project);
    },

    async getIssue(input, context) {
      const { data } = await client.request(
        { path: issuePath(input.project, input.issueId, 'issues.getIssue'), responseSchema: issueSchema },
        context,
      );
      return toIssue(data, input.project);
    },

    async updateIssue(input, context) {
      const path = issuePath(input.project, input.issueId, 'issues.updateIssue');
      const body: Record<string, unknown> = {};
      if (input.title !== undefined) body.title = input.title;
      if (input.body !== undefined) body.description = input.body;
      if (input.state !== undefined) body.state_event = input.state === 'closed' ? 'close' : 'reopen';
      // `labels` replaces the issue's labels; an empty string removes them all.
      if (input.labels !== undefined) body.labels = input.labels.join(',');
      if (input.assignees !== undefined) body.assignee_ids = await assigneeIds(input.assignees, 'issues.updateIssue', context);
      if (Object.keys(body).length === 0) {
        const { data } = await client.request({ path, responseSchema: issueSchema }, context);
        return toIssue(data, input.project);
      }
      const { data } = await client.request({ method: 'PUT', path, body, responseSchema: issueSchema }, context);
      return toIssue(data, input.project);
    },

    async commentOnIssue(input, context) {
      const path = `${issuePath(input.project, input.issueId, 'issues.commentOnIssue')}/notes`;
      const { data } = await client.request({ method: 'POST', path, body: { body: input.body }, responseSchema: noteSchema }, context);
      return { id: String(data.id), issueId: input.issueId, body: data.body, author: data.author?.username, createdAt: data.created_at };
    },

    async searchIssues(input, context) {
      const response = await client.request(
        {
          path: `${projectPath(input.project)}/issues`,
          query: {
            state: STATE_QUERY[input.state],
            labels: input.labels?.join(','),
            assignee_username: input.assignee,
            search: input.query,
            in: input.query === undefined ? undefined : 'title,description',
            order_by: 'updated_at',
            sort: 'desc',
            page: pageFromCursor(input.cursor, 'issues.searchIssues'),
            per_page: input.limit,
          },
          responseSchema: issueSchema.array(),
        },
        context,
      );
      return { issues: response.data.map((issue) => toIssue(issue, input.project)), nextCursor: nextPageCursor(response) };
    },

    async listProjects(input, context) {
      const response = await client.request(
        {
          path: '/projects',
          query: {
            membership: true,
            search: input.query,
            search_namespaces: input.query === undefined ? undefined : true,
            order_by: 'id',
            sort: 'asc',
            page: pageFromCursor(input.cursor, 'issues.listProjects'),
            per_page: input.limit,
          },
          responseSchema: projectSchema.array(),
        },
        context,
      );
      const projects = response.data.map((project) => ({
        id: project.path_with_namespace,
        name: project.name,
        ...(project.description === undefined || project.description === '' ? {} : { description: project.description }),
        url: project.web_url,
      }));
      return { projects, nextCursor: nextPageCursor(response) };
    },
  };
}
