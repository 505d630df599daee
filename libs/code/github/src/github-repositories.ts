import {
  IntegrationError,
  type ProviderCallContext,
  type RepositoriesOperationInput,
  type RepositoriesOperationName,
  type RepositoriesOperationOutput,
} from '@switchyard/core';
import { array, object, readCommit, readFile, readPullRequest, readRepository } from './github-api';
import type { GithubClient } from './github-client';
import { nextCursor, ownerAndRepository, pagePosition } from './github-pagination';

type RepositoriesHandlers = {
  readonly [Name in RepositoriesOperationName]: (input: RepositoriesOperationInput<Name>, context: ProviderCallContext) => Promise<RepositoriesOperationOutput<Name>>;
};

function validation(operation: string, message: string): IntegrationError {
  return new IntegrationError({ kind: 'validation', message: `github: ${operation}: ${message}`, provider: 'github', operation, isRetryable: false });
}

/**
 * The `repositories` v1 operations on GitHub's REST API. A repository is
 * `owner/name`, or GitHub's numeric repository id (`GET /repositories/{id}`).
 */
export function createRepositoriesHandlers(client: GithubClient): RepositoriesHandlers {
  return {
    async getRepository(input, context) {
      const operation = 'repositories.getRepository';
      const response = /^\d+$/.test(input.repository)
        ? await client.request('GET /repositories/{repository_id}', { repository_id: Number(input.repository) }, context, operation)
        : await client.request('GET /repos/{owner}/{repo}', ownerAndRepository(input.repository), context, operation);
      return readRepository(response.data, operation);
    },

    async searchRepositories(input, context) {
      const operation = 'repositories.searchRepositories';
      const position = pagePosition(input.cursor, input.limit, operation);
      const response = await client.request('GET /search/repositories', { q: input.query, per_page: position.perPage, page: position.page }, context, operation);
      const items = array(object(response.data, 'search result', operation).items, 'items', operation);
      return { repositories: items.map((item) => readRepository(item, operation)), nextCursor: nextCursor(response.headers, position) };
    },

    async listCommits(input, context) {
      const operation = 'repositories.listCommits';
      const position = pagePosition(input.cursor, input.limit, operation);
      try {
        const response = await client.request(
          'GET /repos/{owner}/{repo}/commits',
          {
            ...ownerAndRepository(input.repository),
            sha: input.branch,
            author: input.author,
            since: input.since,
            until: input.until,
            path: input.path,
            per_page: position.perPage,
            page: position.page,
          },
          context,
          operation,
        );
        return { commits: array(response.data, 'commits', operation).map((item) => readCommit(item, operation)), nextCursor: nextCursor(response.headers, position) };
      } catch (error) {
        // GitHub answers 409 "Git Repository is empty." for a repository without commits.
        if (IntegrationError.isInstance(error) && error.statusCode === 409 && /empty/i.test(error.message)) return { commits: [] };
        throw error;
      }
    },

    async listPullRequests(input, context) {
      const operation = 'repositories.listPullRequests';
      const position = pagePosition(input.cursor, input.limit, operation);
      const response = await client.request(
        'GET /repos/{owner}/{repo}/pulls',
        {
          ...ownerAndRepository(input.repository),
          // GitHub has no "merged" state: merged pull requests are closed ones with merged_at.
          state: input.state === 'merged' ? 'closed' : input.state,
          base: input.targetBranch,
          sort: 'created',
          direction: 'desc',
          per_page: position.perPage,
          page: position.page,
        },
        context,
        operation,
      );
      const pullRequests = array(response.data, 'pull requests', operation)
        .map((item) => readPullRequest(item, operation))
        .filter((pull) => input.state === 'all' || pull.state === input.state);
      return { pullRequests, nextCursor: nextCursor(response.headers, position) };
    },

    async getFileContent(input, context) {
      const operation = 'repositories.getFileContent';
      const repository = ownerAndRepository(input.repository);
      // Octokit's route encodes the path as one segment ("docs%2FREADME.md"), as its own getContent does; GitHub accepts it.
      const response = await client.request(
        'GET /repos/{owner}/{repo}/contents/{path}',
        { ...repository, path: input.path, ref: input.ref },
        context,
        operation,
      );
      if (Array.isArray(response.data)) throw validation(operation, `"${input.path}" is a directory, not a file`);
      const entry = object(response.data, 'content', operation);
      if (entry.type !== 'file') throw validation(operation, `"${input.path}" is a ${String(entry.type)}, not a file`);
      const file = readFile(entry, operation);
      let base64 = file.content;
      if (file.encoding !== 'base64' || (base64 === '' && file.size > 0)) {
        // Files over 1 MB come without content ("encoding": "none"): read the blob instead (up to 100 MB).
        const blob = await client.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { ...repository, file_sha: file.sha }, context, operation);
        const content = object(blob.data, 'blob', operation).content;
        base64 = typeof content === 'string' ? content : '';
      }
      const bytes = Buffer.from(base64.replace(/\s/g, ''), 'base64');
      return {
        path: file.path,
        sha: file.sha,
        size: file.size,
        content: input.encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8'),
        encoding: input.encoding,
      };
    },
  };
}
