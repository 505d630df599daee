import { createMemoryStore } from '@switchyard/platform';
import { createCallContext } from '@switchyard/testing';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramFake, type TelegramFake } from './__peers__/telegram-fake';
import { createTelegram, type TelegramCommandEvent, type TelegramProviderSettings } from './index';

let fake: TelegramFake;
beforeAll(async () => {
  fake = await startTelegramFake();
});
afterAll(async () => {
  await fake.close();
});

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** A fixture update without its update_id, for the fake to number. */
function update(name: string): Record<string, unknown> {
  const rest = fixture(`updates/${name}`);
  delete rest.update_id;
  return rest;
}

async function pollWith(settings: TelegramProviderSettings) {
  const telegram = createTelegram({ token: fake.token, baseURL: fake.url, allowPrivateNetwork: true, ...settings });
  return (await telegram.operations.getUpdates!.execute({ limit: 100 }, createCallContext())) as {
    updates: { update_id: number }[];
    nextOffset?: number;
    dispatched: number;
  };
}

describe('getUpdates long polling', () => {
  it('checkpoints the offset so a restarted poller does not see the same updates, and dispatches /commands', async () => {
    const store = createMemoryStore();
    const integration = await store.integrations.create({ providerId: 'telegram', name: 'deploy bot' });
    const checkpoints = { store, integrationId: integration.id };
    const started: TelegramCommandEvent[] = [];
    const first = fake.pushUpdate(update('command-start.json'));
    fake.pushUpdate(update('message.json'));

    const poll = await pollWith({ checkpoints, commands: { start: (event) => void started.push(event) } });
    expect(poll.updates.map((entry) => entry.update_id)).toEqual([first, first + 1]);
    expect(poll.dispatched).toBe(1);
    expect(started).toEqual([expect.objectContaining({ command: 'start', argument: '', chatId: '424242' })]);
    expect(await store.checkpoints.get(integration.id, 'telegram:123456789:updates')).toMatchObject({ cursor: String(first + 2) });

    // A new provider (a restarted process) resumes from the checkpoint: nothing is delivered twice.
    const third = fake.pushUpdate(update('edited-message.json'));
    const restarted = await pollWith({ checkpoints, commands: { start: (event) => void started.push(event) } });
    expect(restarted.updates.map((entry) => entry.update_id)).toEqual([third]);
    expect(started).toHaveLength(1);
  });

  it('stops at a failing handler, keeps the updates before it confirmed, and delivers the failed one again', async () => {
    const store = createMemoryStore();
    const integration = await store.integrations.create({ providerId: 'telegram', name: 'flaky bot' });
    const checkpoints = { store, integrationId: integration.id };
    const drained = await pollWith({ checkpoints });
    expect(drained.dispatched).toBe(0);
    let failures = 1;
    const handled: string[] = [];
    const commands = {
      deploy: (event: TelegramCommandEvent) => {
        if (failures-- > 0) throw new Error('deploy queue unavailable');
        handled.push(event.argument);
      },
    };
    fake.pushUpdate({ message: { message_id: 1, chat: { id: 424242, type: 'private' }, date: 1767225600, text: '/deploy 41' } });
    fake.pushUpdate({
      message: { message_id: 2, chat: { id: 424242, type: 'private' }, date: 1767225600, text: '/deploy@switchyard_test_bot 42' },
    });
    await expect(pollWith({ checkpoints, commands })).rejects.toThrow('deploy queue unavailable');
    const retried = await pollWith({ checkpoints, commands });
    expect(retried.dispatched).toBe(2);
    expect(handled).toEqual(['41', '42']);
  });
});

describe('documented Bot API responses', () => {
  it('reads a sendMessage result: ids as strings, Unix seconds as an ISO timestamp', async () => {
    fake.failNext('sendMessage', fixture('message.json') as never);
    const telegram = createTelegram({ token: fake.token, baseURL: fake.url, allowPrivateNetwork: true });
    const sent = await telegram.execute(
      {
        capability: 'messaging',
        operation: 'sendMessage',
        input: { recipient: { kind: 'chat', id: '424242' }, text: 'Deploy 42 finished' },
      },
      createCallContext(),
    );
    expect(sent).toEqual({ messageId: '1001', channelId: '424242', text: 'Deploy 42 finished', timestamp: '2026-01-01T00:00:00.000Z' });
  });

  it('reads getChat and getChatMember results as users', async () => {
    const context = createCallContext();
    fake.failNext('getChat', fixture('chat.json') as never);
    const viaChat = createTelegram({ token: fake.token, baseURL: fake.url, allowPrivateNetwork: true });
    await expect(viaChat.execute({ capability: 'messaging', operation: 'getUser', input: { userId: '424242' } }, context)).resolves.toEqual(
      { id: '424242', name: 'Ada Lovelace', handle: 'ada' },
    );
    fake.failNext('getChatMember', fixture('chat-member.json') as never);
    const viaMember = createTelegram({ token: fake.token, baseURL: fake.url, allowPrivateNetwork: true, userChatId: '-100200300' });
    await expect(
      viaMember.execute({ capability: 'messaging', operation: 'getUser', input: { userId: '424242' } }, context),
    ).resolves.toEqual({ id: '424242', name: 'Ada Lovelace', handle: 'ada', isBot: false });
  });
});
