import type { HttpTransportSettings } from '@switchyard/http';

/** How message text is marked up for Telegram: `HTML`, `MarkdownV2`, or `none` (plain text, no `parse_mode`). */
export type TelegramParseMode = 'HTML' | 'MarkdownV2' | 'none';

/** One update from `getUpdates` or a webhook, as Telegram sent it (only `update_id` is guaranteed). */
export interface TelegramUpdate {
  readonly update_id: number;
  readonly [field: string]: unknown;
}

/** What a command handler receives: the update, the command without `/` and `@botname`, and the text after it. */
export interface TelegramCommandEvent {
  readonly update: TelegramUpdate;
  /** The command, lower case, without the slash and any `@botname` suffix: `start` for `/start@MyBot`. */
  readonly command: string;
  /** The text after the command, trimmed (`"42"` for `/deploy 42`); empty when there is none. */
  readonly argument: string;
  /** The chat the command was sent in, as a string (`"-1001234567890"`), for replies. */
  readonly chatId: string;
}

/** Handles one `/command`; thrown errors stop the poll before its offset is saved, so the update is fetched again. */
export type TelegramCommandHandler = (event: TelegramCommandEvent) => void | Promise<void>;

/** The part of a store's checkpoint repository the poller uses (a `Store`'s `checkpoints` fits). */
export interface TelegramCheckpoints {
  get(integrationId: string, stream: string): Promise<{ readonly cursor: string } | undefined>;
  put(checkpoint: { readonly integrationId: string; readonly stream: string; readonly cursor: string }): Promise<unknown>;
}

/** Where `getUpdates` keeps its offset so a restarted poller does not see the same updates again. */
export interface TelegramCheckpointSettings {
  /** A store (`@switchyard/platform`'s memory store, SQLite, PostgreSQL); only its `checkpoints` are used. */
  readonly store: { readonly checkpoints: TelegramCheckpoints };
  /** The integration the checkpoint belongs to; it must exist in the store. */
  readonly integrationId: string;
}

/**
 * Settings for `createTelegram`. Only `token` is needed against the real Bot
 * API. Transport settings as for every HTTP provider: requests go to
 * `{baseURL}/bot{token}/{method}`, `baseURL` defaulting to the
 * `TELEGRAM_BASE_URL` environment variable, else `https://api.telegram.org`;
 * `allowPrivateNetwork` lets it be a local Bot API server or a test peer.
 */
export interface TelegramProviderSettings extends HttpTransportSettings {
  /**
   * The bot token from @BotFather (`123456:ABC-DEF...`). It travels in the
   * URL path (`/bot<token>/<method>`), so it is kept in the provider's
   * secrets (`provider.secrets`) and redacted from every error. Default: the `TELEGRAM_BOT_TOKEN` environment variable.
   */
  readonly token?: string | undefined;
  /**
   * The `secret_token` given to `setWebhook`; Telegram sends it back in
   * `X-Telegram-Bot-Api-Secret-Token` and the webhook verifier compares it.
   * 1-256 characters of `A-Z a-z 0-9 _ -`. Kept in the provider's secrets,
   * never exposed as a property: give the webhook receiver the same value
   * through its `secret` lookup.
   * Default: the `TELEGRAM_WEBHOOK_SECRET` environment variable.
   */
  readonly webhookSecret?: string | undefined;
  /**
   * Webhook updates whose message is older than this many seconds are
   * rejected (`auth`), so a captured request cannot be replayed once its
   * `update_id` has left the dedupe store. `0` turns the check off.
   * Default: 86400 (Telegram keeps undelivered updates for 24 hours).
   */
  readonly webhookMaxAgeSeconds?: number | undefined;
  /** How text is marked up; the provider escapes plain text for the mode. Default: `HTML`. */
  readonly parseMode?: TelegramParseMode | undefined;
  /**
   * A chat whose members `getUser` looks up with `getChatMember` (which also
   * says whether the user is a bot). Default: none — `getUser` calls
   * `getChat` with the user id, which finds users who have talked to the bot.
   */
  readonly userChatId?: string | undefined;
  /** Handlers for `/command` updates seen by `getUpdates`, by command name without the slash: `{ start: (event) => ... }`. Default: none. */
  readonly commands?: Readonly<Record<string, TelegramCommandHandler>> | undefined;
  /** Where `getUpdates` checkpoints its offset (stream `telegram:<botId>:updates`). Default: none (the offset lives only in memory). */
  readonly checkpoints?: TelegramCheckpointSettings | undefined;
}
