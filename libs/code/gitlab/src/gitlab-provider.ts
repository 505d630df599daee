import {
  IntegrationError,
  issuesV1,
  loadOptionalSetting,
  registerSecret,
  repositoriesV1,
  withoutTrailingSlash,
  type CapabilityContract,
  type ProviderCallContext,
  type ProviderManifest,
  type ProviderOperation,
  type ProviderV1,
  type ProviderWebhooks,
} from '@switchyard/core';
import { createGitlabClient, hasCredentials } from './gitlab-client';
import { createHookOperations } from './gitlab-hooks';
import { createIssuesHandlers } from './gitlab-issues';
import { createRepositoriesHandlers } from './gitlab-repositories';
import type { GitlabProviderSettings } from './gitlab-settings';
import { gitlabWebhooks } from './gitlab-webhooks';

export type { GitlabCredentialSettings, GitlabOAuth2Settings, GitlabProviderSettings } from './gitlab-settings';

const DEFAULT_BASE_URL = 'https://gitlab.com';

/** The GitLab provider: a complete provider object for `hub.register()`. */
export interface GitlabProvider extends ProviderV1 {
  /** The instance requests go to (the API is under `/api/v4`), after settings, environment and default are applied. */
  readonly baseURL: string;
  /** `createWebhook`, `listWebhooks` and `deleteWebhook` for project hooks. */
  readonly operations: Readonly<Record<string, ProviderOperation>>;
  /** Verifies `X-Gitlab-Token` and normalizes Push, Merge Request, Issue and Note hooks. */
  readonly webhooks: ProviderWebhooks;
  /** The webhook token from settings or `GITLAB_WEBHOOK_TOKEN`, for a webhook receiver; undefined when none is set. */
  readonly webhookToken: string | undefined;
  isConfigured(): boolean;
  healthCheck(context: { readonly signal: AbortSignal }): Promise<void>;
}

type Handler = (input: never, context: ProviderCallContext) => Promise<unknown>;

function validationError(operation: string, issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]) {
  const described = issues.map((issue) => `${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`).join('; ');
  return new IntegrationError({ kind: 'validation', message: `gitlab: invalid input for ${operation}: ${described}`, provider: 'gitlab', operation, isRetryable: false });
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
  const baseURL = withoutTrailingSlash(loadOptionalSetting({ settingValue: settings.baseURL, environmentVariableName: 'GITLAB_URL' }) ?? DEFAULT_BASE_URL);
  registerSecret(settings.token);
  registerSecret(settings.accessToken);
  const webhookToken = loadOptionalSetting({ settingValue: settings.webhookToken, environmentVariableName: 'GITLAB_WEBHOOK_TOKEN' });
  registerSecret(webhookToken);
  const client = createGitlabClient(settings, baseURL);
  const services: readonly { contract: CapabilityContract; handlers: Readonly<Record<string, Handler>> }[] = [
    { contract: issuesV1, handlers: createIssuesHandlers(client) },
    { contract: repositoriesV1, handlers: createRepositoriesHandlers(client) },
  ];
  const manifest: ProviderManifest = Object.freeze({
    id: 'gitlab',
    name: 'GitLab',
    category: 'code',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/code/gitlab#readme',
    capabilities: Object.freeze(
      services.map((service) => Object.freeze({ name: service.contract.name, version: service.contract.version, operations: Object.freeze(Object.keys(service.handlers)) })),
    ),
    authKinds: Object.freeze(['api-key', 'oauth2'] as const),
  });

  return {
    specificationVersion: 'v1',
    manifest,
    baseURL,
    webhookToken,
    operations: Object.freeze(createHookOperations(client, () => webhookToken)),
    webhooks: gitlabWebhooks,
    async execute(request, context) {
      const operation = `${request.capability}.${request.operation}`;
      const service = services.find((entry) => entry.contract.name === request.capability);
      const handler = service?.handlers[request.operation];
      const contract = service?.contract.operations[request.operation];
      if (handler === undefined || contract === undefined) {
        throw new IntegrationError({ kind: 'unsupported', message: `gitlab does not offer ${operation}`, provider: 'gitlab', operation, isRetryable: false });
      }
      // Parsed here too, so a direct call (outside a hub) gets defaults and a typed error before any request.
      const parsed = contract.input.safeParse(request.input);
      if (!parsed.success) throw validationError(operation, parsed.error.issues);
      return handler(parsed.data as never, context);
    },
    isConfigured: () => hasCredentials(settings),
    async healthCheck({ signal }) {
      await client.request({ path: '/version', responseType: 'none' }, { signal });
    },
  };
}
