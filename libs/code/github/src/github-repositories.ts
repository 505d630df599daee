import { IntegrationError, type OperationHandlers } from '@switchyard/core';
import type { repositoriesV1 } from '@switchyard/core/repositories';
import { z } from 'zod';
import {
  githubBlobSchema,
  githubCommitSchema,
  githubContentSchema,
  githubPullRequestSchema,
  githubRepositorySchema,
  searchItemsSchema,
} from './github-api';
import type { GithubClient } from './github-client';
import { githubErrors } from './github-error';
import { nextCursor, ownerAndRepository, pagePosition } from './github-pagination';

type RepositoriesHandlers = OperationHandlers<typeof repositoriesV1>;

/**
 * The `repositories` v1 operations on GitHub's REST API. A repository is
 * `owner/name`, or GitHub's numeric repository id (`GET /repositories/{id}`).
 */
export function createRepositoriesHandlers(client: GithubClient): RepositoriesHandlers {
  return {
    async getRepository(input, context) {
      const operation = 'repositories.getRepository';
      const byId = /^\d+$/.test(input.repository);
      const route = byId ? 'GET /repositories/{repository_id}' : 'GET /repos/{owner}/{repo}';
      const parameters = byId ? { repository_id: Number(input.repository) } : ownerAndRepository(input.repository);
      return (await client.request({ route, parameters, operation, responseSchema: githubRepositorySchema }, context)).data;
    },

    async searchRepositories(input, context) {
      const operation = 'repositories.searchRepositories';
      const position = pagePosition(input.cursor, input.limit, operation);
      const parameters = { q: input.query, per_page: position.perPage, page: position.page };
      const { data, headers } = await client.request(
        { route: 'GET /search/repositories', parameters, operation, responseSchema: searchItemsSchema(githubRepositorySchema) },
        context,
      );
      return { repositories: data, nextCursor: nextCursor(headers, position) };
    },

    async listCommits(input, context) {
      const operation = 'repositories.listCommits';
      const position = pagePosition(input.cursor, input.limit, operation);
      const parameters = {
        ...ownerAndRepository(input.repository),
        sha: input.branch,
        author: input.author,
        since: input.since,
        until: input.until,
        path: input.path,
        per_page: position.perPage,
        page: position.page,
      };
      try {
        const { data, headers } = await client.request(
          { route: 'GET /repos/{owner}/{repo}/commits', parameters, operation, responseSchema: z.array(githubCommitSchema) },
          context,
        );
        return { commits: data, nextCursor: nextCursor(headers, position) };
      } catch (error) {
        // GitHub answers 409 "Git Repository is empty." for a repository without commits.
        if (IntegrationError.isInstance(error) && error.statusCode === 409 && /empty/i.test(error.message)) return { commits: [] };
        throw error;
      }
    },

    async listPullRequests(input, context) {
      const operation = 'repositories.listPullRequests';
      const position = pagePosition(input.cursor, input.limit, operation);
      const parameters = {
        ...ownerAndRepository(input.repository),
        // GitHub has no "merged" state: merged pull requests are closed ones with merged_at.
        state: input.state === 'merged' ? 'closed' : input.state,
        base: input.targetBranch,
        sort: 'created',
        direction: 'desc',
        per_page: position.perPage,
        page: position.page,
      };
      const { data, headers } = await client.request(
        { route: 'GET /repos/{owner}/{repo}/pulls', parameters, operation, responseSchema: z.array(githubPullRequestSchema) },
        context,
      );
      return {
        pullRequests: data.filter((pull) => input.state === 'all' || pull.state === input.state),
        nextCursor: nextCursor(headers, position),
      };
    },

    async getFileContent(input, context) {
      const operation = 'repositories.getFileContent';
      const repository = ownerAndRepository(input.repository);
      // Octokit's route encodes the path as one segment ("docs%2FREADME.md"), as its own getContent does; GitHub accepts it.
      const parameters = { ...repository, path: input.path, ref: input.ref };
      const { data: entry } = await client.request(
        { route: 'GET /repos/{owner}/{repo}/contents/{path}', parameters, operation, responseSchema: githubContentSchema },
        context,
      );
      if (Array.isArray(entry)) throw githubErrors.invalidInput(operation, `"${input.path}" is a directory, not a file`);
      if (entry.type !== 'file') throw githubErrors.invalidInput(operation, `"${input.path}" is a ${entry.type}, not a file`);
      let base64 = entry.content ?? '';
      if ((entry.encoding ?? 'base64') !== 'base64' || (base64 === '' && entry.size > 0)) {
        // Files over 1 MB come without content ("encoding": "none"): read the blob instead (up to 100 MB).
        const blob = await client.request(
          {
            route: 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
            parameters: { ...repository, file_sha: entry.sha },
            operation,
            responseSchema: githubBlobSchema,
          },
          context,
        );
        base64 = blob.data.content ?? '';
      }
      const bytes = Buffer.from(base64.replace(/\s/g, ''), 'base64');
      return {
        path: entry.path,
        sha: entry.sha,
        size: entry.size,
        content: input.encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8'),
        encoding: input.encoding,
      };
    },
  };
}
