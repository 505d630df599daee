import { z } from 'zod';
import { defineCapability } from './capability';
import { SYSTEM_OF_RECORD_POLICY, touches } from './data-policy';
import { pageCursorSchema, pageLimitSchema, timestampSchema } from './capability-schemas';

const identifier = (example: string) => z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters').describe(example);

/** A phone number in E.164 form: `+`, country code, subscriber number, at most 15 digits. */
export const phoneNumberSchema = z
  .string()
  .regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 phone number such as +14155550123')
  .describe('E.164 phone number, e.g. "+14155550123".');

/**
 * Who a message goes to. `channel`: a channel or group conversation (Slack
 * `C0123ABCD`); `chat`: a chat id (Telegram `-1001234567890` or
 * `@channelname`); `phone`: an E.164 number (SMS); `user`: a direct message to
 * a user id (Slack `U0123ABCD`). A provider that cannot reach a kind fails
 * with `unsupported`, so the router can try another.
 */
export const recipientSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('channel'), id: identifier('Channel id, e.g. Slack "C0123ABCD".') }),
  z.strictObject({ kind: z.literal('chat'), id: identifier('Chat id, e.g. Telegram "-1001234567890" or "@channelname".') }),
  z.strictObject({ kind: z.literal('phone'), number: phoneNumberSchema }),
  z.strictObject({ kind: z.literal('user'), id: identifier('User id for a direct message, e.g. Slack "U0123ABCD".') }),
]);

/**
 * A button in an `actions` block. `value` comes back in the interaction
 * payload (at most 64 characters: Telegram's callback data limit); `url`, when
 * set, opens a link instead.
 */
export const messageButtonSchema = z.strictObject({
  text: z.string().min(1, 'must not be empty').max(75, 'must be at most 75 characters'),
  value: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});

/**
 * One rich block of a message, in a small provider-neutral vocabulary that
 * maps to Slack Block Kit, Telegram formatting and inline keyboards, and
 * plain text: `section` (a paragraph), `divider`, `context` (small print) and
 * `actions` (buttons). Providers without rich messages send `text` alone.
 */
export const messageBlockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('section'), text: z.string().min(1, 'must not be empty').max(3000) }),
  z.strictObject({ type: z.literal('divider') }),
  z.strictObject({
    type: z.literal('context'),
    elements: z.array(z.string().min(1, 'must not be empty').max(3000)).min(1).max(10),
  }),
  z.strictObject({ type: z.literal('actions'), buttons: z.array(messageButtonSchema).min(1).max(25) }),
]);

const messageContent = {
  text: z
    .string()
    .min(1, 'must not be empty')
    .max(40_000, 'must be at most 40000 characters')
    .describe('Plain text of the message; also the fallback where blocks cannot be shown.'),
  blocks: z.array(messageBlockSchema).max(50, 'must hold at most 50 blocks').optional(),
};

/**
 * A message as the provider stored it. `channelId` plus `messageId` address it
 * for replies, updates and deletes: Slack channel + `ts`, Telegram `chat_id` +
 * `message_id`, Twilio the recipient's number + message SID.
 */
export const messageSchema = z.object({
  messageId: z.string().min(1),
  /** The conversation the message lives in (Slack channel or DM id, Telegram chat id, SMS recipient number). */
  channelId: z.string().min(1),
  /** The message text as stored. */
  text: z.string(),
  /** When the provider accepted the message. */
  timestamp: timestampSchema,
  /** The `messageId` of the thread's parent, for messages in a thread. */
  threadId: z.string().min(1).optional(),
});

/** A channel or group conversation the provider can post to. */
export const channelSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** Whether only members can see it; absent when the provider does not say. */
  isPrivate: z.boolean().optional(),
});

/** A user (or bot) of the messaging service. */
export const messagingUserSchema = z.object({
  id: z.string().min(1),
  /** The name people see: display name, else real name, else handle. */
  name: z.string(),
  /** The user's handle, e.g. Slack `name` or Telegram `username`, when there is one. */
  handle: z.string().optional(),
  email: z.email().optional(),
  isBot: z.boolean().optional(),
});

const messageAddress = {
  channelId: identifier('The `channelId` of the message, as sendMessage returned it.'),
  messageId: identifier('The `messageId` of the message, as sendMessage returned it.'),
};

const sendMessage = {
  description: 'Send a message to a channel, chat, phone number or user. Not safe to repeat: each call sends another message.',
  input: z.strictObject({ recipient: recipientSchema, ...messageContent }),
  output: messageSchema,
  hints: { readOnly: false, destructive: false, idempotent: false },
};

const replyInThread = {
  description: 'Reply in the thread of a message (Slack thread, Telegram reply). Not safe to repeat.',
  input: z.strictObject({
    channelId: messageAddress.channelId,
    threadId: identifier('The `messageId` of the message to reply to (or its `threadId`, to reply in the same thread).'),
    ...messageContent,
  }),
  output: messageSchema.required({ threadId: true }),
  hints: { readOnly: false, destructive: false, idempotent: false },
};

const updateMessage = {
  description: "Replace a sent message's text and blocks; the old content is lost. Fails with not_found when the message does not exist.",
  input: z.strictObject({ ...messageAddress, ...messageContent }),
  output: messageSchema,
  hints: { readOnly: false, destructive: true, idempotent: true },
  resource: touches('write'),
};

const deleteMessage = {
  description: 'Delete a sent message. Fails with not_found when it does not exist, so a repeat reports not_found.',
  input: z.strictObject(messageAddress),
  output: z.object({ channelId: z.string(), messageId: z.string() }),
  hints: { readOnly: false, destructive: true, idempotent: false },
  resource: touches('delete'),
};

const listChannels = {
  description: 'List the channels the provider can post to, one page at a time.',
  input: z.strictObject({ cursor: pageCursorSchema.optional(), limit: pageLimitSchema(1000, 100) }),
  output: z.object({ channels: z.array(channelSchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
};

const getUser = {
  description: 'Get one user by id. Fails with not_found when there is no such user.',
  input: z.strictObject({ userId: identifier('User id, e.g. Slack "U0123ABCD" or a Telegram user id.') }),
  output: messagingUserSchema,
  hints: { readOnly: true, destructive: false, idempotent: true },
};

const listUsers = {
  description: 'List the users of the workspace, one page at a time.',
  input: z.strictObject({ cursor: pageCursorSchema.optional(), limit: pageLimitSchema(1000, 100) }),
  output: z.object({ users: z.array(messagingUserSchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
};

/**
 * The `messaging` capability, version 1: send, thread, edit and delete
 * messages, and look up channels and users, across Slack, Telegram and SMS
 * (Twilio). Providers list only what their service can do: SMS has no
 * threads, edits or channels; Telegram bots cannot list chats or users.
 */
export const messagingV1 = defineCapability({
  name: 'messaging',
  version: 1,
  description: 'Messages to channels, chats, phone numbers and users: send, reply, update, delete; channels and users.',
  operations: { sendMessage, replyInThread, updateMessage, deleteMessage, listChannels, getUser, listUsers },
  // Sending fails over freely; a sent message lives where it was sent, so editing or deleting it does not.
  dataPolicy: SYSTEM_OF_RECORD_POLICY,
});

/** The operations of {@link messagingV1}. */
export type MessagingOperations = typeof messagingV1.operations;
/** The name of a {@link messagingV1} operation, e.g. `'sendMessage'`. */
export type MessagingOperationName = keyof MessagingOperations;
/** The input a messaging provider receives for an operation: parsed, defaults applied. */
export type MessagingOperationInput<Name extends MessagingOperationName> = z.output<MessagingOperations[Name]['input']>;
/** What a messaging provider returns for an operation, and what callers receive. */
export type MessagingOperationOutput<Name extends MessagingOperationName> = z.output<MessagingOperations[Name]['output']>;
/** Who a message goes to; see {@link recipientSchema}. */
export type Recipient = z.output<typeof recipientSchema>;
/** One rich block of a message; see {@link messageBlockSchema}. */
export type MessageBlock = z.output<typeof messageBlockSchema>;
/** A message as the provider stored it; see {@link messageSchema}. */
export type Message = z.output<typeof messageSchema>;
