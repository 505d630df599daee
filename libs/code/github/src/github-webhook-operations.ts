import type { ProviderCallContext, ProviderOperation, SecretSet } from '@switchyard/core';
import { repositoriesV1 } from '@switchyard/core/repositories';
import { z } from 'zod';
import { githubHookSchema } from './github-api';
import type { GithubClient } from './github-client';
import { hasNextPage, ownerAndRepository } from './github-pagination';

const repositoryInput = repositoriesV1.operations.getRepository.input;
const hookId = z.number().int().positive();
const hookSchema = z.object({ id: hookId, url: z.string(), events: z.array(z.string()), active: z.boolean() });

const createWebhookInput = repositoryInput.extend({
  url: z.url({ protocol: /^https?$/ }).describe('Where GitHub delivers events, e.g. "https://hooks.example.com/github".'),
  events: z
    .array(z.string())
    .min(1, 'must list at least one event')
    .default(['push'])
    .describe('GitHub event names, e.g. ["push", "pull_request", "issues", "issue_comment"]; default ["push"]; "*" for all.'),
  secret: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Signs deliveries (X-Hub-Signature-256); default: the provider’s webhookSecret setting.'),
});
const deleteWebhookInput = repositoryInput.extend({ id: hookId.describe('The hook id createWebhook or listWebhooks returned.') });

/** Keeps each operation's input and output types, so `execute` is checked against its schemas. */
function defineOperation<Input extends z.ZodType, Output extends z.ZodType>(
  definition: ProviderOperation<Input, Output>,
): ProviderOperation<Input, Output> {
  return definition;
}

async function listHooks(client: GithubClient, repository: string, context: ProviderCallContext, operation: string) {
  const hooks: z.output<typeof githubHookSchema>[] = [];
  for (let page = 1; page <= 10; page += 1) {
    const parameters = { ...ownerAndRepository(repository), per_page: 100, page };
    const { data, headers } = await client.request(
      { route: 'GET /repos/{owner}/{repo}/hooks', parameters, operation, responseSchema: z.array(githubHookSchema) },
      context,
    );
    hooks.push(...data);
    if (!hasNextPage(headers)) break;
  }
  return hooks;
}

/** Where `createWebhook` finds its default secret, and where the secret it sends is kept for redaction. */
export interface WebhookSecretOptions {
  /** The `webhookSecret` setting (or `GITHUB_WEBHOOK_SECRET`): the secret when a call gives none. */
  readonly defaultSecret: string | undefined;
  /** The provider's secrets: a hook's secret joins them as `hook:<repository> <url>`. */
  readonly secrets: SecretSet;
}

/** The provider-specific operations: repository webhooks (`/repos/{owner}/{repo}/hooks`). */
export function createWebhookOperations(
  client: GithubClient,
  { defaultSecret, secrets }: WebhookSecretOptions,
): Record<string, ProviderOperation> {
  const createWebhook = defineOperation({
    description:
      'Register a repository webhook for a URL. Safe to repeat: when a hook for the same URL exists, it is returned (created: false) and nothing is changed.',
    input: createWebhookInput,
    output: hookSchema.extend({ created: z.boolean() }),
    hints: { readOnly: false, destructive: false, idempotent: true },
    async execute(input, context) {
      const operation = 'createWebhook';
      const existing = (await listHooks(client, input.repository, context, operation)).find((hook) => hook.url === input.url);
      if (existing !== undefined) return { ...existing, created: false };
      const secret = input.secret ?? defaultSecret;
      secrets.set(`hook:${input.repository} ${input.url}`, secret);
      const parameters = {
        ...ownerAndRepository(input.repository),
        name: 'web',
        active: true,
        events: input.events,
        config: { url: input.url, content_type: 'json', insecure_ssl: '0', ...(secret === undefined ? {} : { secret }) },
      };
      const { data } = await client.request(
        { route: 'POST /repos/{owner}/{repo}/hooks', parameters, operation, responseSchema: githubHookSchema },
        context,
      );
      return { ...data, created: true };
    },
  });
  const listWebhooks = defineOperation({
    description: 'List the webhooks of a repository (needs admin rights on it).',
    input: repositoryInput,
    output: hookSchema.array(),
    hints: { readOnly: true, destructive: false, idempotent: true },
    execute: (input, context) => listHooks(client, input.repository, context, 'listWebhooks'),
  });
  const deleteWebhook = defineOperation({
    description: 'Delete a repository webhook by id. Fails with not_found when it does not exist (also on repeat).',
    input: deleteWebhookInput,
    output: z.object({ id: hookId, deleted: z.boolean() }),
    hints: { readOnly: false, destructive: true, idempotent: true },
    async execute(input, context) {
      await client.request(
        {
          route: 'DELETE /repos/{owner}/{repo}/hooks/{hook_id}',
          parameters: { ...ownerAndRepository(input.repository), hook_id: input.id },
          operation: 'deleteWebhook',
        },
        context,
      );
      return { id: input.id, deleted: true };
    },
  });
  return { createWebhook, listWebhooks, deleteWebhook };
}
