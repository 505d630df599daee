import { z } from 'zod';

// The Web API results the provider maps: only the fields it reads. `parseResponse` turns a mismatch into a
// `provider` error naming the field.

/** A text field Slack may leave out, send as null or send empty; all three read as absent. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value === '' || value === null ? undefined : value));

/** A flag Slack may leave out or send as null; both read as absent. */
const optionalFlag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? undefined);

const nextCursor = z.object({ next_cursor: optionalText }).nullish();

/** `chat.postMessage`, `chat.update` and `chat.delete`: `channel`, `ts`, and the message's text and thread when present. */
export const postedMessageSchema = z.object({
  channel: z.string().min(1),
  ts: z.string().min(1),
  text: optionalText,
  message: z.object({ text: optionalText, thread_ts: optionalText }).nullish(),
});

export type SlackPostedMessage = z.output<typeof postedMessageSchema>;

/** A user as `users.info` and `users.list` return one. */
const userSchema = z.object({
  id: z.string().min(1),
  name: optionalText,
  real_name: optionalText,
  is_bot: optionalFlag,
  profile: z.object({ display_name: optionalText, real_name: optionalText, email: optionalText }).nullish(),
});

export type SlackUser = z.output<typeof userSchema>;

/** `conversations.list`. */
export const channelPageSchema = z.object({
  channels: z.array(z.object({ id: z.string().min(1), name: z.string().nullish(), is_private: optionalFlag })),
  response_metadata: nextCursor,
});

/** `users.info`. */
export const userInfoSchema = z.object({ user: userSchema });

/** `users.list`. */
export const userPageSchema = z.object({ members: z.array(userSchema), response_metadata: nextCursor });
