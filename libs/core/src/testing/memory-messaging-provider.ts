import {
  type MessageBlock,
  type MessagingOperationInput,
  type MessagingOperationName,
  type MessagingOperationOutput,
  type ProviderV1,
  type Recipient,
} from '../index';
import { messagingV1 } from '../capabilities/index';
import { createMemoryProvider, paginate, type MemoryFailure } from './memory-provider';

/** A channel of an in-memory messaging provider. */
export interface MemoryChannel {
  readonly id: string;
  readonly name: string;
  readonly isPrivate?: boolean;
}

/** A user of an in-memory messaging provider. */
export interface MemoryUser {
  readonly id: string;
  readonly name: string;
  readonly handle?: string;
  readonly email?: string;
  readonly isBot?: boolean;
}

/** Options for {@link createMemoryMessagingProvider}. */
export interface MemoryMessagingProviderOptions {
  /** The manifest id. Default: `'memory-messaging'`. */
  readonly id?: string;
  /** The workspace's channels. Default: `general` (`C-general`), `random` (`C-random`) and private `leads` (`C-leads`). */
  readonly channels?: readonly MemoryChannel[];
  /** The workspace's users. Default: `U-ada`, `U-grace` and the bot `U-switchyard`. */
  readonly users?: readonly MemoryUser[];
}

/** The channels an in-memory messaging provider has unless told otherwise. */
export const DEFAULT_MEMORY_CHANNELS: readonly MemoryChannel[] = Object.freeze([
  { id: 'C-general', name: 'general', isPrivate: false },
  { id: 'C-random', name: 'random', isPrivate: false },
  { id: 'C-leads', name: 'leads', isPrivate: true },
]);

/** The users an in-memory messaging provider has unless told otherwise. */
export const DEFAULT_MEMORY_USERS: readonly MemoryUser[] = Object.freeze([
  { id: 'U-ada', name: 'Ada Lovelace', handle: 'ada', email: 'ada@example.com', isBot: false },
  { id: 'U-grace', name: 'Grace Hopper', handle: 'grace', email: 'grace@example.com', isBot: false },
  { id: 'U-switchyard', name: 'Switchyard', handle: 'switchyard', isBot: true },
]);

interface StoredMessage {
  readonly messageId: string;
  readonly channelId: string;
  readonly timestamp: string;
  readonly threadId?: string;
  text: string;
  blocks: MessageBlock[] | undefined;
}

type Handlers = {
  readonly [Name in MessagingOperationName]: (input: MessagingOperationInput<Name>, fail: MemoryFailure) => MessagingOperationOutput<Name>;
};

/**
 * An in-memory `messaging` v1 provider with every operation: messages to its
 * channels (unknown channels are `not_found`), to its users (a direct-message
 * conversation `D-<userId>`), to any chat id, and to any phone number (the
 * number is the conversation). Threads, edits and deletes work as in Slack;
 * messages that do not exist are `not_found`.
 *
 * @example
 * ```ts
 * testMessagingProvider({ create: () => createMemoryMessagingProvider(), recipient: { kind: 'channel', id: 'C-general' } });
 * ```
 */
export function createMemoryMessagingProvider(options: MemoryMessagingProviderOptions = {}): ProviderV1 {
  const channels = options.channels ?? DEFAULT_MEMORY_CHANNELS;
  const users = options.users ?? DEFAULT_MEMORY_USERS;
  const messages = new Map<string, StoredMessage>();
  let sequence = 0;

  const address = (channelId: string, messageId: string) => `${channelId}\u0000${messageId}`;

  function conversationOf(recipient: Recipient, fail: MemoryFailure): string {
    switch (recipient.kind) {
      case 'channel':
        return channels.some((channel) => channel.id === recipient.id)
          ? recipient.id
          : fail('not_found', `Channel "${recipient.id}" does not exist`);
      case 'user':
        return users.some((user) => user.id === recipient.id)
          ? `D-${recipient.id}`
          : fail('not_found', `User "${recipient.id}" does not exist`);
      case 'chat':
        return recipient.id;
      case 'phone':
        return recipient.number;
    }
  }

  function post(channelId: string, text: string, blocks: MessageBlock[] | undefined, threadId?: string) {
    sequence += 1;
    const message: StoredMessage = {
      messageId: String(sequence),
      channelId,
      timestamp: new Date().toISOString(),
      text,
      blocks,
      ...(threadId === undefined ? {} : { threadId }),
    };
    messages.set(address(channelId, message.messageId), message);
    return message;
  }

  function find(channelId: string, messageId: string, fail: MemoryFailure): StoredMessage {
    return messages.get(address(channelId, messageId)) ?? fail('not_found', `Message "${messageId}" does not exist in "${channelId}"`);
  }

  function view(message: StoredMessage) {
    const { messageId, channelId, text, timestamp, threadId } = message;
    return { messageId, channelId, text, timestamp, ...(threadId === undefined ? {} : { threadId }) };
  }

  const handlers: Handlers = {
    sendMessage(input, fail) {
      return view(post(conversationOf(input.recipient, fail), input.text, input.blocks));
    },
    replyInThread(input, fail) {
      const parent = find(input.channelId, input.threadId, fail);
      const threadId = parent.threadId ?? parent.messageId;
      const reply = post(input.channelId, input.text, input.blocks, threadId);
      return { ...view(reply), threadId };
    },
    updateMessage(input, fail) {
      const message = find(input.channelId, input.messageId, fail);
      message.text = input.text;
      message.blocks = input.blocks;
      return view(message);
    },
    deleteMessage(input, fail) {
      find(input.channelId, input.messageId, fail);
      messages.delete(address(input.channelId, input.messageId));
      return { channelId: input.channelId, messageId: input.messageId };
    },
    listChannels(input, fail) {
      const page = paginate(channels, input, fail);
      return { channels: page.items.map((channel) => ({ ...channel })), nextCursor: page.nextCursor };
    },
    getUser(input, fail) {
      const user = users.find((candidate) => candidate.id === input.userId);
      return user === undefined ? fail('not_found', `User "${input.userId}" does not exist`) : { ...user };
    },
    listUsers(input, fail) {
      const page = paginate(users, input, fail);
      return { users: page.items.map((user) => ({ ...user })), nextCursor: page.nextCursor };
    },
  };

  return createMemoryProvider({
    id: options.id ?? 'memory-messaging',
    name: 'In-memory messaging',
    category: 'communication',
    contract: messagingV1,
    handlers,
  });
}
