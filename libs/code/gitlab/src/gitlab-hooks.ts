import { issueProjectSchema, issueSchema, projectIdSchema, registerSecret, repositorySchema, type ProviderOperation } from '@switchyard/core';
import { HOOK_EVENT_FLAGS, nextPageCursor, schemas, type GitlabHook } from './gitlab-api';
import { projectPath, type GitlabCallContext, type GitlabClient } from './gitlab-client';

// Schemas are built from core's exported zod schemas, so the package needs no zod of its own.
const emptyObject = issueProjectSchema.pick({});
const urlSchema = issueSchema.shape.url;
const hookIdSchema = issueSchema.shape.number.unwrap();
const EVENT_NAMES: readonly string[] = HOOK_EVENT_FLAGS.map((flag) => flag.replace(/_events$/, ''));
const DEFAULT_EVENTS = ['push', 'issues', 'merge_requests', 'note'];
const eventsSchema = issueSchema.shape.labels
  .min(1)
  .refine((events) => events.every((event) => EVENT_NAMES.includes(event)), `each event must be one of: ${EVENT_NAMES.join(', ')}`);

const webhookSchema = emptyObject.extend({
  id: hookIdSchema,
  url: urlSchema,
  events: issueSchema.shape.labels,
  createdAt: issueSchema.shape.createdAt.optional(),
});

/** Hook lists are read at most this many pages deep (100 hooks each) when looking for an existing URL. */
const MAXIMUM_HOOK_PAGES = 10;

function toWebhook(hook: GitlabHook) {
  return { id: hook.id, url: hook.url, events: hook.events, ...(hook.createdAt === undefined ? {} : { createdAt: hook.createdAt }) };
}

/**
 * GitLab-only operations for project webhooks (`/projects/:id/hooks`):
 * `createWebhook` (idempotent by URL: an existing hook with the same URL is
 * returned, not duplicated), `listWebhooks` and `deleteWebhook`.
 */
export function createHookOperations(client: GitlabClient, defaultToken: () => string | undefined): Record<string, ProviderOperation> {
  async function listAll(project: string, context: GitlabCallContext): Promise<GitlabHook[]> {
    const hooks: GitlabHook[] = [];
    let page: string | undefined = '1';
    for (let count = 0; page !== undefined && count < MAXIMUM_HOOK_PAGES; count += 1) {
      const response = await client.request({ path: `${projectPath(project)}/hooks`, query: { page, per_page: 100 }, responseSchema: schemas.hooks }, context);
      hooks.push(...response.data);
      page = nextPageCursor(response);
    }
    return hooks;
  }

  const createWebhook: ProviderOperation = {
    description:
      'Register a project webhook for events (push, issues, merge_requests, note, ...; default push, issues, merge_requests and note) with the secret token GitLab sends in X-Gitlab-Token. Idempotent: when the project already has a hook with this URL, that hook is returned (created: false) unchanged.',
    input: emptyObject
      .extend({
        project: projectIdSchema,
        url: urlSchema,
        events: eventsSchema.optional(),
        token: issueSchema.shape.title.min(1).optional().describe('Secret token; default: the provider\'s webhookToken (GITLAB_WEBHOOK_TOKEN).'),
      })
      .strict(),
    output: webhookSchema.extend({ created: repositorySchema.shape.archived.describe('False when a hook with this URL already existed.') }),
    hints: { readOnly: false, destructive: false, idempotent: true },
    async execute(input: { project: string; url: string; events?: string[]; token?: string }, context) {
      const existing = (await listAll(input.project, context)).find((hook) => hook.url === input.url);
      if (existing !== undefined) return { ...toWebhook(existing), created: false };
      const token = input.token ?? defaultToken();
      registerSecret(token);
      const events = input.events ?? DEFAULT_EVENTS;
      const body: Record<string, unknown> = { url: input.url, enable_ssl_verification: true };
      for (const flag of HOOK_EVENT_FLAGS) body[flag] = events.includes(flag.replace(/_events$/, ''));
      if (token !== undefined) body.token = token;
      const { data } = await client.request({ method: 'POST', path: `${projectPath(input.project)}/hooks`, body, responseSchema: schemas.hook }, context);
      return { ...toWebhook(data), created: true };
    },
  };

  const listWebhooks: ProviderOperation = {
    description: 'List the webhooks of a project: id, URL and the events each receives.',
    input: emptyObject.extend({ project: projectIdSchema }).strict(),
    output: emptyObject.extend({ webhooks: webhookSchema.array() }),
    hints: { readOnly: true, destructive: false, idempotent: true },
    async execute(input: { project: string }, context) {
      return { webhooks: (await listAll(input.project, context)).map(toWebhook) };
    },
  };

  const deleteWebhook: ProviderOperation = {
    description: 'Delete a project webhook by id. Fails with not_found when the project has no such hook.',
    input: emptyObject.extend({ project: projectIdSchema, hookId: hookIdSchema }).strict(),
    output: emptyObject.extend({ hookId: hookIdSchema }),
    hints: { readOnly: false, destructive: true, idempotent: false },
    async execute(input: { project: string; hookId: number }, context) {
      await client.request({ method: 'DELETE', path: `${projectPath(input.project)}/hooks/${input.hookId}`, responseType: 'none' }, context);
      return { hookId: input.hookId };
    },
  };

  return { createWebhook, listWebhooks, deleteWebhook };
}
