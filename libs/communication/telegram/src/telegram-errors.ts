import { createProviderErrors, type HttpErrorDetails, type ProviderErrorHint } from '@switchyard/http';
import { telegramErrorSchema, type TelegramErrorEnvelope } from './telegram-api';

/**
 * Errors recorded on `telegram`, every message prefixed `telegram: `, whose
 * text is the provider's own (input checks, webhook refusals). Errors that
 * carry Telegram's answers come from the client's own factory, which redacts
 * them with the provider's secrets.
 */
export const telegramErrors = createProviderErrors('telegram');

/** Bot API 400 descriptions that mean the chat, user or message does not exist. */
const NOT_FOUND_DESCRIPTION = /\bnot found\b|wasn't found|PARTICIPANT_ID_INVALID/i;

/**
 * What Telegram's envelope says that its status does not: a 400 whose
 * description says the chat, user or message was not found is `not_found`
 * (the shared table says `validation`), and `parameters.retry_after` is the
 * wait (Telegram sends no `Retry-After` header).
 */
export function telegramHint(status: number, envelope: TelegramErrorEnvelope): ProviderErrorHint {
  const description = envelope.description ?? '';
  const retryAfter = envelope.parameters?.retry_after;
  return {
    kind: status === 400 && NOT_FOUND_DESCRIPTION.test(description) ? 'not_found' : undefined,
    retryAfterMs: typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter * 1000 : undefined,
  };
}

/**
 * Reads Telegram's error envelope for `@switchyard/http`'s `errorDetails`:
 * `description` is quoted and {@link telegramHint} refines the shared
 * status table. A body that is not the envelope leaves the default reading.
 */
export function telegramErrorDetails(response: { readonly status: number; readonly body: string }): HttpErrorDetails | undefined {
  const parsed = telegramErrorSchema.safeParse(JSON.parse(response.body));
  if (!parsed.success) return undefined;
  return { message: parsed.data.description ?? undefined, ...telegramHint(response.status, parsed.data) };
}
