import { IntegrationError } from '@switchyard/core';
import type { HttpResponse, ResponseSchema } from '@switchyard/http';

/** A response field that is not what the code reads. */
class SchemaIssue extends Error {
  readonly path: readonly string[];

  constructor(path: readonly string[], message: string) {
    super(message);
    this.path = path;
  }
}

type Path = readonly string[];

function responseSchema<T>(read: (value: unknown) => T): ResponseSchema<T> {
  return {
    safeParse(value) {
      try {
        return { success: true, data: read(value) };
      } catch (error) {
        if (!(error instanceof SchemaIssue)) throw error;
        return { success: false, error: { issues: [{ path: error.path, message: error.message }] } };
      }
    },
  };
}

function record(value: unknown, path: Path): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SchemaIssue(path, 'expected an object');
  return value as Record<string, unknown>;
}

function text(value: unknown, path: Path): string {
  if (typeof value !== 'string') throw new SchemaIssue(path, 'expected a string');
  return value;
}

function optionalText(value: unknown, path: Path): string | undefined {
  return value === undefined || value === null ? undefined : text(value, path);
}

/** A timestamp in UTC (`2021-09-20T08:50:22.001Z`): GitLab sends some with offsets (`+03:00`). */
function timestamp(value: unknown, path: Path): string {
  const parsed = Date.parse(text(value, path));
  if (!Number.isFinite(parsed)) throw new SchemaIssue(path, 'expected an ISO 8601 timestamp');
  return new Date(parsed).toISOString();
}

function optionalTimestamp(value: unknown, path: Path): string | undefined {
  return value === undefined || value === null ? undefined : timestamp(value, path);
}

function integer(value: unknown, path: Path): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new SchemaIssue(path, 'expected an integer');
  return value;
}

function texts(value: unknown, path: Path): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SchemaIssue(path, 'expected an array');
  return value.map((entry, index) => text(entry, [...path, String(index)]));
}

function list<T>(item: (value: unknown, path: Path) => T): ResponseSchema<T[]> {
  return responseSchema((value) => {
    if (!Array.isArray(value)) throw new SchemaIssue([], 'expected an array');
    return value.map((entry, index) => item(entry, [String(index)]));
  });
}

/** The fields of a GitLab issue the provider reads (`GET /projects/:id/issues/:iid`). */
export interface GitlabIssue {
  readonly iid: number;
  readonly title: string;
  readonly description: string | undefined;
  readonly state: string;
  readonly labels: string[];
  readonly assignees: string[];
  readonly webUrl: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function readIssue(value: unknown, path: Path): GitlabIssue {
  const issue = record(value, path);
  const assignees = Array.isArray(issue.assignees) ? issue.assignees : [];
  return {
    iid: integer(issue.iid, [...path, 'iid']),
    title: text(issue.title, [...path, 'title']),
    description: optionalText(issue.description, [...path, 'description']),
    state: text(issue.state, [...path, 'state']),
    labels: texts(issue.labels, [...path, 'labels']),
    assignees: assignees.map((entry, index) => text(record(entry, [...path, 'assignees', String(index)]).username, [...path, 'assignees', String(index), 'username'])),
    webUrl: text(issue.web_url, [...path, 'web_url']),
    createdAt: timestamp(issue.created_at, [...path, 'created_at']),
    updatedAt: timestamp(issue.updated_at, [...path, 'updated_at']),
  };
}

/** A note (comment) as `POST /projects/:id/issues/:iid/notes` returns it. */
export interface GitlabNote {
  readonly id: number;
  readonly body: string;
  readonly author: string | undefined;
  readonly createdAt: string;
}

function readNote(value: unknown, path: Path): GitlabNote {
  const note = record(value, path);
  const author = note.author === undefined || note.author === null ? undefined : record(note.author, [...path, 'author']);
  return {
    id: integer(note.id, [...path, 'id']),
    body: text(note.body, [...path, 'body']),
    author: optionalText(author?.username, [...path, 'author', 'username']),
    createdAt: timestamp(note.created_at, [...path, 'created_at']),
  };
}

/** The fields of a project (`GET /projects/:id`) the provider reads. */
export interface GitlabProject {
  readonly id: number;
  readonly name: string;
  readonly pathWithNamespace: string;
  readonly description: string | undefined;
  readonly defaultBranch: string | undefined;
  readonly visibility: string | undefined;
  readonly archived: boolean;
  readonly webUrl: string;
  readonly stars: number;
  readonly forks: number;
  readonly topics: string[];
  readonly lastActivityAt: string;
}

function readProject(value: unknown, path: Path): GitlabProject {
  const project = record(value, path);
  return {
    id: integer(project.id, [...path, 'id']),
    name: text(project.name, [...path, 'name']),
    pathWithNamespace: text(project.path_with_namespace, [...path, 'path_with_namespace']),
    description: optionalText(project.description, [...path, 'description']),
    defaultBranch: optionalText(project.default_branch, [...path, 'default_branch']),
    visibility: optionalText(project.visibility, [...path, 'visibility']),
    archived: project.archived === true,
    webUrl: text(project.web_url, [...path, 'web_url']),
    stars: typeof project.star_count === 'number' ? project.star_count : 0,
    forks: typeof project.forks_count === 'number' ? project.forks_count : 0,
    topics: texts(project.topics ?? project.tag_list, [...path, 'topics']),
    lastActivityAt: timestamp(project.last_activity_at ?? project.created_at, [...path, 'last_activity_at']),
  };
}

/** A commit as `GET /projects/:id/repository/commits` lists it. */
export interface GitlabCommit {
  readonly id: string;
  readonly message: string;
  readonly authorName: string;
  readonly authorEmail: string | undefined;
  readonly authoredDate: string;
  readonly webUrl: string;
}

function readCommit(value: unknown, path: Path): GitlabCommit {
  const commit = record(value, path);
  return {
    id: text(commit.id, [...path, 'id']),
    message: text(commit.message, [...path, 'message']),
    authorName: text(commit.author_name, [...path, 'author_name']),
    authorEmail: optionalText(commit.author_email, [...path, 'author_email']),
    authoredDate: timestamp(commit.authored_date, [...path, 'authored_date']),
    webUrl: text(commit.web_url, [...path, 'web_url']),
  };
}

/** A merge request as `GET /projects/:id/merge_requests` lists it. */
export interface GitlabMergeRequest {
  readonly iid: number;
  readonly title: string;
  readonly description: string | undefined;
  readonly state: string;
  readonly draft: boolean;
  readonly sourceBranch: string;
  readonly targetBranch: string;
  readonly author: string | undefined;
  readonly webUrl: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly mergedAt: string | undefined;
}

function readMergeRequest(value: unknown, path: Path): GitlabMergeRequest {
  const request = record(value, path);
  const author = request.author === undefined || request.author === null ? undefined : record(request.author, [...path, 'author']);
  return {
    iid: integer(request.iid, [...path, 'iid']),
    title: text(request.title, [...path, 'title']),
    description: optionalText(request.description, [...path, 'description']),
    state: text(request.state, [...path, 'state']),
    draft: request.draft === true || request.work_in_progress === true,
    sourceBranch: text(request.source_branch, [...path, 'source_branch']),
    targetBranch: text(request.target_branch, [...path, 'target_branch']),
    author: optionalText(author?.username, [...path, 'author', 'username']),
    webUrl: text(request.web_url, [...path, 'web_url']),
    createdAt: timestamp(request.created_at, [...path, 'created_at']),
    updatedAt: timestamp(request.updated_at, [...path, 'updated_at']),
    mergedAt: optionalTimestamp(request.merged_at, [...path, 'merged_at']),
  };
}

/** A file as `GET /projects/:id/repository/files/:file_path` returns it. */
export interface GitlabFile {
  readonly filePath: string;
  readonly size: number;
  readonly encoding: string;
  readonly content: string;
  readonly blobId: string;
}

function readFile(value: unknown): GitlabFile {
  const file = record(value, []);
  return {
    filePath: text(file.file_path, ['file_path']),
    size: integer(file.size, ['size']),
    encoding: text(file.encoding, ['encoding']),
    content: text(file.content, ['content']),
    blobId: text(file.blob_id, ['blob_id']),
  };
}

/** A project webhook (`GET /projects/:id/hooks`). */
export interface GitlabHook {
  readonly id: number;
  readonly url: string;
  readonly events: string[];
  readonly createdAt: string | undefined;
}

/** The `*_events` flags of a hook that `createWebhook` takes as event names. */
export const HOOK_EVENT_FLAGS = ['push_events', 'issues_events', 'merge_requests_events', 'note_events', 'tag_push_events', 'pipeline_events', 'job_events', 'releases_events', 'wiki_page_events', 'deployment_events'] as const;

function readHook(value: unknown, path: Path): GitlabHook {
  const hook = record(value, path);
  return {
    id: integer(hook.id, [...path, 'id']),
    url: text(hook.url, [...path, 'url']),
    events: HOOK_EVENT_FLAGS.filter((flag) => hook[flag] === true).map((flag) => flag.replace(/_events$/, '')),
    createdAt: optionalTimestamp(hook.created_at, [...path, 'created_at']),
  };
}

function readUser(value: unknown, path: Path): { id: number; username: string } {
  const user = record(value, path);
  return { id: integer(user.id, [...path, 'id']), username: text(user.username, [...path, 'username']) };
}

function readTreeEntry(value: unknown, path: Path): { type: string } {
  return { type: text(record(value, path).type, [...path, 'type']) };
}

/** Response schemas with only the fields the provider reads. */
export const schemas = {
  issue: responseSchema((value) => readIssue(value, [])),
  issues: list(readIssue),
  note: responseSchema((value) => readNote(value, [])),
  project: responseSchema((value) => readProject(value, [])),
  projects: list(readProject),
  commits: list(readCommit),
  mergeRequests: list(readMergeRequest),
  file: responseSchema(readFile),
  hook: responseSchema((value) => readHook(value, [])),
  hooks: list(readHook),
  users: list(readUser),
  tree: list(readTreeEntry),
};

/** The next page from `X-Next-Page` (offset pagination), as an opaque cursor; undefined on the last page. */
export function nextPageCursor(response: HttpResponse<unknown>): string | undefined {
  const header = response.headers['x-next-page'];
  const next = Array.isArray(header) ? header[0] : header;
  return next !== undefined && /^[1-9]\d*$/.test(next) ? next : undefined;
}

/** The `page` query value of a cursor from {@link nextPageCursor}; anything else is `validation`. */
export function pageFromCursor(cursor: string | undefined, operation: string): number {
  if (cursor === undefined) return 1;
  if (/^[1-9]\d{0,8}$/.test(cursor)) return Number(cursor);
  throw new IntegrationError({ kind: 'validation', message: `gitlab: unknown cursor for ${operation}`, provider: 'gitlab', operation, isRetryable: false });
}
