import { z } from 'zod';
import { bodyEncodingSchema } from './storage';
import { defineCapability } from './capability';
import { SYSTEM_OF_RECORD_POLICY, touches } from './data-policy';
import { pageCursorSchema, pageLimitSchema, timestampSchema } from './capability-schemas';

/**
 * A repository: GitHub "owner/repo", GitLab "group/subgroup/project" (or its
 * numeric id), as `getRepository` and `searchRepositories` return it in `id`.
 */
export const repositoryIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^(?:\d+|[\w.-]+(?:\/[\w.-]+)+)$/, 'must be "owner/name" (GitLab: "group/subgroup/project" or a numeric id)')
  .describe('Repository: "owner/name", e.g. "acme/website"; GitLab also "group/subgroup/project" or a numeric id.');

/** A branch, tag or commit SHA. */
export const gitRefSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point (git refuses them in refs)
  .regex(/^(?!.*\.\.)(?!\/)[^\s~^:?*[\\\u0000-\u001f]+(?<!\/)$/, 'must be a branch, tag or commit SHA')
  .describe('Branch, tag or commit SHA, e.g. "main".');

/** A repository, mapped to one shape from GitHub and GitLab. */
export const repositorySchema = z.object({
  /** What to pass as `repository`. */
  id: z.string().min(1),
  name: z.string(),
  /** "owner/name" or the GitLab path with namespace. */
  fullName: z.string(),
  description: z.string().optional(),
  /** Undefined for an empty repository. */
  defaultBranch: z.string().optional(),
  visibility: z.enum(['public', 'private', 'internal']),
  archived: z.boolean(),
  url: z.url({ protocol: /^https?$/ }),
  /** Stars (GitLab: star count). */
  stars: z.number().int().nonnegative(),
  forks: z.number().int().nonnegative(),
  topics: z.array(z.string()),
  updatedAt: timestampSchema,
});

/** A commit as `listCommits` returns it. */
export const commitSchema = z.object({
  sha: z.string().min(7),
  /** The full commit message. */
  message: z.string(),
  authorName: z.string(),
  authorEmail: z.string().optional(),
  /** The author's account (GitHub login), when the platform linked one. */
  authorLogin: z.string().optional(),
  authoredAt: timestampSchema,
  url: z.url({ protocol: /^https?$/ }),
});

/** A pull request (GitHub) or merge request (GitLab). */
export const pullRequestSchema = z.object({
  /** The number (GitHub) or iid (GitLab) within the repository. */
  number: z.number().int().positive(),
  title: z.string(),
  /** The description; `''` when there is none. */
  body: z.string(),
  state: z.enum(['open', 'closed', 'merged']),
  draft: z.boolean(),
  /** The branch with the changes. */
  sourceBranch: z.string(),
  /** The branch it would merge into. */
  targetBranch: z.string(),
  author: z.string().optional(),
  url: z.url({ protocol: /^https?$/ }),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  mergedAt: timestampSchema.optional(),
});

const getRepository = {
  description:
    'Describe a repository: default branch, visibility, stars, topics. Fails with not_found when it does not exist or is not visible.',
  input: z.strictObject({ repository: repositoryIdSchema }),
  output: repositorySchema,
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('read'),
};

const searchRepositories = {
  description:
    'Find repositories by words in their name or description (platform search syntax is passed through), best match first, one page at a time.',
  input: z.strictObject({
    query: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(256, 'must be at most 256 characters')
      .describe('Words to find, e.g. "switchyard language:typescript".'),
    cursor: pageCursorSchema.optional(),
    limit: pageLimitSchema(100, 30),
  }),
  output: z.object({ repositories: z.array(repositorySchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('list'),
};

const listCommits = {
  description:
    'List commits reachable from a branch (default: the default branch), newest first, optionally by author and within a time range, one page at a time.',
  input: z
    .strictObject({
      repository: repositoryIdSchema,
      branch: gitRefSchema.optional().describe('Branch, tag or SHA to start from; default: the default branch.'),
      author: z.string().min(1).max(255).optional().describe('Only commits by this author (login, name or email).'),
      since: z.iso.datetime({ offset: true }).optional().describe('Only commits authored at or after this ISO 8601 time.'),
      until: z.iso.datetime({ offset: true }).optional().describe('Only commits authored at or before this ISO 8601 time.'),
      path: z.string().min(1).max(1024).optional().describe('Only commits touching this file or directory.'),
      cursor: pageCursorSchema.optional(),
      limit: pageLimitSchema(100, 30),
    })
    .refine((input) => input.since === undefined || input.until === undefined || Date.parse(input.since) <= Date.parse(input.until), {
      message: 'since must not be after until',
      path: ['since'],
    }),
  output: z.object({ commits: z.array(commitSchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('read'),
};

const listPullRequests = {
  description: 'List pull requests (GitLab: merge requests), most recently created first, one page at a time.',
  input: z.strictObject({
    repository: repositoryIdSchema,
    state: z
      .enum(['open', 'closed', 'merged', 'all'])
      .default('open')
      .describe('"open", "closed" (without merging), "merged" or "all"; default "open".'),
    targetBranch: gitRefSchema.optional().describe('Only those that would merge into this branch.'),
    cursor: pageCursorSchema.optional(),
    limit: pageLimitSchema(100, 30),
  }),
  output: z.object({ pullRequests: z.array(pullRequestSchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('read'),
};

const getFileContent = {
  description:
    'Read one file of a repository at a branch, tag or commit (default: the default branch). Fails with not_found when the file does not exist, and with validation when the path is a directory.',
  input: z.strictObject({
    repository: repositoryIdSchema,
    path: z
      .string()
      .min(1, 'must not be empty')
      .max(1024, 'must be at most 1024 characters')
      .regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$)).+$/, 'must be a relative path inside the repository, without ".." segments')
      .describe('File path from the repository root, e.g. "src/index.ts".'),
    ref: gitRefSchema.optional(),
    encoding: bodyEncodingSchema.describe('How to return the content: "utf8" for text, "base64" for binary; default "utf8".'),
  }),
  output: z.object({
    path: z.string(),
    /** The blob SHA of the file's content. */
    sha: z.string().min(1),
    size: z.number().int().nonnegative(),
    content: z.string(),
    encoding: z.enum(['utf8', 'base64']),
  }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('read'),
};

/**
 * The `repositories` capability, version 1: read code hosting data (GitHub,
 * GitLab): repositories, search, commits, pull/merge requests and files.
 * Writing (pushing, merging) is provider-specific and stays out of it.
 */
export const repositoriesV1 = defineCapability({
  name: 'repositories',
  version: 1,
  description: 'Code repositories: get, search, list commits and pull requests, read files.',
  operations: { getRepository, searchRepositories, listCommits, listPullRequests, getFileContent },
  // A repository lives on one host: reads do not fail over to another one unless the call asks for it.
  dataPolicy: SYSTEM_OF_RECORD_POLICY,
});

/** The operations of {@link repositoriesV1}. */
export type RepositoriesOperations = typeof repositoriesV1.operations;
/** The name of a {@link repositoriesV1} operation, e.g. `'listCommits'`. */
export type RepositoriesOperationName = keyof RepositoriesOperations;
/** The input a repositories provider receives for an operation: parsed, defaults applied. */
export type RepositoriesOperationInput<Name extends RepositoriesOperationName> = z.output<RepositoriesOperations[Name]['input']>;
/** What a repositories provider returns for an operation, and what callers receive. */
export type RepositoriesOperationOutput<Name extends RepositoriesOperationName> = z.output<RepositoriesOperations[Name]['output']>;
/** A repository; see {@link repositorySchema}. */
export type Repository = z.output<typeof repositorySchema>;
/** A commit; see {@link commitSchema}. */
export type Commit = z.output<typeof commitSchema>;
/** A pull or merge request; see {@link pullRequestSchema}. */
export type PullRequest = z.output<typeof pullRequestSchema>;
