import type { MessageBlock, MessagingOperationName, ProviderCallContext, Recipient, OperationHandlers } from '@switchyard/core';
import type { messagingV1 } from '@switchyard/core/messaging';
import { parseResponse, type ResponseSchema } from '@switchyard/http';
import {
  channelPageSchema,
  postedMessageSchema,
  userInfoSchema,
  userPageSchema,
  type SlackPostedMessage,
  type SlackUser,
} from './slack-api';
import { toBlockKit } from './slack-blocks';
import type { SlackClient } from './slack-client';
import { slackErrors } from './slack-error';

type Handlers = OperationHandlers<typeof messagingV1>;

const TS = /^(\d{1,12})\.(\d{6})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Converts a Slack message `ts` ("1503435956.000247": epoch seconds and a
 * per-channel sequence of microseconds) to an ISO 8601 UTC timestamp, to the millisecond.
 */
export function tsToIsoTimestamp(ts: string, operation: string): string {
  const match = TS.exec(ts);
  if (match === null)
    throw slackErrors.create({
      kind: 'provider',
      message: `${operation} returned a message ts that is not "<seconds>.<micros>": ${ts.slice(0, 40)}`,
      operation,
    });
  return new Date(Number(match[1]) * 1000 + Math.floor(Number(match[2]) / 1000)).toISOString();
}

/** The `channel` argument for a recipient: a channel id, or a user id (Slack posts to the app's DM with that user). */
function channelFor(recipient: Recipient, operation: string): string {
  if (recipient.kind === 'channel' || recipient.kind === 'user') return recipient.id;
  throw slackErrors.create({
    kind: 'unsupported',
    message: `${operation}: Slack cannot reach a ${recipient.kind} recipient; use a channel or user id`,
    operation,
    isRetryable: false,
  });
}

function content(input: { readonly text: string; readonly blocks?: readonly MessageBlock[] | undefined }) {
  return input.blocks === undefined ? { text: input.text } : { text: input.text, blocks: toBlockKit(input.blocks) };
}

function toMessage(posted: SlackPostedMessage, fallbackText: string, operation: string, threadTs?: string) {
  const thread = posted.message?.thread_ts ?? threadTs;
  return {
    messageId: posted.ts,
    channelId: posted.channel,
    text: posted.message?.text ?? posted.text ?? fallbackText,
    timestamp: tsToIsoTimestamp(posted.ts, operation),
    ...(thread === undefined || thread === posted.ts ? {} : { threadId: thread }),
  };
}

function toUser(user: SlackUser) {
  const email = user.profile?.email !== undefined && EMAIL.test(user.profile.email) ? user.profile.email : undefined;
  return {
    id: user.id,
    name: user.profile?.display_name ?? user.real_name ?? user.profile?.real_name ?? user.name ?? user.id,
    ...(user.name === undefined ? {} : { handle: user.name }),
    ...(email === undefined ? {} : { email }),
    ...(user.is_bot === undefined ? {} : { isBot: user.is_bot }),
  };
}

const nextCursor = (page: { readonly response_metadata?: { readonly next_cursor?: string | undefined } | null | undefined }) =>
  page.response_metadata?.next_cursor === undefined ? {} : { nextCursor: page.response_metadata.next_cursor };

/** The `messaging` v1 operations on the Web API: `chat.*`, `conversations.list`, `users.info`, `users.list`. */
export function createMessagingHandlers(client: SlackClient): Handlers {
  /** Calls `method` for `messaging.<name>` and parses its result with `schema`. */
  const call = async <T>(
    name: MessagingOperationName,
    method: string,
    args: Readonly<Record<string, unknown>>,
    schema: ResponseSchema<T>,
    context: ProviderCallContext,
  ) => {
    const operation = `messaging.${name}`;
    return parseResponse(schema, await client.call(method, args, context, operation), { provider: 'slack', operation });
  };
  return {
    async sendMessage(input, context) {
      const args = { channel: channelFor(input.recipient, 'messaging.sendMessage'), ...content(input) };
      return toMessage(
        await call('sendMessage', 'chat.postMessage', args, postedMessageSchema, context),
        input.text,
        'messaging.sendMessage',
      );
    },
    async replyInThread(input, context) {
      const posted = await call(
        'replyInThread',
        'chat.postMessage',
        { channel: input.channelId, thread_ts: input.threadId, ...content(input) },
        postedMessageSchema,
        context,
      );
      const message = toMessage(posted, input.text, 'messaging.replyInThread', input.threadId);
      return { ...message, threadId: message.threadId ?? input.threadId };
    },
    async updateMessage(input, context) {
      // Without blocks, an empty list clears the old ones: the contract replaces text and blocks.
      const args = { channel: input.channelId, ts: input.messageId, text: input.text, blocks: toBlockKit(input.blocks ?? []) };
      return toMessage(
        await call('updateMessage', 'chat.update', args, postedMessageSchema, context),
        input.text,
        'messaging.updateMessage',
      );
    },
    async deleteMessage(input, context) {
      const deleted = await call(
        'deleteMessage',
        'chat.delete',
        { channel: input.channelId, ts: input.messageId },
        postedMessageSchema,
        context,
      );
      return { channelId: deleted.channel, messageId: deleted.ts };
    },
    async listChannels(input, context) {
      const args = {
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: input.limit,
        ...(input.cursor === undefined ? {} : { cursor: input.cursor }),
      };
      const page = await call('listChannels', 'conversations.list', args, channelPageSchema, context);
      return {
        channels: page.channels.map((channel) => ({
          id: channel.id,
          name: channel.name ?? '',
          ...(channel.is_private === undefined ? {} : { isPrivate: channel.is_private }),
        })),
        ...nextCursor(page),
      };
    },
    async getUser(input, context) {
      return toUser((await call('getUser', 'users.info', { user: input.userId }, userInfoSchema, context)).user);
    },
    async listUsers(input, context) {
      const page = await call(
        'listUsers',
        'users.list',
        { limit: input.limit, ...(input.cursor === undefined ? {} : { cursor: input.cursor }) },
        userPageSchema,
        context,
      );
      return { users: page.members.map(toUser), ...nextCursor(page) };
    },
  };
}
