import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  type Commit,
  type ProviderV1,
  type PullRequest,
  type RepositoriesOperationInput,
  type RepositoriesOperationName,
  type RepositoriesOperationOutput,
  type Repository,
} from '../index';
import { repositoriesV1 } from '../capabilities/index';
import { createMemoryProvider, paginate, type MemoryFailure } from './memory-provider';
import { DEFAULT_MEMORY_REPOSITORIES, type MemoryFile, type MemoryRepository } from './memory-repositories-data';

/** Options for {@link createMemoryRepositoriesProvider}. */
export interface MemoryRepositoriesProviderOptions {
  /** The manifest id. Default: `'memory-repositories'`. */
  readonly id?: string;
  /** The repositories it holds. Default: {@link DEFAULT_MEMORY_REPOSITORIES}. */
  readonly repositories?: readonly MemoryRepository[];
}

const BASE_URL = 'https://code.memory.invalid';
/** `updatedAt` of a repository without commits that does not set one. */
const EPOCH = '2025-01-01T00:00:00.000Z';

type Handlers = {
  readonly [Name in RepositoriesOperationName]: (
    input: RepositoriesOperationInput<Name>,
    fail: MemoryFailure,
  ) => RepositoriesOperationOutput<Name>;
};

/** A repository as the provider keeps it: commits resolved, newest first per branch. */
interface RepositoryState {
  readonly repository: Repository;
  readonly branches: ReadonlyMap<string, readonly Commit[]>;
  /** The files each commit touched, by SHA. */
  readonly changedPaths: ReadonlyMap<string, readonly string[]>;
  readonly files: Readonly<Record<string, MemoryFile>>;
  readonly pullRequests: readonly PullRequest[];
}

const newestFirst = (left: { authoredAt: string }, right: { authoredAt: string }) =>
  Date.parse(right.authoredAt) - Date.parse(left.authoredAt);

/** The SHA-1 git gives a blob: over `blob <size>\0` and the bytes. */
function blobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

function prepare(memory: MemoryRepository): RepositoryState {
  const { fullName } = memory;
  const url = `${BASE_URL}/${fullName}`;
  const branches = new Map<string, Commit[]>();
  const changedPaths = new Map<string, readonly string[]>();
  for (const [branch, commits] of Object.entries(memory.branches ?? {})) {
    const resolved = commits.map((commit): Commit => {
      const sha =
        commit.sha ?? createHash('sha1').update(`${fullName}\n${commit.message}\n${commit.authorName}\n${commit.authoredAt}`).digest('hex');
      changedPaths.set(sha, commit.paths ?? []);
      return {
        sha,
        message: commit.message,
        authorName: commit.authorName,
        ...(commit.authorEmail === undefined ? {} : { authorEmail: commit.authorEmail }),
        ...(commit.authorLogin === undefined ? {} : { authorLogin: commit.authorLogin }),
        authoredAt: commit.authoredAt,
        url: `${url}/commit/${sha}`,
      };
    });
    branches.set(branch, resolved.sort(newestFirst));
  }
  const newest = [...branches.values()].flat().sort(newestFirst)[0];
  const defaultBranch = memory.defaultBranch ?? branches.keys().next().value;
  const repository: Repository = {
    id: fullName,
    name: fullName.split('/').at(-1) ?? fullName,
    fullName,
    ...(memory.description === undefined ? {} : { description: memory.description }),
    ...(defaultBranch === undefined ? {} : { defaultBranch }),
    visibility: memory.visibility ?? 'public',
    archived: memory.archived ?? false,
    url,
    stars: memory.stars ?? 0,
    forks: memory.forks ?? 0,
    topics: [...(memory.topics ?? [])],
    updatedAt: memory.updatedAt ?? newest?.authoredAt ?? EPOCH,
  };
  const pullRequests = (memory.pullRequests ?? [])
    .map((pullRequest): PullRequest => ({
      ...pullRequest,
      body: pullRequest.body ?? '',
      draft: pullRequest.draft ?? false,
      url: `${url}/pull/${pullRequest.number}`,
      updatedAt: pullRequest.updatedAt ?? pullRequest.mergedAt ?? pullRequest.createdAt,
    }))
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt) || right.number - left.number);
  return { repository, branches, changedPaths, files: memory.files ?? {}, pullRequests };
}

/** True when `commit` has `author` (case-insensitive) in its author's name, login or email, as GitLab matches. */
function byAuthor(commit: Commit, author: string): boolean {
  const wanted = author.toLowerCase();
  return [commit.authorName, commit.authorLogin, commit.authorEmail].some((field) => field?.toLowerCase().includes(wanted) ?? false);
}

/**
 * An in-memory `repositories` v1 provider with every operation, holding fixed
 * repositories ({@link DEFAULT_MEMORY_REPOSITORIES} unless given others).
 * Repository ids are `"owner/name"`, matched case-insensitively. A ref is a
 * branch or a commit SHA (7 or more leading hex digits), default the default
 * branch; an unknown repository, ref or file is `not_found`, and a path that
 * is a directory is `validation`. Search matches every word of `query` in
 * the full name, description or topics, most stars first. Commits are listed
 * newest first; `author` matches part of the name, login or email; `path`
 * matches the commit's `paths` and what lies under them. File SHAs are git
 * blob SHAs.
 *
 * @example
 * ```ts
 * testRepositoriesProvider({ create: () => createMemoryRepositoriesProvider(), fixture: { repository: 'acme/website', ... } });
 * ```
 */
export function createMemoryRepositoriesProvider(options: MemoryRepositoriesProviderOptions = {}): ProviderV1 {
  const states = (options.repositories ?? DEFAULT_MEMORY_REPOSITORIES).map(prepare);
  const byId = new Map(states.map((state) => [state.repository.id.toLowerCase(), state]));

  function find(repository: string, fail: MemoryFailure): RepositoryState {
    return byId.get(repository.toLowerCase()) ?? fail('not_found', `Repository "${repository}" does not exist`);
  }

  /** The branch `ref` points into and the commits reachable from it, newest first. */
  function resolveRef(state: RepositoryState, ref: string | undefined, fail: MemoryFailure) {
    const { fullName, defaultBranch } = state.repository;
    const name = ref ?? defaultBranch;
    if (name === undefined) return { branch: undefined, commits: [] as readonly Commit[] };
    const branchCommits = state.branches.get(name);
    if (branchCommits !== undefined) return { branch: name, commits: branchCommits };
    if (/^[0-9a-f]{7,40}$/i.test(name)) {
      for (const [branch, commits] of state.branches) {
        const index = commits.findIndex((commit) => commit.sha.startsWith(name.toLowerCase()));
        if (index >= 0) return { branch, commits: commits.slice(index) };
      }
    }
    return fail('not_found', `No branch or commit "${name}" in repository "${fullName}"`);
  }

  const handlers: Handlers = {
    getRepository(input, fail) {
      return find(input.repository, fail).repository;
    },
    searchRepositories(input, fail) {
      const words = input.query.toLowerCase().split(/\s+/);
      const matches = states
        .map((state) => state.repository)
        .filter((repository) => {
          const haystack = [repository.fullName, repository.description ?? '', ...repository.topics].join('\n').toLowerCase();
          return words.every((word) => haystack.includes(word));
        })
        .sort((left, right) => right.stars - left.stars || left.fullName.localeCompare(right.fullName));
      const page = paginate(matches, input, fail);
      return { repositories: page.items, nextCursor: page.nextCursor };
    },
    listCommits(input, fail) {
      const state = find(input.repository, fail);
      const since = input.since === undefined ? -Infinity : Date.parse(input.since);
      const until = input.until === undefined ? Infinity : Date.parse(input.until);
      const pathFilter = input.path?.replace(/\/+$/, '');
      const touches = (commit: Commit, path: string) =>
        (state.changedPaths.get(commit.sha) ?? []).some((changed) => changed === path || changed.startsWith(`${path}/`));
      const matches = resolveRef(state, input.branch, fail).commits.filter((commit) => {
        const authored = Date.parse(commit.authoredAt);
        return (
          authored >= since &&
          authored <= until &&
          (input.author === undefined || byAuthor(commit, input.author)) &&
          (pathFilter === undefined || touches(commit, pathFilter))
        );
      });
      const page = paginate(matches, input, fail);
      return { commits: page.items, nextCursor: page.nextCursor };
    },
    listPullRequests(input, fail) {
      const matches = find(input.repository, fail).pullRequests.filter(
        (pullRequest) =>
          (input.state === 'all' || pullRequest.state === input.state) &&
          (input.targetBranch === undefined || pullRequest.targetBranch === input.targetBranch),
      );
      const page = paginate(matches, input, fail);
      return { pullRequests: page.items, nextCursor: page.nextCursor };
    },
    getFileContent(input, fail) {
      const state = find(input.repository, fail);
      const { branch } = resolveRef(state, input.ref, fail);
      const path = input.path.replace(/\/+$/, '');
      const visible = Object.entries(state.files).filter(
        ([, file]) => branch !== undefined && (file.branches === undefined || file.branches.includes(branch)),
      );
      const file = visible.find(([filePath]) => filePath === path)?.[1];
      if (file === undefined) {
        if (visible.some(([filePath]) => filePath.startsWith(`${path}/`))) {
          fail('validation', `"${path}" is a directory in repository "${state.repository.fullName}", not a file`);
        }
        const at = input.ref ?? branch ?? 'its default branch';
        return fail('not_found', `File "${path}" does not exist in repository "${state.repository.fullName}" at "${at}"`);
      }
      const bytes = Buffer.from(file.content, file.encoding ?? 'utf8');
      return { path, sha: blobSha(bytes), size: bytes.byteLength, content: bytes.toString(input.encoding), encoding: input.encoding };
    },
  };

  return createMemoryProvider({
    id: options.id ?? 'memory-repositories',
    name: 'In-memory repositories',
    category: 'code',
    contract: repositoriesV1,
    handlers,
  });
}
