import { IntegrationError, type MessagingOperationInput, type MessagingOperationName, type MessagingOperationOutput, type ProviderCallContext, type Recipient } from '@switchyard/core';
import { readChat, readChatMember, readEditResult, readMessage, readTrue, type TelegramMessage, type TelegramUser } from './telegram-api';
import type { TelegramClient } from './telegram-client';
import { renderMessage } from './telegram-format';
import type { TelegramParseMode } from './telegram-settings';

type Handlers = {
  readonly [Name in MessagingOperationName]?: (input: MessagingOperationInput<Name>, context: ProviderCallContext) => Promise<MessagingOperationOutput<Name>>;
};

/** The chat a recipient addresses: a chat, channel or user id (`@channelname` works for public channels). SMS numbers are not Telegram's. */
function chatIdOf(recipient: Recipient): string {
  if (recipient.kind === 'phone') {
    throw new IntegrationError({ kind: 'unsupported', message: 'telegram cannot send to a phone number: use a chat, channel or user id', provider: 'telegram', operation: 'messaging.sendMessage', isRetryable: false });
  }
  return recipient.id;
}

/** A `message_id`: Telegram's are integers, so anything else is refused before a request. */
function messageIdOf(value: string, operation: string): number {
  if (!/^\d+$/.test(value)) {
    throw new IntegrationError({ kind: 'validation', message: `telegram: message id ${JSON.stringify(value)} is not a Telegram message_id (an integer)`, provider: 'telegram', operation: `messaging.${operation}`, isRetryable: false });
  }
  return Number(value);
}

function timestampOf(message: TelegramMessage | undefined): string {
  return new Date(message?.date ?? Date.now()).toISOString();
}

function userOf(user: TelegramUser, requestedId: string) {
  if (user.chatType !== undefined && user.chatType !== 'private') {
    throw new IntegrationError({ kind: 'not_found', message: `telegram: chat ${requestedId} is a ${user.chatType}, not a user`, provider: 'telegram', operation: 'messaging.getUser', isRetryable: false });
  }
  const name = [user.firstName, user.lastName].filter((part) => part !== undefined && part !== '').join(' ');
  return {
    id: String(user.id),
    name: name === '' ? (user.username ?? String(user.id)) : name,
    ...(user.username === undefined ? {} : { handle: user.username }),
    ...(user.isBot === undefined ? {} : { isBot: user.isBot }),
  };
}

/**
 * The `messaging` operations on the Bot API: sendMessage (blocks rendered by
 * `renderMessage`), replyInThread (`reply_parameters`), updateMessage
 * (editMessageText), deleteMessage, and getUser (getChat, or getChatMember in
 * `userChatId`). Bots cannot list chats or users, so those are not offered.
 */
export function createMessagingHandlers(client: TelegramClient, parseMode: TelegramParseMode, userChatId: string | undefined): Handlers {
  async function send(chatId: string, text: string, blocks: MessagingOperationInput<'sendMessage'>['blocks'], replyTo: string | undefined, context: ProviderCallContext) {
    const content = renderMessage(text, blocks, parseMode);
    const replyParameters = replyTo === undefined ? {} : { reply_parameters: { message_id: messageIdOf(replyTo, 'replyInThread') } };
    const message = await client.call('sendMessage', { chat_id: chatId, ...content, ...replyParameters }, readMessage, context);
    return {
      messageId: String(message.messageId),
      channelId: message.chatId === undefined ? chatId : String(message.chatId),
      text,
      timestamp: timestampOf(message),
    };
  }

  return {
    sendMessage: (input, context) => send(chatIdOf(input.recipient), input.text, input.blocks, undefined, context),

    async replyInThread(input, context) {
      const sent = await send(input.channelId, input.text, input.blocks, input.threadId, context);
      return { ...sent, threadId: input.threadId };
    },

    async updateMessage(input, context) {
      const content = renderMessage(input.text, input.blocks, parseMode);
      let edited: TelegramMessage | undefined;
      try {
        edited = await client.call('editMessageText', { chat_id: input.channelId, message_id: messageIdOf(input.messageId, 'updateMessage'), ...content }, readEditResult, context);
      } catch (error) {
        // Setting the text a message already has is a success for an idempotent update.
        if (!(IntegrationError.isInstance(error) && error.statusCode === 400 && /message is not modified/i.test(error.message))) throw error;
      }
      return { messageId: input.messageId, channelId: input.channelId, text: input.text, timestamp: timestampOf(edited) };
    },

    async deleteMessage(input, context) {
      await client.call('deleteMessage', { chat_id: input.channelId, message_id: messageIdOf(input.messageId, 'deleteMessage') }, readTrue, context);
      return { channelId: input.channelId, messageId: input.messageId };
    },

    async getUser(input, context) {
      if (!/^-?\d+$/.test(input.userId)) {
        throw new IntegrationError({ kind: 'not_found', message: `telegram: no user ${JSON.stringify(input.userId)}: Telegram user ids are numbers`, provider: 'telegram', operation: 'messaging.getUser', isRetryable: false });
      }
      const user =
        userChatId === undefined
          ? await client.call('getChat', { chat_id: input.userId }, readChat, context)
          : await client.call('getChatMember', { chat_id: userChatId, user_id: Number(input.userId) }, readChatMember, context);
      return userOf(user, input.userId);
    },
  };
}
