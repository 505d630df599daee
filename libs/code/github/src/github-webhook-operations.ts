import { issueSchema, pullRequestSchema, repositoriesV1, repositorySchema, type ProviderOperation } from '@switchyard/core';
import { array, readHook } from './github-api';
import type { GithubClient } from './github-client';
import { ownerAndRepository } from './github-pagination';

// This package does not depend on zod directly: the schemas below are built from
// core's exported ones (`issueSchema.shape.title` is a plain string schema, and so on).
const repositoryInput = repositoriesV1.operations.getRepository.input;
const plainText = issueSchema.shape.title;
const webUrl = repositorySchema.shape.url;
const hookId = pullRequestSchema.shape.number;
const hookSchema = repositorySchema.pick({}).extend({
  id: hookId,
  url: plainText,
  events: issueSchema.shape.labels,
  active: repositorySchema.shape.archived,
});

const createWebhookInput = repositoryInput.extend({
  url: webUrl.describe('Where GitHub delivers events, e.g. "https://hooks.example.com/github".'),
  events: issueSchema.shape.labels
    .min(1, 'must list at least one event')
    .default(['push'])
    .describe('GitHub event names, e.g. ["push", "pull_request", "issues", "issue_comment"]; default ["push"]; "*" for all.'),
  secret: plainText.min(1).max(255).optional().describe('Signs deliveries (X-Hub-Signature-256); default: the provider’s webhookSecret setting.'),
});

const listWebhooksInput = repositoryInput;
const deleteWebhookOutput = repositorySchema.pick({}).extend({ id: hookId, deleted: repositorySchema.shape.archived });

/** Keeps each operation's input and output types, so `execute` is checked against its schemas. */
function defineOperation<Input extends ProviderOperation['input'], Output extends ProviderOperation['output']>(
  definition: ProviderOperation<Input, Output>,
): ProviderOperation<Input, Output> {
  return definition;
}
const deleteWebhookInput = repositoryInput.extend({ id: hookId.describe('The hook id createWebhook or listWebhooks returned.') });

async function listHooks(client: GithubClient, repository: string, context: Parameters<GithubClient['request']>[2], operation: string) {
  const hooks: ReturnType<typeof readHook>[] = [];
  for (let page = 1; page <= 10; page += 1) {
    const response = await client.request('GET /repos/{owner}/{repo}/hooks', { ...ownerAndRepository(repository), per_page: 100, page }, context, operation);
    hooks.push(...array(response.data, 'hooks', operation).map((hook) => readHook(hook, operation)));
    if (typeof response.headers.link !== 'string' || !response.headers.link.includes('rel="next"')) break;
  }
  return hooks;
}

/** The provider-specific operations: repository webhooks (`/repos/{owner}/{repo}/hooks`). */
export function createWebhookOperations(client: GithubClient, defaultSecret: () => string | undefined): Record<string, ProviderOperation> {
  const createWebhook = defineOperation({
    description:
      'Register a repository webhook for a URL. Safe to repeat: when a hook for the same URL exists, it is returned (created: false) and nothing is changed.',
    input: createWebhookInput,
    output: hookSchema.extend({ created: repositorySchema.shape.archived }),
    hints: { readOnly: false, destructive: false, idempotent: true },
    async execute(input, context) {
      const operation = 'createWebhook';
      const existing = (await listHooks(client, input.repository, context, operation)).find((hook) => hook.url === input.url);
      if (existing !== undefined) return { ...existing, created: false };
      const secret = input.secret ?? defaultSecret();
      const response = await client.request(
        'POST /repos/{owner}/{repo}/hooks',
        {
          ...ownerAndRepository(input.repository),
          name: 'web',
          active: true,
          events: input.events,
          config: { url: input.url, content_type: 'json', insecure_ssl: '0', ...(secret === undefined ? {} : { secret }) },
        },
        context,
        operation,
      );
      return { ...readHook(response.data, operation), created: true };
    },
  });
  const listWebhooks = defineOperation({
    description: 'List the webhooks of a repository (needs admin rights on it).',
    input: listWebhooksInput,
    output: hookSchema.array(),
    hints: { readOnly: true, destructive: false, idempotent: true },
    execute: (input, context) => listHooks(client, input.repository, context, 'listWebhooks'),
  });
  const deleteWebhook = defineOperation({
    description: 'Delete a repository webhook by id. Fails with not_found when it does not exist (also on repeat).',
    input: deleteWebhookInput,
    output: deleteWebhookOutput,
    hints: { readOnly: false, destructive: true, idempotent: true },
    async execute(input, context) {
      await client.request('DELETE /repos/{owner}/{repo}/hooks/{hook_id}', { ...ownerAndRepository(input.repository), hook_id: input.id }, context, 'deleteWebhook');
      return { id: input.id, deleted: true };
    },
  });
  return { createWebhook, listWebhooks, deleteWebhook };
}

