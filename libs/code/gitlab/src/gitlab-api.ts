import { z } from 'zod';

// Response schemas: only the fields the provider reads.

/** A field GitLab may leave out or send as `null`; either way it reads as `undefined`. */
function optional<Schema extends z.ZodType>(schema: Schema) {
  return schema.nullish().transform((value) => value ?? undefined);
}

/** A timestamp, returned in UTC (`2021-09-20T06:06:12.201Z`): GitLab sends some with offsets (`+03:00`). */
const timestamp = z
  .string()
  .refine((value) => Number.isFinite(Date.parse(value)), 'expected an ISO 8601 timestamp')
  .transform((value) => new Date(value).toISOString());

const author = optional(z.object({ username: optional(z.string()) }));

/** An issue (`GET /projects/:id/issues/:iid`). */
export const issueSchema = z.object({
  iid: z.int(),
  title: z.string(),
  description: optional(z.string()),
  state: z.string(),
  labels: optional(z.array(z.string())),
  assignees: optional(z.array(z.object({ username: z.string() }))),
  web_url: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
});

/** A note (comment), as `POST /projects/:id/issues/:iid/notes` returns it. */
export const noteSchema = z.object({ id: z.int(), body: z.string(), author, created_at: timestamp });

/** A project (`GET /projects/:id`). */
export const projectSchema = z.object({
  name: z.string(),
  path_with_namespace: z.string(),
  description: optional(z.string()),
  default_branch: optional(z.string()),
  visibility: optional(z.string()),
  archived: optional(z.boolean()),
  web_url: z.string(),
  star_count: optional(z.int()),
  forks_count: optional(z.int()),
  topics: optional(z.array(z.string())),
  /** What GitLab before 14.0 called `topics`. */
  tag_list: optional(z.array(z.string())),
  last_activity_at: optional(timestamp),
  created_at: timestamp,
});

/** A commit, as `GET /projects/:id/repository/commits` lists it. */
export const commitSchema = z.object({
  id: z.string(),
  message: z.string(),
  author_name: z.string(),
  author_email: optional(z.string()),
  authored_date: timestamp,
  web_url: z.string(),
});

/** A merge request, as `GET /projects/:id/merge_requests` lists it. */
export const mergeRequestSchema = z.object({
  iid: z.int(),
  title: z.string(),
  description: optional(z.string()),
  state: z.string(),
  draft: optional(z.boolean()),
  /** What GitLab before 14.0 called `draft`. */
  work_in_progress: optional(z.boolean()),
  source_branch: z.string(),
  target_branch: z.string(),
  author,
  web_url: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
  merged_at: optional(timestamp),
});

/** A file, as `GET /projects/:id/repository/files/:file_path` returns it. */
export const fileSchema = z.object({
  file_path: z.string(),
  size: z.int(),
  encoding: z.string(),
  content: z.string(),
  blob_id: z.string(),
});

/** The `*_events` flags of a project hook; `createWebhook` takes them as event names without `_events`. */
export const HOOK_EVENT_FLAGS = [
  'push_events',
  'issues_events',
  'merge_requests_events',
  'note_events',
  'tag_push_events',
  'pipeline_events',
  'job_events',
  'releases_events',
  'wiki_page_events',
  'deployment_events',
] as const;

const eventFlag = optional(z.boolean());
const hookEventFlags = Object.fromEntries(HOOK_EVENT_FLAGS.map((flag) => [flag, eventFlag])) as Record<
  (typeof HOOK_EVENT_FLAGS)[number],
  typeof eventFlag
>;

/** A project webhook (`GET /projects/:id/hooks`). */
export const hookSchema = z.object({ id: z.int(), url: z.string(), created_at: optional(timestamp), ...hookEventFlags });

/** A user, as `GET /users?username=` lists it. */
export const userSchema = z.object({ id: z.int(), username: z.string() });

/** An entry of `GET /projects/:id/repository/tree`: only whether there is one matters, so no field is read. */
export const treeEntrySchema = z.object({});

/** The token endpoint's answer to a refresh-token grant. */
export const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: optional(z.string()),
  expires_in: optional(z.number()),
});

/** An issue as {@link issueSchema} reads it. */
export type GitlabIssue = z.output<typeof issueSchema>;
/** A project as {@link projectSchema} reads it. */
export type GitlabProject = z.output<typeof projectSchema>;
/** A merge request as {@link mergeRequestSchema} reads it. */
export type GitlabMergeRequest = z.output<typeof mergeRequestSchema>;
/** A project webhook as {@link hookSchema} reads it. */
export type GitlabHook = z.output<typeof hookSchema>;
