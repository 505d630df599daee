import type { ProviderOperation, SecretSet } from '@switchyard/core';
import { z } from 'zod';
import { telegramTrueSchema } from './telegram-api';
import type { TelegramClient } from './telegram-client';
import { telegramErrors } from './telegram-errors';
import type { createUpdatePoller } from './telegram-updates';

const emptyObject = z.object({});
const text = z.string().min(1);
const flag = z.boolean().optional();
const positiveInteger = z.number().int().positive();
const count = z.number().int().nonnegative();
const webUrl = z.url({ protocol: /^https?$/ });

const commandSchema = emptyObject.extend({
  command: text.regex(/^[a-z0-9_]{1,32}$/, 'must be 1-32 lower-case letters, digits or underscores, without the slash'),
  description: text.max(256, 'must be at most 256 characters'),
});

/** Telegram's `secret_token`: 1-256 characters of A-Z, a-z, 0-9, `_` and `-`. */
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/** Where `setWebhook` finds its default secret token, and where the one it sends is kept for redaction. */
export interface WebhookSecretOptions {
  /** The `webhookSecret` setting (or `TELEGRAM_WEBHOOK_SECRET`): the secret token when a call gives none. */
  readonly defaultSecret: string | undefined;
  /** The provider's secrets: the secret token sent joins them as `webhook-secret-token`, replacing the one before. */
  readonly secrets: SecretSet;
}

/**
 * Telegram-only operations: `setCommands` (setMyCommands), `setWebhook` and
 * `deleteWebhook` (with the `secret_token` Telegram echoes in
 * `X-Telegram-Bot-Api-Secret-Token`), and `getUpdates` (long polling with
 * offset checkpointing and `/command` dispatch).
 */
export function createTelegramOperations(
  client: TelegramClient,
  poller: ReturnType<typeof createUpdatePoller>,
  { defaultSecret, secrets }: WebhookSecretOptions,
): Record<string, ProviderOperation> {
  const setCommands: ProviderOperation = {
    description: 'Set the list of commands the bot shows in the Telegram menu (setMyCommands). Replaces the previous list.',
    input: emptyObject.extend({ commands: commandSchema.array().min(1).max(100), languageCode: text.max(8).optional() }),
    output: emptyObject.extend({ commands: text.array() }),
    hints: { readOnly: false, destructive: false, idempotent: true },
    async execute(input, context) {
      const { commands, languageCode } = input as { commands: { command: string; description: string }[]; languageCode?: string };
      await client.call(
        'setMyCommands',
        { commands, ...(languageCode === undefined ? {} : { language_code: languageCode }) },
        telegramTrueSchema,
        context,
      );
      return { commands: commands.map((entry) => entry.command) };
    },
  };

  const setWebhook: ProviderOperation = {
    description:
      'Point Telegram at an HTTPS webhook URL (setWebhook) with a secret token it sends back in X-Telegram-Bot-Api-Secret-Token; default: the webhookSecret setting. While a webhook is set, getUpdates fails with conflict.',
    input: emptyObject.extend({
      url: webUrl,
      secretToken: text.regex(SECRET_TOKEN, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -').optional(),
      dropPendingUpdates: flag,
      allowedUpdates: text.array().optional(),
    }),
    output: emptyObject.extend({ url: webUrl, hasSecretToken: flag.unwrap() }),
    hints: { readOnly: false, destructive: false, idempotent: true },
    async execute(input, context) {
      const { url, secretToken, dropPendingUpdates, allowedUpdates } = input as {
        url: string;
        secretToken?: string;
        dropPendingUpdates?: boolean;
        allowedUpdates?: string[];
      };
      const secret = secretToken ?? defaultSecret;
      // A bot has one webhook: its secret token replaces the previous one.
      secrets.set('webhook-secret-token', secret);
      if (secret !== undefined && !SECRET_TOKEN.test(secret)) {
        throw telegramErrors.invalidInput('setWebhook', 'the webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -');
      }
      const parameters = {
        url,
        ...(secret === undefined ? {} : { secret_token: secret }),
        ...(dropPendingUpdates === undefined ? {} : { drop_pending_updates: dropPendingUpdates }),
        ...(allowedUpdates === undefined ? {} : { allowed_updates: allowedUpdates }),
      };
      await client.call('setWebhook', parameters, telegramTrueSchema, context);
      return { url, hasSecretToken: secret !== undefined };
    },
  };

  const deleteWebhook: ProviderOperation = {
    description: 'Remove the webhook (deleteWebhook) so getUpdates can be used again; optionally drop pending updates.',
    input: emptyObject.extend({ dropPendingUpdates: flag }),
    output: emptyObject.extend({ deleted: flag.unwrap() }),
    hints: { readOnly: false, destructive: true, idempotent: true },
    async execute(input, context) {
      const { dropPendingUpdates } = input as { dropPendingUpdates?: boolean };
      await client.call(
        'deleteWebhook',
        dropPendingUpdates === undefined ? {} : { drop_pending_updates: dropPendingUpdates },
        telegramTrueSchema,
        context,
      );
      return { deleted: true };
    },
  };

  const getUpdates: ProviderOperation = {
    description:
      'Fetch new updates by long polling (getUpdates) from the checkpointed offset, dispatch /command updates to the configured handlers, and save the next offset so they are not fetched again.',
    input: emptyObject.extend({ timeoutSeconds: positiveInteger.max(50).optional(), limit: positiveInteger.max(100).optional() }),
    output: emptyObject.extend({ updates: emptyObject.loose().array(), nextOffset: count.optional(), dispatched: count }),
    hints: { readOnly: false, destructive: false, idempotent: false },
    execute: (input, context) => poller.poll(input as { timeoutSeconds?: number; limit?: number }, context),
  };

  return { setCommands, setWebhook, deleteWebhook, getUpdates };
}
