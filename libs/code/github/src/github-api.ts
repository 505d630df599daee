import { IntegrationError, type Commit, type Issue, type PullRequest, type Repository } from '@switchyard/core';

/**
 * Readers for GitHub REST responses: each reads only the fields the provider
 * maps, and fails with `provider` (naming the field) when GitHub's answer has
 * another shape. Field names follow GitHub's REST reference.
 */
type Json = Record<string, unknown>;

function unexpected(what: string, operation: string): IntegrationError {
  return new IntegrationError({ kind: 'provider', message: `github: ${operation}: unexpected response (${what})`, provider: 'github', operation });
}

export function object(value: unknown, what: string, operation: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unexpected(`${what} is not an object`, operation);
  return value as Json;
}

export function array(value: unknown, what: string, operation: string): unknown[] {
  if (!Array.isArray(value)) throw unexpected(`${what} is not a list`, operation);
  return value;
}

function text(record: Json, name: string, operation: string): string {
  const value = record[name];
  if (typeof value !== 'string') throw unexpected(`${name} is not a string`, operation);
  return value;
}

function optionalText(record: Json, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function count(record: Json, name: string, operation: string): number {
  const value = record[name];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw unexpected(`${name} is not a number`, operation);
  return value;
}

/** GitHub's `2011-04-10T20:09:31Z` as `2011-04-10T20:09:31.000Z`. */
function timestamp(record: Json, name: string, operation: string): string {
  const time = Date.parse(text(record, name, operation));
  if (Number.isNaN(time)) throw unexpected(`${name} is not a time`, operation);
  return new Date(time).toISOString();
}

function optionalTimestamp(record: Json, name: string, operation: string): string | undefined {
  return record[name] === null || record[name] === undefined ? undefined : timestamp(record, name, operation);
}

function login(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? optionalText(value as Json, 'login') : undefined;
}

/** Whether an item of `GET /repos/{owner}/{repo}/issues` or `/search/issues` is a pull request. */
export function isPullRequest(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Json).pull_request !== undefined && (value as Json).pull_request !== null;
}

/** An issue (`GET /repos/{owner}/{repo}/issues/{number}`). */
export function readIssue(value: unknown, project: string, operation: string): Issue {
  const issue = object(value, 'issue', operation);
  const number = count(issue, 'number', operation);
  const labels = array(issue.labels ?? [], 'labels', operation).map((label) => (typeof label === 'string' ? label : text(object(label, 'label', operation), 'name', operation)));
  const assignees = array(issue.assignees ?? [], 'assignees', operation)
    .map(login)
    .filter((name): name is string => name !== undefined);
  return {
    id: String(number),
    project,
    number,
    title: text(issue, 'title', operation),
    body: optionalText(issue, 'body') ?? '',
    state: text(issue, 'state', operation) === 'closed' ? 'closed' : 'open',
    labels,
    assignees,
    url: text(issue, 'html_url', operation),
    createdAt: timestamp(issue, 'created_at', operation),
    updatedAt: timestamp(issue, 'updated_at', operation),
  };
}

/** An issue comment (`POST /repos/{owner}/{repo}/issues/{number}/comments`). */
export function readComment(value: unknown, issueId: string, operation: string) {
  const comment = object(value, 'comment', operation);
  return {
    id: String(count(comment, 'id', operation)),
    issueId,
    body: optionalText(comment, 'body') ?? '',
    author: login(comment.user),
    url: optionalText(comment, 'html_url'),
    createdAt: timestamp(comment, 'created_at', operation),
  };
}

/** A repository (`GET /repos/{owner}/{repo}`, `/search/repositories` items, `/user/repos` items). */
export function readRepository(value: unknown, operation: string): Repository {
  const repository = object(value, 'repository', operation);
  const fullName = text(repository, 'full_name', operation);
  const visibility = optionalText(repository, 'visibility') ?? (repository.private === true ? 'private' : 'public');
  return {
    id: fullName,
    name: text(repository, 'name', operation),
    fullName,
    description: optionalText(repository, 'description'),
    defaultBranch: optionalText(repository, 'default_branch'),
    visibility: visibility === 'private' || visibility === 'internal' ? visibility : 'public',
    archived: repository.archived === true,
    url: text(repository, 'html_url', operation),
    stars: count(repository, 'stargazers_count', operation),
    forks: count(repository, 'forks_count', operation),
    topics: array(repository.topics ?? [], 'topics', operation).filter((topic): topic is string => typeof topic === 'string'),
    updatedAt: timestamp(repository, 'updated_at', operation),
  };
}

/** A commit (`GET /repos/{owner}/{repo}/commits` items). */
export function readCommit(value: unknown, operation: string): Commit {
  const commit = object(value, 'commit', operation);
  const details = object(commit.commit, 'commit.commit', operation);
  const author = object(details.author, 'commit.author', operation);
  return {
    sha: text(commit, 'sha', operation),
    message: text(details, 'message', operation),
    authorName: text(author, 'name', operation),
    authorEmail: optionalText(author, 'email'),
    authorLogin: login(commit.author),
    authoredAt: timestamp(author, 'date', operation),
    url: text(commit, 'html_url', operation),
  };
}

/** A pull request (`GET /repos/{owner}/{repo}/pulls` items); merged = closed with `merged_at`. */
export function readPullRequest(value: unknown, operation: string): PullRequest {
  const pull = object(value, 'pull request', operation);
  const mergedAt = optionalTimestamp(pull, 'merged_at', operation);
  const state = text(pull, 'state', operation) === 'open' ? 'open' : mergedAt === undefined ? 'closed' : 'merged';
  return {
    number: count(pull, 'number', operation),
    title: text(pull, 'title', operation),
    body: optionalText(pull, 'body') ?? '',
    state,
    draft: pull.draft === true,
    sourceBranch: text(object(pull.head, 'head', operation), 'ref', operation),
    targetBranch: text(object(pull.base, 'base', operation), 'ref', operation),
    author: login(pull.user),
    url: text(pull, 'html_url', operation),
    createdAt: timestamp(pull, 'created_at', operation),
    updatedAt: timestamp(pull, 'updated_at', operation),
    mergedAt,
  };
}

/** A file of the contents API: its blob SHA, size and base64 content (empty above 1 MB). */
export function readFile(value: Json, operation: string): { path: string; sha: string; size: number; content: string; encoding: string } {
  return {
    path: text(value, 'path', operation),
    sha: text(value, 'sha', operation),
    size: count(value, 'size', operation),
    content: optionalText(value, 'content') ?? '',
    encoding: optionalText(value, 'encoding') ?? 'base64',
  };
}

/** A repository webhook (`GET /repos/{owner}/{repo}/hooks` items). */
export function readHook(value: unknown, operation: string) {
  const hook = object(value, 'hook', operation);
  const config = object(hook.config ?? {}, 'hook config', operation);
  return {
    id: count(hook, 'id', operation),
    url: optionalText(config, 'url') ?? '',
    events: array(hook.events ?? [], 'events', operation).filter((event): event is string => typeof event === 'string'),
    active: hook.active !== false,
  };
}
