import { Buffer } from 'node:buffer';
import { IntegrationError, type PullRequest, type Repository, type OperationHandlers } from '@switchyard/core';
import type { repositoriesV1 } from '@switchyard/core/repositories';
import {
  commitSchema,
  fileSchema,
  mergeRequestSchema,
  projectSchema,
  treeEntrySchema,
  type GitlabMergeRequest,
  type GitlabProject,
} from './gitlab-api';
import { projectPath, type GitlabCallContext, type GitlabClient } from './gitlab-client';
import { errors } from './gitlab-errors';
import { nextPageCursor, pageFromCursor } from './gitlab-pagination';

type RepositoriesHandlers = OperationHandlers<typeof repositoriesV1, GitlabCallContext>;

const MERGE_REQUEST_STATE = { open: 'opened', closed: 'closed', merged: 'merged', all: 'all' } as const;

function toRepository(project: GitlabProject): Repository {
  const visibility = project.visibility === 'public' || project.visibility === 'internal' ? project.visibility : 'private';
  return {
    id: project.path_with_namespace,
    name: project.name,
    fullName: project.path_with_namespace,
    ...(project.description === undefined || project.description === '' ? {} : { description: project.description }),
    ...(project.default_branch === undefined ? {} : { defaultBranch: project.default_branch }),
    visibility,
    archived: project.archived ?? false,
    url: project.web_url,
    stars: project.star_count ?? 0,
    forks: project.forks_count ?? 0,
    topics: project.topics ?? project.tag_list ?? [],
    updatedAt: project.last_activity_at ?? project.created_at,
  };
}

function toPullRequest(request: GitlabMergeRequest): PullRequest {
  // "locked" is a merge request briefly held during a merge: still open.
  const state = request.state === 'merged' ? 'merged' : request.state === 'closed' ? 'closed' : 'open';
  const author = request.author?.username;
  return {
    number: request.iid,
    title: request.title,
    body: request.description ?? '',
    state,
    draft: request.draft === true || request.work_in_progress === true,
    sourceBranch: request.source_branch,
    targetBranch: request.target_branch,
    ...(author === undefined ? {} : { author }),
    url: request.web_url,
    createdAt: request.created_at,
    updatedAt: request.updated_at,
    ...(request.merged_at === undefined ? {} : { mergedAt: request.merged_at }),
  };
}

/**
 * The `repositories` v1 operations on GitLab's REST v4 API: projects
 * (`/projects/:id`, `/projects?search=`), commits, merge requests and
 * repository files. A repository is a project path ("group/sub/project") or
 * numeric id; lists page with `page`/`per_page` and continue from `X-Next-Page`.
 */
export function createRepositoriesHandlers(client: GitlabClient): RepositoriesHandlers {
  async function project(repository: string, context: GitlabCallContext): Promise<GitlabProject> {
    return (await client.request({ path: projectPath(repository), responseSchema: projectSchema }, context)).data;
  }

  return {
    async getRepository(input, context) {
      return toRepository(await project(input.repository, context));
    },

    async searchRepositories(input, context) {
      const response = await client.request(
        {
          path: '/projects',
          query: {
            search: input.query,
            order_by: 'similarity',
            page: pageFromCursor(input.cursor, 'repositories.searchRepositories'),
            per_page: input.limit,
          },
          responseSchema: projectSchema.array(),
        },
        context,
      );
      return { repositories: response.data.map(toRepository), nextCursor: nextPageCursor(response) };
    },

    async listCommits(input, context) {
      const response = await client.request(
        {
          path: `${projectPath(input.repository)}/repository/commits`,
          query: {
            ref_name: input.branch,
            author: input.author,
            since: input.since,
            until: input.until,
            path: input.path,
            page: pageFromCursor(input.cursor, 'repositories.listCommits'),
            per_page: input.limit,
          },
          responseSchema: commitSchema.array(),
        },
        context,
      );
      const commits = response.data.map((commit) => ({
        sha: commit.id,
        message: commit.message,
        authorName: commit.author_name,
        ...(commit.author_email === undefined ? {} : { authorEmail: commit.author_email }),
        authoredAt: commit.authored_date,
        url: commit.web_url,
      }));
      return { commits, nextCursor: nextPageCursor(response) };
    },

    async listPullRequests(input, context) {
      const response = await client.request(
        {
          path: `${projectPath(input.repository)}/merge_requests`,
          query: {
            state: MERGE_REQUEST_STATE[input.state],
            target_branch: input.targetBranch,
            order_by: 'created_at',
            sort: 'desc',
            page: pageFromCursor(input.cursor, 'repositories.listPullRequests'),
            per_page: input.limit,
          },
          responseSchema: mergeRequestSchema.array(),
        },
        context,
      );
      return { pullRequests: response.data.map(toPullRequest), nextCursor: nextPageCursor(response) };
    },

    async getFileContent(input, context) {
      const operation = 'repositories.getFileContent';
      const ref = input.ref ?? (await project(input.repository, context)).default_branch;
      if (ref === undefined)
        throw errors.create({
          kind: 'not_found',
          message: `${operation}: ${input.repository} is empty (no default branch)`,
          operation,
          isRetryable: false,
        });
      const base = `${projectPath(input.repository)}/repository`;
      let file;
      try {
        ({ data: file } = await client.request(
          { path: `${base}/files/${encodeURIComponent(input.path)}`, query: { ref }, responseSchema: fileSchema },
          context,
        ));
      } catch (error) {
        if (!IntegrationError.isInstance(error) || error.kind !== 'not_found') throw error;
        // The files API answers 404 for a directory too: the tree tells them apart.
        const entries = await client
          .request(
            { path: `${base}/tree`, query: { path: input.path, ref, per_page: 1 }, responseSchema: treeEntrySchema.array() },
            context,
          )
          .then(
            (response) => response.data,
            (treeError: unknown) => {
              if (IntegrationError.isInstance(treeError) && treeError.kind === 'not_found') return [];
              throw treeError;
            },
          );
        if (entries.length > 0) {
          throw errors.create({
            kind: 'validation',
            message: `${operation}: "${input.path}" is a directory, not a file`,
            operation,
            statusCode: 404,
            isRetryable: false,
            cause: error,
          });
        }
        throw error;
      }
      const bytes = file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : Buffer.from(file.content, 'utf8');
      return {
        path: file.file_path,
        sha: file.blob_id,
        size: file.size,
        content: input.encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8'),
        encoding: input.encoding,
      };
    },
  };
}
