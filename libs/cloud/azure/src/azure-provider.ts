import {
  IntegrationError,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderManifest,
  type ProviderV1,
} from '@switchyard/core';

const DEFAULT_BASE_URL = 'https://api.azure.example';

/** Settings for {@link createAzure}. */
export interface AzureProviderSettings {
  /**
   * Base URL of the Azure API; point it at a local server in tests.
   * Default: the `AZURE_BASE_URL` environment variable, else `https://api.azure.example`.
   */
  readonly baseURL?: string;
}

/** The Azure provider: a complete provider object for `hub.register()`. */
export interface AzureProvider extends ProviderV1 {
  /** The base URL requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
}

/**
 * Creates the Azure provider. Nothing is read or sent until an
 * operation is called.
 *
 * @example
 * ```ts
 * import { createAzure } from '@switchyard/azure';
 *
 * const azure = createAzure({ baseURL: 'http://127.0.0.1:4010' });
 * ```
 */
export function createAzure(settings: AzureProviderSettings = {}): AzureProvider {
  const baseURL =
    loadOptionalSetting({
      settingValue: settings.baseURL,
      environmentVariableName: 'AZURE_BASE_URL',
    }) ?? DEFAULT_BASE_URL;
  const manifest: ProviderManifest = Object.freeze({
    id: 'azure',
    name: 'Azure',
    category: 'cloud',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/cloud/azure#readme',
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
          message: `Azure does not offer ${operation}`,
          provider: 'azure',
          operation,
        }),
      );
    },
  };
}
