import {
  IntegrationError,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderManifest,
  type ProviderV1,
} from '@switchyard/core';

const DEFAULT_BASE_URL = 'https://api.gcp.example';

/** Settings for {@link createGcp}. */
export interface GcpProviderSettings {
  /**
   * Base URL of the Gcp API; point it at a local server in tests.
   * Default: the `GCP_BASE_URL` environment variable, else `https://api.gcp.example`.
   */
  readonly baseURL?: string;
}

/** The Gcp provider: a complete provider object for `hub.register()`. */
export interface GcpProvider extends ProviderV1 {
  /** The base URL requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
}

/**
 * Creates the Gcp provider. Nothing is read or sent until an
 * operation is called.
 *
 * @example
 * ```ts
 * import { createGcp } from '@switchyard/gcp';
 *
 * const gcp = createGcp({ baseURL: 'http://127.0.0.1:4010' });
 * ```
 */
export function createGcp(settings: GcpProviderSettings = {}): GcpProvider {
  const baseURL =
    loadOptionalSetting({
      settingValue: settings.baseURL,
      environmentVariableName: 'GCP_BASE_URL',
    }) ?? DEFAULT_BASE_URL;
  const manifest: ProviderManifest = Object.freeze({
    id: 'gcp',
    name: 'Gcp',
    category: 'cloud',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/cloud/gcp#readme',
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
          message: `Gcp does not offer ${operation}`,
          provider: 'gcp',
          operation,
        }),
      );
    },
  };
}
