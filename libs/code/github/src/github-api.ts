import type { Commit, Issue, PullRequest, Repository } from '@switchyard/core';
import { z } from 'zod';

/**
 * GitHub REST response schemas: each lists only the fields the provider
 * maps (`.nullish()` for optional ones), named as in GitHub's REST reference,
 * and the one place GitHub's data becomes the capabilities' shapes. A
 * mismatch fails with `provider` through `parseResponse`, naming the field.
 */

/** GitHub's `2011-04-10T20:09:31Z`, read as `2011-04-10T20:09:31.000Z`. */
const githubTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a time')
  .transform((value) => new Date(value).toISOString());

const user = z.object({ login: z.string() });

/** An empty string is no value: GitHub sends `""` and `null` alike for a missing description or body. */
function text(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** An issue (`GET /repos/{owner}/{repo}/issues/{number}`, list and search items); `pull_request` marks a pull request. */
export const githubIssueSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.string(),
  labels: z.array(z.union([z.string(), z.object({ name: z.string() })])).nullish(),
  assignees: z.array(user).nullish(),
  html_url: z.string(),
  created_at: githubTime,
  updated_at: githubTime,
  pull_request: z.unknown().optional(),
});
export type GithubIssue = z.output<typeof githubIssueSchema>;

/** `GET /search/issues` and `GET /search/repositories`: the page's items. */
export function searchItemsSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item) }).transform((result) => result.items);
}

/** Whether an item of the issues list or search is a pull request (GitHub lists them with issues). */
export function isPullRequest(issue: GithubIssue): boolean {
  return issue.pull_request !== undefined && issue.pull_request !== null;
}

export function toIssue(issue: GithubIssue, project: string): Issue {
  return {
    id: String(issue.number),
    project,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    state: issue.state === 'closed' ? 'closed' : 'open',
    labels: (issue.labels ?? []).map((label) => (typeof label === 'string' ? label : label.name)),
    assignees: (issue.assignees ?? []).map((assignee) => assignee.login),
    url: issue.html_url,
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
  };
}

/** An issue comment (`POST /repos/{owner}/{repo}/issues/{number}/comments`). */
export const githubCommentSchema = z
  .object({
    id: z.number().int(),
    body: z.string().nullish(),
    user: user.nullish(),
    html_url: z.string().nullish(),
    created_at: githubTime,
  })
  .transform((comment) => ({
    id: String(comment.id),
    body: comment.body ?? '',
    author: text(comment.user?.login),
    url: text(comment.html_url),
    createdAt: comment.created_at,
  }));

/** A project of `listProjects`: a repository of `GET /user/repos` or `GET /installation/repositories`. */
export const githubProjectSchema = z
  .object({ full_name: z.string(), name: z.string(), description: z.string().nullish(), html_url: z.string().nullish() })
  .transform((repository) => ({
    id: repository.full_name,
    name: repository.name,
    description: text(repository.description),
    url: text(repository.html_url),
  }));

/** `GET /installation/repositories`. */
export const installationRepositoriesSchema = z
  .object({ repositories: z.array(githubProjectSchema) })
  .transform((page) => page.repositories);

/** A repository (`GET /repos/{owner}/{repo}`, `/repositories/{id}`, `/search/repositories` items). */
export const githubRepositorySchema = z
  .object({
    full_name: z.string(),
    name: z.string(),
    description: z.string().nullish(),
    default_branch: z.string().nullish(),
    visibility: z.string().nullish(),
    private: z.boolean().nullish(),
    archived: z.boolean().nullish(),
    html_url: z.string(),
    stargazers_count: z.number().int(),
    forks_count: z.number().int(),
    topics: z.array(z.string()).nullish(),
    updated_at: githubTime,
  })
  .transform((repository): Repository => {
    const visibility = text(repository.visibility) ?? (repository.private === true ? 'private' : 'public');
    return {
      id: repository.full_name,
      name: repository.name,
      fullName: repository.full_name,
      description: text(repository.description),
      defaultBranch: text(repository.default_branch),
      visibility: visibility === 'private' || visibility === 'internal' ? visibility : 'public',
      archived: repository.archived === true,
      url: repository.html_url,
      stars: repository.stargazers_count,
      forks: repository.forks_count,
      topics: repository.topics ?? [],
      updatedAt: repository.updated_at,
    };
  });

/** A commit (`GET /repos/{owner}/{repo}/commits` items). */
export const githubCommitSchema = z
  .object({
    sha: z.string(),
    html_url: z.string(),
    author: user.nullish(),
    commit: z.object({ message: z.string(), author: z.object({ name: z.string(), email: z.string().nullish(), date: githubTime }) }),
  })
  .transform((commit): Commit => ({
    sha: commit.sha,
    message: commit.commit.message,
    authorName: commit.commit.author.name,
    authorEmail: text(commit.commit.author.email),
    authorLogin: text(commit.author?.login),
    authoredAt: commit.commit.author.date,
    url: commit.html_url,
  }));

/** A pull request (`GET /repos/{owner}/{repo}/pulls` items); merged = closed with `merged_at`. */
export const githubPullRequestSchema = z
  .object({
    number: z.number().int(),
    title: z.string(),
    body: z.string().nullish(),
    state: z.string(),
    draft: z.boolean().nullish(),
    head: z.object({ ref: z.string() }),
    base: z.object({ ref: z.string() }),
    user: user.nullish(),
    html_url: z.string(),
    created_at: githubTime,
    updated_at: githubTime,
    merged_at: githubTime.nullish(),
  })
  .transform((pull): PullRequest => {
    const mergedAt = pull.merged_at ?? undefined;
    return {
      number: pull.number,
      title: pull.title,
      body: pull.body ?? '',
      state: pull.state === 'open' ? 'open' : mergedAt === undefined ? 'closed' : 'merged',
      draft: pull.draft === true,
      sourceBranch: pull.head.ref,
      targetBranch: pull.base.ref,
      author: text(pull.user?.login),
      url: pull.html_url,
      createdAt: pull.created_at,
      updatedAt: pull.updated_at,
      mergedAt,
    };
  });

/** `GET /repos/{owner}/{repo}/contents/{path}`: a directory's listing, or one entry with its base64 content (empty above 1 MB). */
export const githubContentSchema = z.union([
  z.array(z.unknown()),
  z.object({
    type: z.string(),
    path: z.string(),
    sha: z.string(),
    size: z.number().int(),
    content: z.string().nullish(),
    encoding: z.string().nullish(),
  }),
]);

/** `GET /repos/{owner}/{repo}/git/blobs/{sha}`: a file's base64 content, up to 100 MB. */
export const githubBlobSchema = z.object({ content: z.string().nullish() });

/** A repository webhook (`GET /repos/{owner}/{repo}/hooks` items, `POST` answer). */
export const githubHookSchema = z
  .object({
    id: z.number().int(),
    config: z.object({ url: z.string().nullish() }).nullish(),
    events: z.array(z.string()).nullish(),
    active: z.boolean().nullish(),
  })
  .transform((hook) => ({ id: hook.id, url: hook.config?.url ?? '', events: hook.events ?? [], active: hook.active !== false }));

/** `POST /app/installations/{installation_id}/access_tokens`. */
export const installationTokenSchema = z.object({ token: z.string().min(1), expires_at: githubTime });

/** GitHub's error body: `{ message, errors: [{ resource, field, code, message? }] }` (or plain strings in `errors`). */
export const githubErrorBodySchema = z.object({
  message: z.string().nullish(),
  errors: z
    .array(z.union([z.string(), z.object({ message: z.string().nullish(), field: z.string().nullish(), code: z.string().nullish() })]))
    .nullish(),
});
