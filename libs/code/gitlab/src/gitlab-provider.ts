import {
  IntegrationError,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderManifest,
  type ProviderV1,
} from '@switchyard/core';

const DEFAULT_BASE_URL = 'https://api.gitlab.example';

/** Settings for {@link createGitlab}. */
export interface GitlabProviderSettings {
  /**
   * Base URL of the Gitlab API; point it at a local server in tests.
   * Default: the `GITLAB_BASE_URL` environment variable, else `https://api.gitlab.example`.
   */
  readonly baseURL?: string;
}

/** The Gitlab provider: a complete provider object for `hub.register()`. */
export interface GitlabProvider extends ProviderV1 {
  /** The base URL requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
}

/**
 * Creates the Gitlab provider. Nothing is read or sent until an
 * operation is called.
 *
 * @example
 * ```ts
 * import { createGitlab } from '@switchyard/gitlab';
 *
 * const gitlab = createGitlab({ baseURL: 'http://127.0.0.1:4010' });
 * ```
 */
export function createGitlab(settings: GitlabProviderSettings = {}): GitlabProvider {
  const baseURL =
    loadOptionalSetting({
      settingValue: settings.baseURL,
      environmentVariableName: 'GITLAB_BASE_URL',
    }) ?? DEFAULT_BASE_URL;
  const manifest: ProviderManifest = Object.freeze({
    id: 'gitlab',
    name: 'Gitlab',
    category: 'code',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/code/gitlab#readme',
    capabilities: Object.freeze([]),
    authKinds: Object.freeze(['none'] as const),
  });
  return {
    specificationVersion: 'v1',
    manifest,
    baseURL: withoutTrailingSlash(baseURL),
    execute(request) {
      const operation = `${request.capability}.${request.operation}`;
      return Promise.reject(
        new IntegrationError({
          kind: 'unsupported',
          message: `Gitlab does not offer ${operation}`,
          provider: 'gitlab',
          operation,
        }),
      );
    },
  };
}
