import { SecretSet } from '@switchyard/core';

/**
 * The secrets of one Telegram provider object: the values it was given (bot
 * token, webhook secret), Telegram's bot token format (`123456789:AA…`, also
 * as the `bot<token>` path segment of every Bot API URL) and the
 * `X-Telegram-Bot-Api-Secret-Token` webhook header. A token read from
 * `TELEGRAM_BOT_TOKEN` joins it as `bot-token` before it is put in any URL,
 * and the secret token `setWebhook` sends as `webhook-secret-token`.
 */
export function createTelegramSecrets(values: readonly (string | undefined)[]): SecretSet {
  const secrets = new SecretSet();
  for (const value of values) secrets.add(value);
  secrets.addPattern(/\b(?:bot)?\d{5,16}:[A-Za-z0-9_-]{30,}/g);
  secrets.addSensitiveKey('x-telegram-bot-api-secret-token');
  return secrets;
}
