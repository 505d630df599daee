import {
  IntegrationError,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderManifest,
  type ProviderV1,
} from '@switchyard/core';

const DEFAULT_BASE_URL = 'https://api.slack.example';

/** Settings for {@link createSlack}. */
export interface SlackProviderSettings {
  /**
   * Base URL of the Slack API; point it at a local server in tests.
   * Default: the `SLACK_BASE_URL` environment variable, else `https://api.slack.example`.
   */
  readonly baseURL?: string;
}

/** The Slack provider: a complete provider object for `hub.register()`. */
export interface SlackProvider extends ProviderV1 {
  /** The base URL requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
}

/**
 * Creates the Slack provider. Nothing is read or sent until an
 * operation is called.
 *
 * @example
 * ```ts
 * import { createSlack } from '@switchyard/slack';
 *
 * const slack = createSlack({ baseURL: 'http://127.0.0.1:4010' });
 * ```
 */
export function createSlack(settings: SlackProviderSettings = {}): SlackProvider {
  const baseURL =
    loadOptionalSetting({
      settingValue: settings.baseURL,
      environmentVariableName: 'SLACK_BASE_URL',
    }) ?? DEFAULT_BASE_URL;
  const manifest: ProviderManifest = Object.freeze({
    id: 'slack',
    name: 'Slack',
    category: 'communication',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/communication/slack#readme',
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
          message: `Slack does not offer ${operation}`,
          provider: 'slack',
          operation,
        }),
      );
    },
  };
}
