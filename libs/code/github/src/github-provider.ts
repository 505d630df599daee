import {
  IntegrationError,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderManifest,
  type ProviderV1,
} from '@switchyard/core';

const DEFAULT_BASE_URL = 'https://api.github.example';

/** Settings for {@link createGithub}. */
export interface GithubProviderSettings {
  /**
   * Base URL of the Github API; point it at a local server in tests.
   * Default: the `GITHUB_BASE_URL` environment variable, else `https://api.github.example`.
   */
  readonly baseURL?: string;
}

/** The Github provider: a complete provider object for `hub.register()`. */
export interface GithubProvider extends ProviderV1 {
  /** The base URL requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
}

/**
 * Creates the Github provider. Nothing is read or sent until an
 * operation is called.
 *
 * @example
 * ```ts
 * import { createGithub } from '@switchyard/github';
 *
 * const github = createGithub({ baseURL: 'http://127.0.0.1:4010' });
 * ```
 */
export function createGithub(settings: GithubProviderSettings = {}): GithubProvider {
  const baseURL =
    loadOptionalSetting({
      settingValue: settings.baseURL,
      environmentVariableName: 'GITHUB_BASE_URL',
    }) ?? DEFAULT_BASE_URL;
  const manifest: ProviderManifest = Object.freeze({
    id: 'github',
    name: 'Github',
    category: 'code',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/code/github#readme',
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
          message: `Github does not offer ${operation}`,
          provider: 'github',
          operation,
        }),
      );
    },
  };
}
