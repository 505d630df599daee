import {
  IntegrationError,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderManifest,
  type ProviderV1,
} from '@switchyard/core';

const DEFAULT_BASE_URL = 'https://api.twilio.example';

/** Settings for {@link createTwilio}. */
export interface TwilioProviderSettings {
  /**
   * Base URL of the Twilio API; point it at a local server in tests.
   * Default: the `TWILIO_BASE_URL` environment variable, else `https://api.twilio.example`.
   */
  readonly baseURL?: string;
}

/** The Twilio provider: a complete provider object for `hub.register()`. */
export interface TwilioProvider extends ProviderV1 {
  /** The base URL requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
}

/**
 * Creates the Twilio provider. Nothing is read or sent until an
 * operation is called.
 *
 * @example
 * ```ts
 * import { createTwilio } from '@switchyard/twilio';
 *
 * const twilio = createTwilio({ baseURL: 'http://127.0.0.1:4010' });
 * ```
 */
export function createTwilio(settings: TwilioProviderSettings = {}): TwilioProvider {
  const baseURL =
    loadOptionalSetting({
      settingValue: settings.baseURL,
      environmentVariableName: 'TWILIO_BASE_URL',
    }) ?? DEFAULT_BASE_URL;
  const manifest: ProviderManifest = Object.freeze({
    id: 'twilio',
    name: 'Twilio',
    category: 'communication',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/communication/twilio#readme',
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
          message: `Twilio does not offer ${operation}`,
          provider: 'twilio',
          operation,
        }),
      );
    },
  };
}
