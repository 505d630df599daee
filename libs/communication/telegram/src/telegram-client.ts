import { loadOptionalSetting, type ProviderCallContext, type SecretSet } from '@switchyard/core';
import { createHttpClient, createProviderErrors, type HttpClient } from '@switchyard/http';
import type { z } from 'zod';
import { telegramAnswerSchema } from './telegram-api';
import { telegramErrorDetails, telegramHint } from './telegram-errors';
import type { TelegramProviderSettings } from './telegram-settings';

/** What a call hands the client: the call context's signal. Rate limits are reported only through 429 errors. */
export type TelegramCallContext = Pick<ProviderCallContext, 'signal'>;

/** Calls Bot API methods: `POST {baseURL}/bot{token}/{method}` with a JSON body, unwrapping `{ ok, result }`. */
export interface TelegramClient {
  /** The bot's numeric id: the part of the token before the colon. */
  botId(): string;
  /** Calls `method` and reads its `result` with `result`; a mismatch is a `provider` error naming the field. */
  call<Result>(
    method: string,
    parameters: Readonly<Record<string, unknown>>,
    result: z.ZodType<Result>,
    context: TelegramCallContext,
  ): Promise<Result>;
}

/** Resolves the token: the setting, else `TELEGRAM_BOT_TOKEN`; undefined when neither is set. */
export function resolveToken(settings: TelegramProviderSettings): string | undefined {
  return loadOptionalSetting({ settingValue: settings.token, environmentVariableName: 'TELEGRAM_BOT_TOKEN' });
}

/**
 * The Bot API client on `@switchyard/http`, created on first use. Error
 * answers are classified by the shared status table, refined by Telegram's
 * envelope ({@link telegramErrorDetails}). A `200` with `ok: false` (as
 * telegram-test-api answers) is classified by its `error_code` the same way.
 * The token travels in every URL: it joins `secrets` (slot `bot-token`)
 * before any request, and every error the client throws is redacted with them.
 */
export function createTelegramClient(settings: TelegramProviderSettings, baseURL: string, secrets: SecretSet): TelegramClient {
  const errors = createProviderErrors('telegram', { secrets });
  let connection: { readonly client: HttpClient; readonly botId: string } | undefined;
  const connect = () => {
    if (connection !== undefined) return connection;
    const token = resolveToken(settings);
    if (token === undefined)
      throw errors.create({ kind: 'auth', message: 'no bot token: set token or TELEGRAM_BOT_TOKEN', isRetryable: false });
    // A token from TELEGRAM_BOT_TOKEN joins the secrets here, before it is put in any URL.
    secrets.set('bot-token', token);
    const client = createHttpClient({
      baseURL: `${baseURL}/bot${token}`,
      provider: errors.provider,
      allowPrivateNetwork: settings.allowPrivateNetwork,
      dispatcher: settings.dispatcher,
      errorDetails: telegramErrorDetails,
      secrets,
    });
    connection = { client, botId: token.split(':')[0] ?? '' };
    return connection;
  };
  return {
    botId: () => connect().botId,
    async call(method, parameters, result, context) {
      const { client } = connect();
      const { data, headers } = await client.request({
        method: 'POST',
        path: `/${method}`,
        body: parameters,
        responseSchema: telegramAnswerSchema(result),
        signal: context.signal,
      });
      if (data.ok) return data.result;
      const status = data.error_code;
      throw errors.fromStatus({
        operation: method,
        status,
        headers,
        message: data.description ?? undefined,
        hint: telegramHint(status, data),
      });
    },
  };
}
