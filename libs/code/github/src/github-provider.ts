import { defineProvider, loadOptionalSetting, withoutTrailingSlash, type ProviderOperation, type ProviderV1 } from '@switchyard/core';
import { issuesV1 } from '@switchyard/core/issues';
import { repositoriesV1 } from '@switchyard/core/repositories';
import { createGithubClient } from './github-client';
import { createIssuesHandlers } from './github-issues';
import { createRepositoriesHandlers } from './github-repositories';
import { createGithubSecrets } from './github-secrets';
import type { GithubProviderSettings } from './github-settings';
import { createWebhookOperations } from './github-webhook-operations';
import { githubWebhooks } from './github-webhooks';

/** The GitHub provider: a complete provider object for `hub.register()`. */
export interface GithubProvider extends ProviderV1 {
  /** The REST API base URL requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
  /** `createWebhook`, `listWebhooks` and `deleteWebhook` on repository hooks. */
  readonly operations: Readonly<Record<string, ProviderOperation>>;
  /** `X-Hub-Signature-256` verification and event normalization, for core's webhook receiver. */
  readonly webhooks: NonNullable<ProviderV1['webhooks']>;
  /** Calls `GET /rate_limit` (which does not count against the limit); throws when GitHub is unreachable or refuses the credentials. */
  healthCheck(context: { readonly signal: AbortSignal }): Promise<void>;
  /** True with a token or a GitHub App; false otherwise (the router then never picks it). */
  isConfigured(): boolean;
}

/**
 * Creates the GitHub provider: `issues` and `repositories` v1 on the REST
 * API through `@octokit/rest` (imported on the first call), repository
 * webhooks as provider operations, and `X-Hub-Signature-256` verification for
 * inbound webhooks. Authenticates with a token or as a GitHub App
 * installation. Nothing is read from the network until an operation is called.
 *
 * @example
 * ```ts
 * import { createGithub } from '@switchyard/github';
 *
 * const github = createGithub({ token: process.env.GITHUB_TOKEN });
 * ```
 */
export function createGithub(settings: GithubProviderSettings = {}): GithubProvider {
  const baseURL = withoutTrailingSlash(
    loadOptionalSetting({ settingValue: settings.baseURL, environmentVariableName: 'GITHUB_API_URL' }) ?? 'https://api.github.com',
  );
  const token =
    settings.app === undefined ? loadOptionalSetting({ settingValue: settings.token, environmentVariableName: 'GITHUB_TOKEN' }) : undefined;
  const webhookSecret = loadOptionalSetting({ settingValue: settings.webhookSecret, environmentVariableName: 'GITHUB_WEBHOOK_SECRET' });
  const secrets = createGithubSecrets([token, webhookSecret, settings.app?.privateKey]);
  const authentication = settings.app !== undefined ? 'app' : token !== undefined ? 'token' : 'none';
  const client = createGithubClient(settings, { baseURL, token, secrets });
  return defineProvider({
    id: 'github',
    name: 'GitHub',
    category: 'code',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/code/github#readme',
    authKinds: ['api-key', 'jwt'],
    capabilities: [
      { contract: issuesV1, handlers: createIssuesHandlers(client, authentication) },
      { contract: repositoriesV1, handlers: createRepositoriesHandlers(client) },
    ],
    operations: createWebhookOperations(client, { defaultSecret: webhookSecret, secrets }),
    webhooks: githubWebhooks,
    async healthCheck({ signal }) {
      await client.request({ route: 'GET /rate_limit', operation: 'healthCheck' }, { signal });
    },
    isConfigured: () => authentication !== 'none',
    secrets,
    properties: { baseURL },
  });
}
