import {
  IntegrationError,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderManifest,
  type ProviderV1,
} from '@switchyard/core';

const DEFAULT_BASE_URL = 'https://api.aws.example';

/** Settings for {@link createAws}. */
export interface AwsProviderSettings {
  /**
   * Base URL of the Aws API; point it at a local server in tests.
   * Default: the `AWS_BASE_URL` environment variable, else `https://api.aws.example`.
   */
  readonly baseURL?: string;
}

/** The Aws provider: a complete provider object for `hub.register()`. */
export interface AwsProvider extends ProviderV1 {
  /** The base URL requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
}

/**
 * Creates the Aws provider. Nothing is read or sent until an
 * operation is called.
 *
 * @example
 * ```ts
 * import { createAws } from '@switchyard/aws';
 *
 * const aws = createAws({ baseURL: 'http://127.0.0.1:4010' });
 * ```
 */
export function createAws(settings: AwsProviderSettings = {}): AwsProvider {
  const baseURL =
    loadOptionalSetting({
      settingValue: settings.baseURL,
      environmentVariableName: 'AWS_BASE_URL',
    }) ?? DEFAULT_BASE_URL;
  const manifest: ProviderManifest = Object.freeze({
    id: 'aws',
    name: 'Aws',
    category: 'cloud',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/cloud/aws#readme',
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
          message: `Aws does not offer ${operation}`,
          provider: 'aws',
          operation,
        }),
      );
    },
  };
}
