import type { MessageBlock, MessagingOperationName, ProviderV1, Recipient } from '@switchyard/core';
import { messagingV1 } from '@switchyard/core/messaging';
import { expect } from 'vitest';
import type { CapabilityClient } from './capability-client';
import { collectPages, expectRecent, uniqueId } from './suite-helpers';
import { testCapability, type AdditionalTestsContext, type CapabilityCase } from './test-capability';

type MessagingClient = CapabilityClient<typeof messagingV1>;
type MessagingCase = CapabilityCase<typeof messagingV1>;

/** Options for {@link testMessagingProvider} and {@link messagingProviderCases}. */
export interface TestMessagingProviderOptions {
  /** Builds a fresh provider; called once per test. */
  readonly create: () => ProviderV1;
  /** Where the suite sends its messages, e.g. `{ kind: 'channel', id: 'C0123ABCD' }`. */
  readonly recipient: Recipient;
  /** A user `getUser` can find. Default: the first user `listUsers` returns. */
  readonly userId?: string;
  /** Operations the provider does not support; their tests are skipped. Default: none. */
  readonly unsupported?: readonly MessagingOperationName[];
  /** Extra tests to run inside the suite's `describe` block. */
  readonly additionalTests?: (context: AdditionalTestsContext<typeof messagingV1>) => void;
}

const BLOCKS: readonly MessageBlock[] = [
  { type: 'section', text: 'Deploy *42* finished' },
  { type: 'divider' },
  { type: 'context', elements: ['main', 'build 42'] },
  {
    type: 'actions',
    buttons: [
      { text: 'Open', value: 'open-42', url: 'https://ci.example.com/42' },
      { text: 'Roll back', value: 'rollback-42' },
    ],
  },
];

/** Message text the suite can recognise, unique per call. */
function uniqueText(what: string): string {
  return `Switchyard contract test ${uniqueId()}: ${what}`;
}

/**
 * The test cases of the messaging contract, for {@link testMessagingProvider}
 * or `runCapabilityCases`. Every message carries a unique text.
 */
export function messagingProviderCases(options: TestMessagingProviderOptions): MessagingCase[] {
  const { recipient } = options;
  const supports = (operation: MessagingOperationName) => !(options.unsupported ?? []).includes(operation);

  async function send(messaging: MessagingClient, what: string) {
    return messaging.call('sendMessage', { recipient, text: uniqueText(what) });
  }

  async function findUserId(messaging: MessagingClient): Promise<string> {
    if (options.userId !== undefined) return options.userId;
    const { users } = await messaging.call('listUsers', { limit: 1 });
    const first = users[0];
    if (first === undefined) throw new Error('testMessagingProvider needs `userId`: listUsers returned no users');
    return first.id;
  }

  return [
    {
      title: 'sends a message and says where and when it landed',
      operations: ['sendMessage'],
      async run(messaging) {
        const text = uniqueText('send');
        const sent = await messaging.call('sendMessage', { recipient, text });
        expect(sent.text, 'sendMessage returns the text it sent').toBe(text);
        expect(sent.threadId, 'a message outside a thread has no threadId').toBeUndefined();
        expectRecent(sent.timestamp, 'sendMessage timestamp');
        if (recipient.kind === 'channel') expect(sent.channelId, 'a channel message lands in that channel').toBe(recipient.id);
        if (recipient.kind === 'phone') expect(sent.channelId, 'an SMS conversation is the number').toBe(recipient.number);
        const again = await send(messaging, 'second send');
        expect(again.messageId, 'each message gets its own id').not.toBe(sent.messageId);
      },
    },
    {
      title: 'sends rich blocks along with the plain-text fallback',
      operations: ['sendMessage'],
      async run(messaging) {
        const text = uniqueText('blocks');
        const sent = await messaging.call('sendMessage', { recipient, text, blocks: [...BLOCKS] });
        expect(sent.text, 'sendMessage returns the fallback text').toBe(text);
      },
    },
    {
      title: 'replies in the thread of a message',
      operations: ['sendMessage', 'replyInThread'],
      async run(messaging) {
        const parent = await send(messaging, 'thread parent');
        const text = uniqueText('reply');
        const reply = await messaging.call('replyInThread', { channelId: parent.channelId, threadId: parent.messageId, text });
        expect(reply, 'replyInThread output').toMatchObject({ channelId: parent.channelId, threadId: parent.messageId, text });
        expect(reply.messageId, 'a reply is a new message').not.toBe(parent.messageId);
        const second = await messaging.call('replyInThread', {
          channelId: parent.channelId,
          threadId: reply.threadId,
          text: uniqueText('reply 2'),
        });
        expect(second.threadId, 'replying to the thread keeps it').toBe(parent.messageId);
      },
    },
    {
      title: 'updates a message in place',
      operations: ['sendMessage', 'updateMessage'],
      async run(messaging) {
        const sent = await send(messaging, 'before update');
        const text = uniqueText('after update');
        const updated = await messaging.call('updateMessage', { channelId: sent.channelId, messageId: sent.messageId, text });
        expect(updated, 'updateMessage output').toMatchObject({ channelId: sent.channelId, messageId: sent.messageId, text });
      },
    },
    {
      title: 'deletes a message, after which deleting or updating it reports not_found',
      operations: ['sendMessage', 'deleteMessage'],
      async run(messaging) {
        const { channelId, messageId } = await send(messaging, 'to delete');
        expect(await messaging.call('deleteMessage', { channelId, messageId })).toEqual({ channelId, messageId });
        await messaging.expectError('deleteMessage', { channelId, messageId }, 'not_found');
        if (supports('updateMessage')) {
          await messaging.expectError('updateMessage', { channelId, messageId, text: uniqueText('too late') }, 'not_found');
        }
      },
    },
    {
      title: 'lists channels page by page without repeats',
      operations: ['listChannels'],
      async run(messaging) {
        const paged = await collectPages({
          label: 'listChannels',
          limit: 2,
          maximumPages: 50,
          fetchPage: async (cursor) => {
            const page = await messaging.call('listChannels', { limit: 2, ...(cursor === undefined ? {} : { cursor }) });
            return { items: page.channels, nextCursor: page.nextCursor };
          },
        });
        const ids = paged.items.map((channel) => channel.id);
        expect(ids.length, 'listChannels finds at least one channel').toBeGreaterThan(0);
        expect(new Set(ids).size, 'no channel is listed twice').toBe(ids.length);
        if (paged.exhausted && recipient.kind === 'channel') {
          expect(ids, 'the channel the suite posts to is listed').toContain(recipient.id);
        }
      },
    },
    {
      title: 'lists users page by page without repeats',
      operations: ['listUsers'],
      async run(messaging) {
        const paged = await collectPages({
          label: 'listUsers',
          limit: 2,
          maximumPages: 50,
          fetchPage: async (cursor) => {
            const page = await messaging.call('listUsers', { limit: 2, ...(cursor === undefined ? {} : { cursor }) });
            return { items: page.users, nextCursor: page.nextCursor };
          },
        });
        const ids = paged.items.map((user) => user.id);
        expect(ids.length, 'listUsers finds at least one user').toBeGreaterThan(0);
        expect(new Set(ids).size, 'no user is listed twice').toBe(ids.length);
      },
    },
    {
      title: 'gets a user by id',
      operations: options.userId === undefined ? ['getUser', 'listUsers'] : ['getUser'],
      async run(messaging) {
        const userId = await findUserId(messaging);
        const user = await messaging.call('getUser', { userId });
        expect(user.id, 'getUser returns the user asked for').toBe(userId);
      },
    },
    {
      title: 'reports not_found for a user that does not exist',
      operations: ['getUser'],
      async run(messaging) {
        await messaging.expectError('getUser', { userId: `switchyard-missing-${uniqueId()}` }, 'not_found');
      },
    },
  ];
}

/**
 * The contract suite every `messaging` provider runs: sending (with and
 * without blocks), threads, edits, deletes, and listing channels and users,
 * each against a fresh provider, every output checked against `messagingV1`.
 * SMS-like providers list what they lack in `unsupported`.
 *
 * @example
 * ```ts
 * testMessagingProvider({ create: () => createTwilio(settings), recipient: { kind: 'phone', number: '+15005550006' }, unsupported: ['replyInThread', 'updateMessage', 'listChannels', 'getUser', 'listUsers'] });
 * ```
 */
export function testMessagingProvider(options: TestMessagingProviderOptions): void {
  testCapability({
    contract: messagingV1,
    create: options.create,
    unsupported: options.unsupported,
    additionalTests: options.additionalTests,
    cases: messagingProviderCases(options),
  });
}
