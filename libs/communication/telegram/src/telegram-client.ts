import { IntegrationError, loadOptionalSetting, registerSecret, type ProviderCallContext } from '@switchyard/core';
import { createHttpClient, type HttpClient, type ResponseSchema } from '@switchyard/http';
import type { TelegramProviderSettings } from './telegram-settings';
import { telegramDispatcher } from './telegram-transport';

/** What a call hands the client: the call context's signal. Rate limits are reported only through 429 errors. */
export type TelegramCallContext = Pick<ProviderCallContext, 'signal'>;

/** A response `result` that is not what the code reads. */
export class TelegramSchemaIssue extends Error {
  readonly path: readonly string[];

  constructor(path: readonly string[], message: string) {
    super(message);
    this.path = path;
  }
}

/** Calls Bot API methods: `POST {baseURL}/bot{token}/{method}` with a JSON body, unwrapping `{ ok, result }`. */
export interface TelegramClient {
  /** The bot's numeric id: the part of the token before the colon. */
  botId(): string;
  call<T>(method: string, parameters: Readonly<Record<string, unknown>>, read: (result: unknown) => T, context: TelegramCallContext): Promise<T>;
}

/** Bot API 400 descriptions that mean the chat, user or message does not exist. */
const NOT_FOUND_DESCRIPTION = /\bnot found\b|wasn't found|PARTICIPANT_ID_INVALID/i;

function resultSchema<T>(read: (result: unknown) => T): ResponseSchema<T> {
  return {
    safeParse(value) {
      try {
        const envelope = value as { ok?: unknown; result?: unknown } | null;
        if (typeof envelope !== 'object' || envelope === null || envelope.ok !== true) throw new TelegramSchemaIssue(['ok'], 'expected true');
        return { success: true, data: read(envelope.result) };
      } catch (error) {
        if (!(error instanceof TelegramSchemaIssue)) throw error;
        return { success: false, error: { issues: [{ path: ['result', ...error.path], message: error.message }] } };
      }
    },
  };
}

/** Resolves the token: the setting, else `TELEGRAM_BOT_TOKEN`, else an `auth` error naming the variable. */
export function resolveToken(settings: TelegramProviderSettings): string | undefined {
  return loadOptionalSetting({ settingValue: settings.token, environmentVariableName: 'TELEGRAM_BOT_TOKEN' });
}

/**
 * The Bot API client on `@switchyard/http`, created on first use. Telegram's
 * own error envelope is translated by the transport, so the shared mapper
 * classifies: 400 `validation`, 401 `auth`, 403 `auth` (bot blocked or
 * kicked), 409 `conflict` (a webhook is set while polling), 429 `rate_limit`
 * with `retryAfterMs` from `parameters.retry_after`, 5xx `provider`. Here a
 * 400 whose description says something was not found ("chat not found",
 * "message to edit not found") becomes `not_found`.
 */
export function createTelegramClient(settings: TelegramProviderSettings, baseURL: string): TelegramClient {
  let connection: { readonly client: HttpClient; readonly botId: string } | undefined;
  const connect = () => {
    if (connection !== undefined) return connection;
    const token = resolveToken(settings);
    if (token === undefined) {
      throw new IntegrationError({ kind: 'auth', message: 'telegram: no bot token: set token or TELEGRAM_BOT_TOKEN', provider: 'telegram', isRetryable: false });
    }
    // A token from TELEGRAM_BOT_TOKEN is registered here, before it is put in any URL.
    registerSecret(token);
    const client = createHttpClient({
      baseURL: `${baseURL}/bot${token}`,
      provider: 'telegram',
      allowPrivateNetwork: settings.allowPrivateNetwork,
      dispatcher: telegramDispatcher(settings.dispatcher),
    });
    connection = { client, botId: token.split(':')[0] ?? '' };
    return connection;
  };
  return {
    botId: () => connect().botId,
    async call(method, parameters, read, context) {
      const { client } = connect();
      try {
        const response = await client.request({ method: 'POST', path: `/${method}`, body: parameters, responseSchema: resultSchema(read), signal: context.signal });
        return response.data;
      } catch (error) {
        if (IntegrationError.isInstance(error) && error.statusCode === 400 && NOT_FOUND_DESCRIPTION.test(error.message)) {
          throw new IntegrationError({ kind: 'not_found', message: error.message, provider: 'telegram', operation: error.operation, statusCode: 400, isRetryable: false, cause: error });
        }
        throw error;
      }
    },
  };
}
