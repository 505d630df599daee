import {
  IntegrationError,
  type MessagingOperationInput,
  type ProviderCallContext,
  type Recipient,
  type OperationHandlers,
} from '@switchyard/core';
import type { messagingV1 } from '@switchyard/core/messaging';
import {
  epochMilliseconds,
  telegramChatMemberSchema,
  telegramChatSchema,
  telegramEditResultSchema,
  telegramMessageSchema,
  telegramTrueSchema,
  type TelegramMessage,
  type TelegramUser,
} from './telegram-api';
import type { TelegramClient } from './telegram-client';
import { telegramErrors } from './telegram-errors';
import { renderMessage } from './telegram-format';
import type { TelegramParseMode } from './telegram-settings';

/** The operations a bot can do: all but `listChannels` and `listUsers`. */
type Handlers = Omit<OperationHandlers<typeof messagingV1>, 'listChannels' | 'listUsers'>;

/** The chat a recipient addresses: a chat, channel or user id (`@channelname` works for public channels). SMS numbers are not Telegram's. */
function chatIdOf(recipient: Recipient): string {
  if (recipient.kind === 'phone') {
    throw telegramErrors.create({
      kind: 'unsupported',
      message: 'cannot send to a phone number: use a chat, channel or user id',
      operation: 'messaging.sendMessage',
      isRetryable: false,
    });
  }
  return recipient.id;
}

/** A `message_id`: Telegram's are integers, so anything else is refused before a request. */
function messageIdOf(value: string, operation: string): number {
  if (!/^\d+$/.test(value))
    throw telegramErrors.invalidInput(
      `messaging.${operation}`,
      `message id ${JSON.stringify(value)} is not a Telegram message_id (an integer)`,
    );
  return Number(value);
}

function timestampOf(message: TelegramMessage | undefined): string {
  return new Date(message === undefined ? Date.now() : epochMilliseconds(message.date)).toISOString();
}

function notFound(message: string) {
  return telegramErrors.create({ kind: 'not_found', message, operation: 'messaging.getUser', isRetryable: false });
}

function userOf(user: TelegramUser, requestedId: string) {
  if (user.type !== undefined && user.type !== null && user.type !== 'private')
    throw notFound(`chat ${requestedId} is a ${user.type}, not a user`);
  const name = [user.first_name, user.last_name].filter((part) => part !== undefined && part !== null && part !== '').join(' ');
  return {
    id: String(user.id),
    name: name === '' ? (user.username ?? String(user.id)) : name,
    ...(user.username === undefined || user.username === null ? {} : { handle: user.username }),
    ...(user.is_bot === undefined || user.is_bot === null ? {} : { isBot: user.is_bot }),
  };
}

/**
 * The `messaging` operations on the Bot API: sendMessage (blocks rendered by
 * `renderMessage`), replyInThread (`reply_parameters`), updateMessage
 * (editMessageText), deleteMessage, and getUser (getChat, or getChatMember in
 * `userChatId`). Bots cannot list chats or users, so those are not offered.
 */
export function createMessagingHandlers(client: TelegramClient, parseMode: TelegramParseMode, userChatId: string | undefined): Handlers {
  async function send(
    chatId: string,
    text: string,
    blocks: MessagingOperationInput<'sendMessage'>['blocks'],
    replyTo: string | undefined,
    context: ProviderCallContext,
  ) {
    const content = renderMessage(text, blocks, parseMode);
    const replyParameters = replyTo === undefined ? {} : { reply_parameters: { message_id: messageIdOf(replyTo, 'replyInThread') } };
    const message = await client.call('sendMessage', { chat_id: chatId, ...content, ...replyParameters }, telegramMessageSchema, context);
    const sentTo = message.chat?.id;
    return {
      messageId: String(message.message_id),
      channelId: sentTo === undefined || sentTo === null ? chatId : String(sentTo),
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
        const result = await client.call(
          'editMessageText',
          { chat_id: input.channelId, message_id: messageIdOf(input.messageId, 'updateMessage'), ...content },
          telegramEditResultSchema,
          context,
        );
        edited = result === true || result === null ? undefined : result;
      } catch (error) {
        // Setting the text a message already has is a success for an idempotent update.
        if (!(IntegrationError.isInstance(error) && error.statusCode === 400 && /message is not modified/i.test(error.message)))
          throw error;
      }
      return { messageId: input.messageId, channelId: input.channelId, text: input.text, timestamp: timestampOf(edited) };
    },

    async deleteMessage(input, context) {
      await client.call(
        'deleteMessage',
        { chat_id: input.channelId, message_id: messageIdOf(input.messageId, 'deleteMessage') },
        telegramTrueSchema,
        context,
      );
      return { channelId: input.channelId, messageId: input.messageId };
    },

    async getUser(input, context) {
      if (!/^-?\d+$/.test(input.userId)) throw notFound(`no user ${JSON.stringify(input.userId)}: Telegram user ids are numbers`);
      const user =
        userChatId === undefined
          ? await client.call('getChat', { chat_id: input.userId }, telegramChatSchema, context)
          : (await client.call('getChatMember', { chat_id: userChatId, user_id: Number(input.userId) }, telegramChatMemberSchema, context))
              .user;
      return userOf(user, input.userId);
    },
  };
}
