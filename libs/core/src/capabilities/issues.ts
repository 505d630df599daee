import { z } from 'zod';
import { defineCapability } from './capability';
import { SYSTEM_OF_RECORD_POLICY, touches } from './data-policy';
import { pageCursorSchema, pageLimitSchema, timestampSchema } from './capability-schemas';

/**
 * Which project (repository) an issue belongs to, in the provider's own terms:
 * GitHub `owner/repo` ("acme/website"), GitLab project path
 * ("acme/platform/website") or id, Jira project key ("ACME").
 */
export const projectIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^\S+$/, 'must not contain spaces')
  .describe('Project: GitHub "owner/repo", GitLab project path, or Jira project key, e.g. "acme/website" or "ACME".');

/** An issue within its project: GitHub issue number or GitLab iid ("42"), Jira issue key ("ACME-42"). */
export const issueIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^\S+$/, 'must not contain spaces')
  .describe('Issue id within the project: "42" (GitHub number, GitLab iid) or "ACME-42" (Jira key).');

/** Open or closed; providers map their workflows (Jira statuses, GitLab "opened") onto these two. */
export const issueStateSchema = z.enum(['open', 'closed']);

const titleSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .describe('One-line title (Jira: summary).');
const bodySchema = z.string().max(65_536, 'must be at most 65536 characters');
const labelsSchema = z
  .array(z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters'))
  .max(100, 'must list at most 100 labels');
const assigneesSchema = z
  .array(z.string().min(1, 'must not be empty').max(255))
  .max(10, 'must list at most 10 assignees')
  .describe('User names (GitHub login, GitLab username) or Jira account ids. Jira and GitLab Free take only one.');

/** An issue, mapped to one shape from GitHub issues, GitLab issues and Jira issues. */
export const issueSchema = z.object({
  /** What to pass as `issueId`: "42" for GitHub and GitLab, "ACME-42" for Jira. */
  id: z.string().min(1),
  /** What to pass as `project`. */
  project: z.string().min(1),
  /** The issue number (GitHub number, GitLab iid), where the provider numbers issues. */
  number: z.number().int().positive().optional(),
  title: z.string(),
  /** The description as Markdown or plain text; `''` when there is none. */
  body: z.string(),
  state: issueStateSchema,
  labels: z.array(z.string()),
  assignees: z.array(z.string()),
  /** Where a person can see the issue. */
  url: z.url({ protocol: /^https?$/ }),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});

/** A comment on an issue. */
export const issueCommentSchema = z.object({
  id: z.string().min(1),
  issueId: z.string().min(1),
  body: z.string(),
  /** Who wrote it, when the provider says. */
  author: z.string().optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  createdAt: timestampSchema,
});

/** A project (repository) that holds issues. */
export const issueProjectSchema = z.object({
  /** What to pass as `project`, e.g. "acme/website" or "ACME". */
  id: z.string().min(1),
  name: z.string(),
  description: z.string().optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
});

const issueAddress = { project: projectIdSchema, issueId: issueIdSchema };

const createIssue = {
  description: 'Open a new issue in a project. Not safe to repeat: each call opens another issue.',
  input: z.strictObject({
    project: projectIdSchema,
    title: titleSchema,
    body: bodySchema.default('').describe('Description, Markdown where the provider renders it; default "".'),
    labels: labelsSchema.optional().describe('Labels to set; default none.'),
    assignees: assigneesSchema.optional(),
  }),
  output: issueSchema,
  hints: { readOnly: false, destructive: false, idempotent: false },
  resource: touches('write'),
};

const getIssue = {
  description: 'Get one issue. Fails with not_found when the project or issue does not exist.',
  input: z.strictObject(issueAddress),
  output: issueSchema,
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('read'),
};

const updateIssue = {
  description:
    'Change an issue: title, body, state (open/closed), labels or assignees. Fields left out stay as they are; labels and assignees replace the current lists. Fails with not_found when the issue does not exist.',
  input: z.strictObject({
    ...issueAddress,
    title: titleSchema.optional(),
    body: bodySchema.optional(),
    state: issueStateSchema.optional().describe('"closed" to close the issue, "open" to reopen it.'),
    labels: labelsSchema.optional().describe('The complete new list of labels.'),
    assignees: assigneesSchema.optional(),
  }),
  output: issueSchema,
  hints: { readOnly: false, destructive: true, idempotent: true },
  resource: touches('write'),
};

const commentOnIssue = {
  description: 'Add a comment to an issue. Not safe to repeat: each call adds another comment.',
  input: z.strictObject({ ...issueAddress, body: bodySchema.min(1, 'must not be empty') }),
  output: issueCommentSchema,
  hints: { readOnly: false, destructive: false, idempotent: false },
  resource: touches('write'),
};

const searchIssues = {
  description:
    'Find issues in a project by state, labels (all must match), assignee and free text, most recently updated first, one page at a time.',
  input: z.strictObject({
    project: projectIdSchema,
    query: z.string().min(1).max(256).optional().describe('Words to find in the title or body.'),
    state: z.enum(['open', 'closed', 'all']).default('open').describe('"open", "closed" or "all"; default "open".'),
    labels: labelsSchema.optional().describe('Only issues that carry every one of these labels.'),
    assignee: z.string().min(1).max(255).optional().describe('Only issues assigned to this user.'),
    cursor: pageCursorSchema.optional(),
    limit: pageLimitSchema(100, 30),
  }),
  output: z.object({ issues: z.array(issueSchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('list'),
};

const listProjects = {
  description: 'List the projects (repositories) the credentials can reach, one page at a time.',
  input: z.strictObject({
    query: z.string().min(1).max(256).optional().describe('Only projects whose id or name contains this.'),
    cursor: pageCursorSchema.optional(),
    limit: pageLimitSchema(100, 30),
  }),
  output: z.object({ projects: z.array(issueProjectSchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('list'),
};

/**
 * The `issues` capability, version 1: open, read, change, comment on and
 * search issues, as GitHub, GitLab and Jira all offer them. A `project` and an
 * `issueId` address an issue ("acme/website" + "42", "ACME" + "ACME-42").
 */
export const issuesV1 = defineCapability({
  name: 'issues',
  version: 1,
  description: 'Issues in projects: create, get, update, comment, search; list projects.',
  operations: { createIssue, getIssue, updateIssue, commentOnIssue, searchIssues, listProjects },
  // A project's issues live on one tracker: nothing fails over to another one unless the call asks for it.
  dataPolicy: SYSTEM_OF_RECORD_POLICY,
});

/** The operations of {@link issuesV1}. */
export type IssuesOperations = typeof issuesV1.operations;
/** The name of an {@link issuesV1} operation, e.g. `'createIssue'`. */
export type IssuesOperationName = keyof IssuesOperations;
/** The input an issues provider receives for an operation: parsed, defaults applied. */
export type IssuesOperationInput<Name extends IssuesOperationName> = z.output<IssuesOperations[Name]['input']>;
/** What an issues provider returns for an operation, and what callers receive. */
export type IssuesOperationOutput<Name extends IssuesOperationName> = z.output<IssuesOperations[Name]['output']>;
/** An issue; see {@link issueSchema}. */
export type Issue = z.output<typeof issueSchema>;
