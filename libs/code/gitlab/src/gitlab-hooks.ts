import type { ProviderOperation, SecretSet } from '@switchyard/core';
import { projectIdSchema } from '@switchyard/core/issues';
import { z } from 'zod';
import { HOOK_EVENT_FLAGS, hookSchema, type GitlabHook } from './gitlab-api';
import { projectPath, type GitlabCallContext, type GitlabClient } from './gitlab-client';
import { nextPage } from './gitlab-pagination';

const EVENT_NAMES: readonly string[] = HOOK_EVENT_FLAGS.map((flag) => flag.replace(/_events$/, ''));
const DEFAULT_EVENTS = ['push', 'issues', 'merge_requests', 'note'];
const urlSchema = z.url({ protocol: /^https?$/ });
const hookIdSchema = z.int().positive();
const eventsSchema = z
  .array(z.string())
  .min(1)
  .refine((events) => events.every((event) => EVENT_NAMES.includes(event)), `each event must be one of: ${EVENT_NAMES.join(', ')}`);

const webhookSchema = z.object({ id: hookIdSchema, url: urlSchema, events: z.array(z.string()), createdAt: z.iso.datetime().optional() });

/** Hook lists are read at most this many pages deep (100 hooks each) when looking for an existing URL. */
const MAXIMUM_HOOK_PAGES = 10;

function toWebhook(hook: GitlabHook) {
  const events = HOOK_EVENT_FLAGS.filter((flag) => hook[flag] === true).map((flag) => flag.replace(/_events$/, ''));
  return { id: hook.id, url: hook.url, events, ...(hook.created_at === undefined ? {} : { createdAt: hook.created_at }) };
}

/** Where `createWebhook` finds its default token, and where the token it sends is kept for redaction. */
export interface HookTokenOptions {
  /** The `webhookToken` setting (or `GITLAB_WEBHOOK_TOKEN`): the token when a call gives none. */
  readonly defaultToken: string | undefined;
  /** The provider's secrets: a hook's token joins them as `hook:<project> <url>`. */
  readonly secrets: SecretSet;
}

/**
 * GitLab-only operations for project webhooks (`/projects/:id/hooks`):
 * `createWebhook` (idempotent by URL: an existing hook with the same URL is
 * returned, not duplicated), `listWebhooks` and `deleteWebhook`.
 */
export function createHookOperations(client: GitlabClient, { defaultToken, secrets }: HookTokenOptions): Record<string, ProviderOperation> {
  async function listAll(project: string, context: GitlabCallContext): Promise<GitlabHook[]> {
    const hooks: GitlabHook[] = [];
    let page: number | undefined = 1;
    for (let count = 0; page !== undefined && count < MAXIMUM_HOOK_PAGES; count += 1) {
      const response = await client.request(
        { path: `${projectPath(project)}/hooks`, query: { page, per_page: 100 }, responseSchema: hookSchema.array() },
        context,
      );
      hooks.push(...response.data);
      page = nextPage(response);
    }
    return hooks;
  }

  const createWebhook: ProviderOperation = {
    description:
      'Register a project webhook for events (push, issues, merge_requests, note, ...; default push, issues, merge_requests and note) with the secret token GitLab sends in X-Gitlab-Token. Idempotent: when the project already has a hook with this URL, that hook is returned (created: false) unchanged.',
    input: z.strictObject({
      project: projectIdSchema,
      url: urlSchema,
      events: eventsSchema.optional(),
      token: z.string().min(1).optional().describe('Secret token; default: the webhookToken setting (GITLAB_WEBHOOK_TOKEN).'),
    }),
    output: webhookSchema.extend({ created: z.boolean().describe('False when a hook with this URL already existed.') }),
    hints: { readOnly: false, destructive: false, idempotent: true },
    async execute(input: { project: string; url: string; events?: string[]; token?: string }, context) {
      const existing = (await listAll(input.project, context)).find((hook) => hook.url === input.url);
      if (existing !== undefined) return { ...toWebhook(existing), created: false };
      const token = input.token ?? defaultToken;
      secrets.set(`hook:${input.project} ${input.url}`, token);
      const events = input.events ?? DEFAULT_EVENTS;
      const body: Record<string, unknown> = { url: input.url, enable_ssl_verification: true };
      for (const flag of HOOK_EVENT_FLAGS) body[flag] = events.includes(flag.replace(/_events$/, ''));
      if (token !== undefined) body.token = token;
      const { data } = await client.request(
        { method: 'POST', path: `${projectPath(input.project)}/hooks`, body, responseSchema: hookSchema },
        context,
      );
      return { ...toWebhook(data), created: true };
    },
  };

  const listWebhooks: ProviderOperation = {
    description: 'List the webhooks of a project: id, URL and the events each receives.',
    input: z.strictObject({ project: projectIdSchema }),
    output: z.object({ webhooks: webhookSchema.array() }),
    hints: { readOnly: true, destructive: false, idempotent: true },
    async execute(input: { project: string }, context) {
      return { webhooks: (await listAll(input.project, context)).map(toWebhook) };
    },
  };

  const deleteWebhook: ProviderOperation = {
    description: 'Delete a project webhook by id. Fails with not_found when the project has no such hook.',
    input: z.strictObject({ project: projectIdSchema, hookId: hookIdSchema }),
    output: z.object({ hookId: hookIdSchema }),
    hints: { readOnly: false, destructive: true, idempotent: false },
    async execute(input: { project: string; hookId: number }, context) {
      await client.request(
        { method: 'DELETE', path: `${projectPath(input.project)}/hooks/${input.hookId}`, responseType: 'none' },
        context,
      );
      return { hookId: input.hookId };
    },
  };

  return { createWebhook, listWebhooks, deleteWebhook };
}
