import {
  headerValue,
  timingSafeEqualText,
  verifyTimestampWindow,
  type IntegrationError,
  type NormalizedWebhookFields,
  type ProviderWebhooks,
} from '@switchyard/core';
import { telegramErrors } from './telegram-errors';
import { commandOf } from './telegram-updates';

const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

/** The update kinds Telegram sends, in the order they are looked for. */
const UPDATE_KINDS = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'callback_query',
  'inline_query',
  'chosen_inline_result',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'message_reaction',
  'poll',
  'poll_answer',
  'shipping_query',
  'pre_checkout_query',
] as const;

/** Normalized actions for the update kinds that have one; others keep their kind. */
const ACTIONS: Readonly<Record<string, string>> = {
  message: 'message',
  edited_message: 'edited',
  channel_post: 'channel_post',
  edited_channel_post: 'edited',
  callback_query: 'callback',
};

function rejected(message: string): IntegrationError {
  return telegramErrors.create({ kind: 'auth', message: `webhook: ${message}`, statusCode: 401, isRetryable: false });
}

function unreadable(message: string): IntegrationError {
  return telegramErrors.create({ kind: 'validation', message: `webhook: ${message}`, isRetryable: false });
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseUpdate(rawBody: Uint8Array | string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    throw unreadable('the body is not a JSON update');
  }
  const update = record(parsed);
  if (update === undefined || typeof update.update_id !== 'number' || !Number.isSafeInteger(update.update_id) || update.update_id < 0) {
    throw unreadable('the body has no update_id (needed to deduplicate deliveries)');
  }
  return update;
}

/** When the update's message was sent or edited, in epoch seconds; undefined for kinds without one (callback queries). */
function updateDate(update: Record<string, unknown>, kind: string): unknown {
  if (kind === 'callback_query') return undefined;
  const body = record(update[kind]);
  return body?.edit_date ?? body?.date;
}

/**
 * Telegram's inbound webhooks. `verify` compares
 * `X-Telegram-Bot-Api-Secret-Token` with the secret in constant time, reads
 * the delivery id from the body's `update_id` and the event from the update
 * kind (`message`, `callback_query`, ...), and rejects an update whose
 * message `date` (`edit_date` for edits) is more than `maxAgeSeconds` from
 * the receiver's clock, either way: Telegram signs nothing, so this window
 * is what stops a captured request from being replayed after its
 * `update_id` has been forgotten. Callback queries carry no date of their
 * own and are not checked. `normalize` gives type `other` with action
 * `message`, `edited`, `channel_post`, `callback` or `command:<name>`.
 */
export function createTelegramWebhooks(maxAgeSeconds: number): ProviderWebhooks {
  return {
    verify(request, secret) {
      if (secret === '') throw rejected('no webhook secret is configured to verify against');
      const token = headerValue(request.headers, SECRET_HEADER);
      if (token === undefined) throw rejected(`the ${SECRET_HEADER} header is missing`);
      if (!timingSafeEqualText(token, secret)) throw rejected(`the ${SECRET_HEADER} header does not match the webhook secret`);
      const update = parseUpdate(request.rawBody);
      const providerEvent = UPDATE_KINDS.find((kind) => update[kind] !== undefined) ?? 'unknown';
      const date = updateDate(update, providerEvent);
      if (maxAgeSeconds > 0 && date !== undefined) {
        const fresh = verifyTimestampWindow(typeof date === 'number' ? date : undefined, {
          now: request.receivedAt,
          toleranceSeconds: maxAgeSeconds,
        });
        if (!fresh) throw rejected(`the update's message date is more than ${maxAgeSeconds} seconds from now (stale or replayed)`);
      }
      return { deliveryId: String(update.update_id), providerEvent };
    },

    normalize(webhook, payload): NormalizedWebhookFields {
      const update = record(payload) ?? {};
      const body = record(update[webhook.providerEvent]);
      const from = record(body?.from);
      const sender = typeof from?.username === 'string' ? from.username : typeof from?.id === 'number' ? String(from.id) : undefined;
      const command = webhook.providerEvent === 'message' ? commandOf(update) : undefined;
      const action = command === undefined ? (ACTIONS[webhook.providerEvent] ?? webhook.providerEvent) : `command:${command.command}`;
      return { type: 'other', action, sender };
    },
  };
}
