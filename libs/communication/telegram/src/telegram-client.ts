import { IntegrationError, loadOptionalSetting, registerSecret, type ProviderCallContext } from '@switchyard/core';
import { createHttpClient, httpResponseError, type HttpClient, type HttpErrorDetails, type HttpResponseHeaders, type ResponseSchema } from '@switchyard/http';
import type { TelegramProviderSettings } from './telegram-settings';

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

/** Telegram's error envelope: `{ ok: false, error_code, description, parameters: { retry_after } }`. */
interface TelegramErrorEnvelope {
  readonly ok?: unknown;
  readonly error_code?: unknown;
  readonly description?: unknown;
  readonly parameters?: { readonly retry_after?: unknown } | null;
}

function envelopeOf(body: string): TelegramErrorEnvelope | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads Telegram's error envelope for the shared mapper: `description` is
 * quoted, `parameters.retry_after` becomes `retryAfterMs`, and a 400 whose
 * description says something was not found becomes `not_found`.
 */
function telegramErrorDetails(response: { readonly status: number; readonly body: string }): HttpErrorDetails | undefined {
  const envelope = envelopeOf(response.body);
  if (envelope === undefined) return undefined;
  const description = typeof envelope.description === 'string' ? envelope.description : undefined;
  const retryAfter = envelope.parameters?.retry_after;
  return {
    message: description,
    kind: response.status === 400 && description !== undefined && NOT_FOUND_DESCRIPTION.test(description) ? 'not_found' : undefined,
    retryAfterMs: typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter * 1000 : undefined,
  };
}

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
 * The Bot API client on `@switchyard/http`, created on first use. The shared
 * mapper classifies by status — 400 `validation`, 401 `auth`, 403 `auth`
 * (bot blocked or kicked), 409 `conflict` (a webhook is set while polling),
 * 429 `rate_limit`, 5xx `provider` — and {@link telegramErrorDetails} adds
 * Telegram's envelope: its description, `retry_after`, and `not_found` for a
 * 400 that says something was not found. A `200` with `ok: false` (as
 * telegram-test-api answers) is classified by its `error_code` the same way.
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
      dispatcher: settings.dispatcher,
      errorDetails: telegramErrorDetails,
    });
    connection = { client, botId: token.split(':')[0] ?? '' };
    return connection;
  };
  return {
    botId: () => connect().botId,
    async call(method, parameters, read, context) {
      const { client } = connect();
      const path = `/${method}`;
      const response = await client.request<unknown>({ method: 'POST', path, body: parameters, responseType: 'json', signal: context.signal });
      const envelope = response.data as TelegramErrorEnvelope | null;
      if (envelope?.ok === false && typeof envelope.error_code === 'number' && envelope.error_code >= 400) {
        throw okFalseError(path, envelope, response.headers);
      }
      const parsed = resultSchema(read).safeParse(response.data);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
        throw new IntegrationError({ kind: 'provider', message: `telegram: POST ${path} returned an unexpected result: ${problems}`, provider: 'telegram', statusCode: response.status });
      }
      return parsed.data;
    },
  };
}

/** An error for a `200` answer with `ok: false`, classified as if its `error_code` were the status. */
function okFalseError(path: string, envelope: TelegramErrorEnvelope, headers: HttpResponseHeaders): IntegrationError {
  const status = envelope.error_code as number;
  const body = JSON.stringify(envelope);
  return httpResponseError({ method: 'POST', path, provider: 'telegram', status, headers, body }, telegramErrorDetails({ status, body }));
}
