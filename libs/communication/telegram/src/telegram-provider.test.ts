import { createCallContext, findFreePort, testMessagingProvider, testProvider, withoutOperations } from '@switchyard/testing';
import TelegramServer from 'telegram-test-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTelegram, type TelegramCommandEvent, type TelegramProviderSettings } from './index';

// telegram-test-api: a Bot API emulation with simulated users (getMe, getUpdates, sendMessage,
// editMessageText, deleteMessage, callbacks, set/deleteWebhook); every other method answers 500.
const TOKEN = '987654321:AAPeerTokenForSwitchyardContractTests';
let server: TelegramServer;
let baseURL = '';

beforeAll(async () => {
  const port = await findFreePort();
  server = new TelegramServer({ port, host: '127.0.0.1', storage: 'RAM' });
  await server.start();
  baseURL = server.config.apiURL;
});

afterAll(async () => {
  await server.stop();
});

const peerSettings = (extra: TelegramProviderSettings = {}): TelegramProviderSettings => ({ token: TOKEN, baseURL, allowPrivateNetwork: true, ...extra });

testProvider({ id: 'telegram', category: 'communication', create: () => createTelegram({ token: TOKEN }) });

// The peer has no getChat, and its editMessageText succeeds for messages that do not exist, so
// getUser and updateMessage run against the wire-protocol fake (telegram-fake.test.ts); here they
// are withheld, and updating an existing message is checked below.
testMessagingProvider({
  create: () => withoutOperations(createTelegram(peerSettings()), ['getUser', 'updateMessage']),
  recipient: { kind: 'chat', id: '1' },
  unsupported: ['listChannels', 'listUsers', 'getUser', 'updateMessage'],
  additionalTests() {
    it('edits a sent message in place on the peer', async () => {
      const telegram = createTelegram(peerSettings());
      const context = createCallContext();
      const sent = (await telegram.execute({ capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'chat', id: '1' }, text: 'before' } }, context)) as { messageId: string; channelId: string };
      const updated = await telegram.execute({ capability: 'messaging', operation: 'updateMessage', input: { channelId: sent.channelId, messageId: sent.messageId, text: 'after <edit> & more' } }, context);
      expect(updated).toMatchObject({ channelId: sent.channelId, messageId: sent.messageId, text: 'after <edit> & more' });
      const stored = server.storage.botMessages.find((update) => String(update.messageId) === sent.messageId);
      expect((stored?.message as unknown as { text?: string } | undefined)?.text).toBe('after &lt;edit&gt; &amp; more');
    });
  },
});

describe('a simulated user on telegram-test-api', () => {
  it('sends /start; getUpdates dispatches it to the start handler, and the bot reply reaches the user', async () => {
    const seen: TelegramCommandEvent[] = [];
    const telegram = createTelegram(peerSettings({ commands: { start: (event) => void seen.push(event) } }));
    const client = server.getClient(TOKEN, { chatId: 77, userId: 77, firstName: 'Ada' });
    await client.sendCommand(client.makeCommand('/start now'));
    await client.sendMessage(client.makeMessage('just chatting'));
    const result = (await telegram.operations.getUpdates!.execute({}, createCallContext())) as { updates: unknown[]; dispatched: number };
    expect(result.dispatched).toBe(1);
    expect(result.updates).toHaveLength(2);
    expect(seen).toEqual([expect.objectContaining({ command: 'start', argument: 'now', chatId: '77' })]);

    await telegram.execute(
      { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'chat', id: '77' }, text: 'Welcome!', blocks: [{ type: 'section', text: 'Welcome, Ada' }, { type: 'actions', buttons: [{ text: 'Help', value: 'help' }] }] } },
      createCallContext(),
    );
    const { result: botMessages } = await client.getUpdates();
    const reply = botMessages.map((entry) => entry.message as unknown as { text: string; reply_markup?: unknown }).find((message) => message.text === 'Welcome, Ada');
    expect(reply?.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Help', callback_data: 'help' }]] });
  });

  it('gets the button value back as callback_data when the user presses it', async () => {
    const telegram = createTelegram(peerSettings());
    const client = server.getClient(TOKEN, { chatId: 78, userId: 78 });
    await telegram.execute(
      { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'chat', id: '78' }, text: 'Deploy 42 finished', blocks: [{ type: 'actions', buttons: [{ text: 'Roll back', value: 'rollback-42' }] }] } },
      createCallContext(),
    );
    const { result } = await client.getUpdates();
    const pressed = result.map((entry) => entry.message as unknown as { reply_markup?: { inline_keyboard: { callback_data?: string }[][] } }).find((message) => message.reply_markup !== undefined);
    await client.sendCallback(client.makeCallbackQuery(pressed?.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? 'missing'));
    const polled = (await telegram.operations.getUpdates!.execute({}, createCallContext())) as { updates: { callback_query?: { data?: string } }[] };
    expect(polled.updates.map((update) => update.callback_query?.data)).toEqual(['rollback-42']);
  });

  it('sets and deletes a webhook with a secret token', async () => {
    const telegram = createTelegram(peerSettings({ webhookSecret: 'peer-webhook-secret_1' }));
    await expect(telegram.operations.setWebhook!.execute({ url: 'https://bot.example.com/telegram' }, createCallContext())).resolves.toEqual({ url: 'https://bot.example.com/telegram', hasSecretToken: true });
    await expect(telegram.operations.deleteWebhook!.execute({}, createCallContext())).resolves.toEqual({ deleted: true });
  });

  it('reports a method the peer lacks as a provider error without the token', async () => {
    const telegram = createTelegram(peerSettings());
    const failure = await telegram.execute({ capability: 'messaging', operation: 'getUser', input: { userId: '77' } }, createCallContext()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'provider', statusCode: 500 });
    expect(String((failure as Error).message)).not.toContain(TOKEN);
  });

  it('answers getMe for healthCheck', async () => {
    await expect(createTelegram(peerSettings()).healthCheck({ signal: new AbortController().signal })).resolves.toBeUndefined();
  });
});

describe('createTelegram settings', () => {
  afterEach(() => {
    delete process.env.TELEGRAM_BASE_URL;
    delete process.env.TELEGRAM_BOT_TOKEN;
    delete process.env.TELEGRAM_WEBHOOK_SECRET;
  });

  it('sends requests to api.telegram.org by default', () => {
    expect(createTelegram().baseURL).toBe('https://api.telegram.org');
  });

  it('takes baseURL from settings, then TELEGRAM_BASE_URL, without trailing slashes', () => {
    process.env.TELEGRAM_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createTelegram().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createTelegram({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe('http://127.0.0.1:9/from-settings');
  });

  it('is configured by token or TELEGRAM_BOT_TOKEN, and fails with auth naming the variable without one', async () => {
    expect(createTelegram().isConfigured()).toBe(false);
    process.env.TELEGRAM_BOT_TOKEN = TOKEN;
    expect(createTelegram().isConfigured()).toBe(true);
    delete process.env.TELEGRAM_BOT_TOKEN;
    const call = createTelegram().execute({ capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'chat', id: '1' }, text: 'hi' } }, createCallContext());
    await expect(call).rejects.toMatchObject({ kind: 'auth' });
    await expect(call).rejects.toThrow(/TELEGRAM_BOT_TOKEN/);
  });

  it('takes the webhook secret from TELEGRAM_WEBHOOK_SECRET', () => {
    process.env.TELEGRAM_WEBHOOK_SECRET = 'from-environment-secret';
    expect(createTelegram().webhookSecret).toBe('from-environment-secret');
  });
});
