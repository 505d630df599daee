import { z } from 'zod';

/**
 * Every Bot API answer: `{ ok: true, result }`, or Telegram's error envelope
 * `{ ok: false, error_code, description, parameters: { retry_after } }`
 * (telegram-test-api sends the latter with HTTP 200 for some methods).
 */
export const telegramErrorSchema = z.object({
  ok: z.literal(false),
  error_code: z.number(),
  description: z.string().nullish(),
  parameters: z.object({ retry_after: z.number().nullish() }).nullish(),
});

/** Telegram's error envelope as {@link telegramErrorSchema} reads it. */
export type TelegramErrorEnvelope = z.output<typeof telegramErrorSchema>;

/** A Bot API answer: its `result`, or the error envelope. */
export type TelegramAnswer<Result> = { readonly ok: true; readonly result: Result } | TelegramErrorEnvelope;

/** A Bot API answer whose `result` is read with `result`. */
export function telegramAnswerSchema<Result>(result: z.ZodType<Result>): z.ZodType<TelegramAnswer<Result>> {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), result }), telegramErrorSchema]);
}

/** The fields of a sent or edited `Message` the provider reads; `date` is Unix time (see `epochMilliseconds`). */
export const telegramMessageSchema = z.object({
  message_id: z.number().int(),
  chat: z.object({ id: z.number().nullish() }).nullish(),
  date: z.number().int(),
});

/** A `Message` as {@link telegramMessageSchema} reads it. */
export type TelegramMessage = z.output<typeof telegramMessageSchema>;

/** editMessageText's result: the edited `Message`, or `true` for inline messages (telegram-test-api sends `null`). */
export const telegramEditResultSchema = z.union([z.literal(true), telegramMessageSchema]).nullable();

/** A `True` result (deleteMessage, setMyCommands, setWebhook, ...); telegram-test-api sends `null` for some. */
export const telegramTrueSchema = z.literal(true).nullable();

/** The fields of a `User` (getMe, getChatMember's `user`) the provider reads. */
export const telegramUserSchema = z.object({
  id: z.number().int(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  username: z.string().nullish(),
  is_bot: z.boolean().nullish(),
});

/** A user as getChat (a `private` chat) or getChatMember describes them. */
export type TelegramUser = z.output<typeof telegramUserSchema> & { readonly type?: string | null | undefined };

/** getChat's `ChatFullInfo`: a user's name fields, and `type` (`private` for a user). */
export const telegramChatSchema = telegramUserSchema.omit({ is_bot: true }).extend({ type: z.string().nullish() });

/** getChatMember's `ChatMember`: its `user`. */
export const telegramChatMemberSchema = z.object({ user: telegramUserSchema });

/** getUpdates' `Update[]`, each update kept whole. */
export const telegramUpdatesSchema = z.array(z.looseObject({ update_id: z.number().int() }));

/**
 * A `date` in epoch milliseconds. `date` is Unix time in seconds;
 * telegram-test-api sends milliseconds, and a value past 10^10 (the year
 * 2286 in seconds) can only be milliseconds.
 */
export function epochMilliseconds(date: number): number {
  return date > 10_000_000_000 ? date : date * 1000;
}
