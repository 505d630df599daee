import {
  IntegrationError,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderManifest,
  type ProviderV1,
} from '@switchyard/core';

const DEFAULT_BASE_URL = 'https://api.telegram.example';

/** Settings for {@link createTelegram}. */
export interface TelegramProviderSettings {
  /**
   * Base URL of the Telegram API; point it at a local server in tests.
   * Default: the `TELEGRAM_BASE_URL` environment variable, else `https://api.telegram.example`.
   */
  readonly baseURL?: string;
}

/** The Telegram provider: a complete provider object for `hub.register()`. */
export interface TelegramProvider extends ProviderV1 {
  /** The base URL requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
}

/**
 * Creates the Telegram provider. Nothing is read or sent until an
 * operation is called.
 *
 * @example
 * ```ts
 * import { createTelegram } from '@switchyard/telegram';
 *
 * const telegram = createTelegram({ baseURL: 'http://127.0.0.1:4010' });
 * ```
 */
export function createTelegram(settings: TelegramProviderSettings = {}): TelegramProvider {
  const baseURL =
    loadOptionalSetting({
      settingValue: settings.baseURL,
      environmentVariableName: 'TELEGRAM_BASE_URL',
    }) ?? DEFAULT_BASE_URL;
  const manifest: ProviderManifest = Object.freeze({
    id: 'telegram',
    name: 'Telegram',
    category: 'communication',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/communication/telegram#readme',
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
          message: `Telegram does not offer ${operation}`,
          provider: 'telegram',
          operation,
        }),
      );
    },
  };
}
