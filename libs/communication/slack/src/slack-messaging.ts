import { IntegrationError, type MessageBlock, type MessagingOperationInput, type MessagingOperationName, type MessagingOperationOutput, type ProviderCallContext, type Recipient } from '@switchyard/core';
import { readChannelPage, readPostedMessage, readResult, readUserInfo, readUserPage, type SlackPostedMessage, type SlackUser } from './slack-api';
import { toBlockKit } from './slack-blocks';
import type { SlackClient } from './slack-client';

type Handlers = { readonly [Name in MessagingOperationName]: (input: MessagingOperationInput<Name>, context: ProviderCallContext) => Promise<MessagingOperationOutput<Name>> };

const TS = /^(\d{1,12})\.(\d{6})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Converts a Slack message `ts` ("1503435956.000247": epoch seconds and a
 * per-channel sequence of microseconds) to an ISO 8601 UTC timestamp, to the millisecond.
 */
export function tsToIsoTimestamp(ts: string, operation: string): string {
  const match = TS.exec(ts);
  if (match === null) throw new IntegrationError({ kind: 'provider', message: `slack: ${operation} returned a message ts that is not "<seconds>.<micros>": ${ts.slice(0, 40)}`, provider: 'slack', operation });
  return new Date(Number(match[1]) * 1000 + Math.floor(Number(match[2]) / 1000)).toISOString();
}

/** The `channel` argument for a recipient: a channel id, or a user id (Slack posts to the app's DM with that user). */
function channelFor(recipient: Recipient, operation: string): string {
  if (recipient.kind === 'channel' || recipient.kind === 'user') return recipient.id;
  throw new IntegrationError({
    kind: 'unsupported',
    message: `slack: ${operation}: Slack cannot reach a ${recipient.kind} recipient; use a channel or user id`,
    provider: 'slack',
    operation,
    isRetryable: false,
  });
}

function content(input: { readonly text: string; readonly blocks?: readonly MessageBlock[] | undefined }) {
  return input.blocks === undefined ? { text: input.text } : { text: input.text, blocks: toBlockKit(input.blocks) };
}

function toMessage(posted: SlackPostedMessage, fallbackText: string, operation: string, threadTs?: string) {
  const thread = posted.threadTs ?? threadTs;
  return {
    messageId: posted.ts,
    channelId: posted.channel,
    text: posted.text ?? fallbackText,
    timestamp: tsToIsoTimestamp(posted.ts, operation),
    ...(thread === undefined || thread === posted.ts ? {} : { threadId: thread }),
  };
}

function toUser(user: SlackUser) {
  const email = user.email !== undefined && EMAIL.test(user.email) ? user.email : undefined;
  return {
    id: user.id,
    name: user.displayName ?? user.realName ?? user.profileRealName ?? user.name ?? user.id,
    ...(user.name === undefined ? {} : { handle: user.name }),
    ...(email === undefined ? {} : { email }),
    ...(user.isBot === undefined ? {} : { isBot: user.isBot }),
  };
}

/** The `messaging` v1 operations on the Web API: `chat.*`, `conversations.list`, `users.info`, `users.list`. */
export function createMessagingHandlers(client: SlackClient): Handlers {
  const call = (method: string, args: Readonly<Record<string, unknown>>, context: ProviderCallContext, operation: string) => client.call(method, args, context, `messaging.${operation}`);
  return {
    async sendMessage(input, context) {
      const operation = 'messaging.sendMessage';
      const result = await call('chat.postMessage', { channel: channelFor(input.recipient, operation), ...content(input) }, context, 'sendMessage');
      return toMessage(readResult(readPostedMessage, result, operation, 'chat.postMessage'), input.text, operation);
    },
    async replyInThread(input, context) {
      const operation = 'messaging.replyInThread';
      const result = await call('chat.postMessage', { channel: input.channelId, thread_ts: input.threadId, ...content(input) }, context, 'replyInThread');
      const posted = readResult(readPostedMessage, result, operation, 'chat.postMessage');
      const message = toMessage(posted, input.text, operation, input.threadId);
      return { ...message, threadId: message.threadId ?? input.threadId };
    },
    async updateMessage(input, context) {
      const operation = 'messaging.updateMessage';
      // Without blocks, an empty list clears the old ones: the contract replaces text and blocks.
      const result = await call('chat.update', { channel: input.channelId, ts: input.messageId, text: input.text, blocks: toBlockKit(input.blocks ?? []) }, context, 'updateMessage');
      return toMessage(readResult(readPostedMessage, result, operation, 'chat.update'), input.text, operation);
    },
    async deleteMessage(input, context) {
      const operation = 'messaging.deleteMessage';
      const result = await call('chat.delete', { channel: input.channelId, ts: input.messageId }, context, 'deleteMessage');
      const deleted = readResult(readPostedMessage, result, operation, 'chat.delete');
      return { channelId: deleted.channel, messageId: deleted.ts };
    },
    async listChannels(input, context) {
      const operation = 'messaging.listChannels';
      const args = { types: 'public_channel,private_channel', exclude_archived: true, limit: input.limit, ...(input.cursor === undefined ? {} : { cursor: input.cursor }) };
      const page = readResult(readChannelPage, await call('conversations.list', args, context, 'listChannels'), operation, 'conversations.list');
      return {
        channels: page.items.map((channel) => ({ id: channel.id, name: channel.name, ...(channel.isPrivate === undefined ? {} : { isPrivate: channel.isPrivate }) })),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },
    async getUser(input, context) {
      const result = await call('users.info', { user: input.userId }, context, 'getUser');
      return toUser(readResult(readUserInfo, result, 'messaging.getUser', 'users.info'));
    },
    async listUsers(input, context) {
      const args = { limit: input.limit, ...(input.cursor === undefined ? {} : { cursor: input.cursor }) };
      const page = readResult(readUserPage, await call('users.list', args, context, 'listUsers'), 'messaging.listUsers', 'users.list');
      return { users: page.items.map(toUser), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
    },
  };
}
