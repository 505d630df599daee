import type { MessagingOperationName, ProviderV1, Recipient } from '@switchyard/core';
import { messagingV1 } from '@switchyard/core/messaging';
import { describe, expect, it } from 'vitest';
import { createCallContext } from './call-context';
import { createMemoryMessagingProvider } from '@switchyard/core/testing';
import { messagingProviderCases, testMessagingProvider } from './messaging-suite';
import { overrideOperation, withoutOperations } from './provider-overrides';
import { runCapabilityCases } from './test-capability';
import { testProvider } from './test-provider';

const channel: Recipient = { kind: 'channel', id: 'C-general' };
const smsOnly: MessagingOperationName[] = ['replyInThread', 'updateMessage', 'listChannels', 'getUser', 'listUsers'];

testProvider({ id: 'memory-messaging', category: 'communication', create: () => createMemoryMessagingProvider() });
testMessagingProvider({ create: () => createMemoryMessagingProvider(), recipient: channel });
testMessagingProvider({ create: () => createMemoryMessagingProvider(), recipient: { kind: 'user', id: 'U-grace' }, userId: 'U-ada' });
testMessagingProvider({ create: () => createMemoryMessagingProvider(), recipient: { kind: 'chat', id: '-1001234567890' } });
// An SMS-like provider: only send and delete.
testMessagingProvider({
  create: () => withoutOperations(createMemoryMessagingProvider(), smsOnly),
  recipient: { kind: 'phone', number: '+14155550123' },
  unsupported: smsOnly,
});

async function failedTitles(create: () => ProviderV1, recipient: Recipient = channel): Promise<string[]> {
  const results = await runCapabilityCases({ contract: messagingV1, create, cases: messagingProviderCases({ create, recipient }) });
  return results.filter((result) => result.status === 'failed').map((result) => result.title);
}

function broken(operation: MessagingOperationName, override: Parameters<typeof overrideOperation>[2]): () => ProviderV1 {
  return () => overrideOperation(createMemoryMessagingProvider(), operation, override);
}

describe('the messaging suite catches broken providers', () => {
  it('passes the memory provider on every case', async () => {
    expect(await failedTitles(() => createMemoryMessagingProvider())).toEqual([]);
  });

  it('fails a provider whose updateMessage keeps the old text', async () => {
    const create = broken('updateMessage', async (request, _context, original) => {
      const input = request.input as { text: string };
      return { ...((await original(request)) as object), text: `${input.text} (stale)` };
    });
    expect(await failedTitles(create)).toEqual(['updates a message in place']);
  });

  it('fails a provider whose deleteMessage does nothing', async () => {
    const create = broken('deleteMessage', (request) => Promise.resolve(request.input));
    expect(await failedTitles(create)).toEqual(['deletes a message, after which deleting or updating it reports not_found']);
  });

  it('fails a provider that returns a Slack ts as the timestamp, naming the operation', async () => {
    const create = broken('sendMessage', async (request, _context, original) => ({
      ...((await original(request)) as object),
      timestamp: '1700000000.000100',
    }));
    const results = await runCapabilityCases({
      contract: messagingV1,
      create,
      cases: messagingProviderCases({ create, recipient: channel }),
    });
    const sendCase = results.find((result) => result.title === 'sends a message and says where and when it landed');
    expect(sendCase?.status).toBe('failed');
    expect(String(sendCase?.error)).toMatch(/messaging\.sendMessage .*breaks the contract: timestamp:/);
  });

  it('fails a provider whose replies lose their thread', async () => {
    const create = broken('replyInThread', async (request, _context, original) => {
      const reply = (await original(request)) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(reply).filter(([field]) => field !== 'threadId'));
    });
    expect(await failedTitles(create)).toEqual(['replies in the thread of a message']);
  });

  it('fails a provider that finds users that do not exist, or repeats channels', async () => {
    const inventive = broken('getUser', (request) =>
      Promise.resolve({ id: (request.input as { userId: string }).userId, name: 'Someone' }),
    );
    expect(await failedTitles(inventive)).toEqual(['reports not_found for a user that does not exist']);
    const repeating = broken('listChannels', (request, _context, original) =>
      original({ ...request, input: { ...(request.input as object), cursor: undefined } }),
    );
    expect(await failedTitles(repeating)).toEqual(['lists channels page by page without repeats']);
  });

  it('fails a provider that posts to a channel other than the recipient', async () => {
    const create = broken('sendMessage', (request, _context, original) =>
      original({ ...request, input: { ...(request.input as object), recipient: { kind: 'channel', id: 'C-random' } } }),
    );
    expect(await failedTitles(create)).toEqual(['sends a message and says where and when it landed']);
  });
});

describe('createMemoryMessagingProvider', () => {
  it('reports unknown channels and users as not_found and unknown capabilities as unsupported', async () => {
    const provider = createMemoryMessagingProvider({ channels: [], users: [] });
    const cases = [
      [
        { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'channel', id: 'C-x' }, text: 'hi' } },
        'not_found',
      ],
      [{ capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'user', id: 'U-x' }, text: 'hi' } }, 'not_found'],
      [{ capability: 'storage', operation: 'sendMessage', input: {} }, 'unsupported'],
    ] as const;
    for (const [request, kind] of cases) {
      await expect(provider.execute(request, createCallContext()), `${request.capability}.${request.operation}`).rejects.toMatchObject({
        kind,
      });
    }
  });
});
