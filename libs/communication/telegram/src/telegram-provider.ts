import {
  defineProvider,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderOperation,
  type ProviderV1,
  type ProviderWebhooks,
} from '@switchyard/core';
import { messagingV1 } from '@switchyard/core/messaging';
import { telegramUserSchema } from './telegram-api';
import { createTelegramClient, resolveToken } from './telegram-client';
import { createMessagingHandlers } from './telegram-messaging';
import { createTelegramOperations } from './telegram-operations';
import { createTelegramSecrets } from './telegram-secrets';
import type { TelegramProviderSettings } from './telegram-settings';
import { createUpdatePoller } from './telegram-updates';
import { createTelegramWebhooks } from './telegram-webhooks';

/** The Telegram provider: a complete provider object for `hub.register()`. */
export interface TelegramProvider extends ProviderV1 {
  /** The Bot API server requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
  /** `setCommands`, `setWebhook`, `deleteWebhook` and `getUpdates`. */
  readonly operations: Readonly<Record<string, ProviderOperation>>;
  /** Verifies `X-Telegram-Bot-Api-Secret-Token`, dedupes by `update_id`, normalizes updates. */
  readonly webhooks: ProviderWebhooks;
  isConfigured(): boolean;
  /** Calls getMe: fails with `auth` for a revoked token. */
  healthCheck(context: { readonly signal: AbortSignal }): Promise<void>;
}

/**
 * Creates the Telegram provider on the Bot API: the `messaging` capability
 * (send, reply, update, delete, getUser; bots cannot list chats or users),
 * bot operations (commands, webhook, long polling with checkpoints and
 * `/command` dispatch), and inbound webhook verification. The token
 * (`token` or `TELEGRAM_BOT_TOKEN`) resolves on the first call and is
 * redacted from every error. Nothing is sent until an operation is called.
 *
 * @example
 * ```ts
 * import { createTelegram } from '@switchyard/telegram';
 *
 * const telegram = createTelegram({ token: process.env.TELEGRAM_BOT_TOKEN, commands: { start: (event) => console.log(event.chatId) } });
 * ```
 */
export function createTelegram(settings: TelegramProviderSettings = {}): TelegramProvider {
  const baseURL = withoutTrailingSlash(
    loadOptionalSetting({ settingValue: settings.baseURL, environmentVariableName: 'TELEGRAM_BASE_URL' }) ?? 'https://api.telegram.org',
  );
  const webhookSecret = loadOptionalSetting({ settingValue: settings.webhookSecret, environmentVariableName: 'TELEGRAM_WEBHOOK_SECRET' });
  const secrets = createTelegramSecrets([settings.token, webhookSecret]);
  const client = createTelegramClient(settings, baseURL, secrets);
  return defineProvider({
    id: 'telegram',
    name: 'Telegram',
    category: 'communication',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/communication/telegram#readme',
    authKinds: ['api-key'],
    capabilities: [{ contract: messagingV1, handlers: createMessagingHandlers(client, settings.parseMode ?? 'HTML', settings.userChatId) }],
    operations: createTelegramOperations(client, createUpdatePoller(client, settings), { defaultSecret: webhookSecret, secrets }),
    webhooks: createTelegramWebhooks(settings.webhookMaxAgeSeconds ?? 86_400),
    isConfigured: () => resolveToken(settings) !== undefined,
    async healthCheck({ signal }) {
      await client.call('getMe', {}, telegramUserSchema, { signal });
    },
    secrets,
    properties: { baseURL },
  });
}
