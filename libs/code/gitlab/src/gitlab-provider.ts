import {
  defineProvider,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderOperation,
  type ProviderV1,
  type ProviderWebhooks,
} from '@switchyard/core';
import { issuesV1 } from '@switchyard/core/issues';
import { repositoriesV1 } from '@switchyard/core/repositories';
import { createGitlabClient, hasCredentials } from './gitlab-client';
import { createHookOperations } from './gitlab-hooks';
import { createIssuesHandlers } from './gitlab-issues';
import { createRepositoriesHandlers } from './gitlab-repositories';
import { createGitlabSecrets } from './gitlab-secrets';
import type { GitlabProviderSettings } from './gitlab-settings';
import { gitlabWebhooks } from './gitlab-webhooks';

export type { GitlabCredentialSettings, GitlabOAuth2Settings, GitlabProviderSettings } from './gitlab-settings';

/** The GitLab provider: a complete provider object for `hub.register()`. */
export interface GitlabProvider extends ProviderV1 {
  /** The instance requests go to (the API is under `/api/v4`), after settings, environment and default are applied. */
  readonly baseURL: string;
  /** `createWebhook`, `listWebhooks` and `deleteWebhook` for project hooks. */
  readonly operations: Readonly<Record<string, ProviderOperation>>;
  /** Verifies `X-Gitlab-Token` and normalizes Push, Merge Request, Issue and Note hooks. */
  readonly webhooks: ProviderWebhooks;
  isConfigured(): boolean;
  healthCheck(context: { readonly signal: AbortSignal }): Promise<void>;
}

/**
 * Creates the GitLab provider on the REST v4 API: the `issues` and
 * `repositories` capabilities, project webhook operations, and inbound
 * webhook verification. Credentials resolve on the first call: OAuth2
 * (`credentials` vault, `oauth2` refresh or `accessToken`), else a PAT from
 * `token` or `GITLAB_TOKEN`. Nothing is read or sent until an operation is called.
 *
 * @example
 * ```ts
 * import { createGitlab } from '@switchyard/gitlab';
 *
 * const gitlab = createGitlab({ token: process.env.GITLAB_TOKEN });
 * ```
 */
export function createGitlab(settings: GitlabProviderSettings = {}): GitlabProvider {
  const baseURL = withoutTrailingSlash(
    loadOptionalSetting({ settingValue: settings.baseURL, environmentVariableName: 'GITLAB_URL' }) ?? 'https://gitlab.com',
  );
  const webhookToken = loadOptionalSetting({ settingValue: settings.webhookToken, environmentVariableName: 'GITLAB_WEBHOOK_TOKEN' });
  const { token, accessToken, oauth2 } = settings;
  const secrets = createGitlabSecrets([token, accessToken, webhookToken, oauth2?.clientSecret, oauth2?.refreshToken]);
  const client = createGitlabClient(settings, baseURL, secrets);
  return defineProvider({
    id: 'gitlab',
    name: 'GitLab',
    category: 'code',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/code/gitlab#readme',
    authKinds: ['api-key', 'oauth2'],
    capabilities: [
      { contract: issuesV1, handlers: createIssuesHandlers(client) },
      { contract: repositoriesV1, handlers: createRepositoriesHandlers(client) },
    ],
    operations: createHookOperations(client, { defaultToken: webhookToken, secrets }),
    webhooks: gitlabWebhooks,
    isConfigured: () => hasCredentials(settings),
    async healthCheck({ signal }) {
      await client.request({ path: '/version', responseType: 'none' }, { signal });
    },
    secrets,
    properties: { baseURL },
  });
}
