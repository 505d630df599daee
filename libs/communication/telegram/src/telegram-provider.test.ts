import { redact, redactText } from '@switchyard/core';
import { createCallContext, findFreePort, expectSecretsKeptPrivately, testMessagingProvider, testProvider } from '@switchyard/testing';
import { readFileSync } from 'node:fs';
import TelegramServer from 'telegram-test-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramTestApiShim, type TelegramTestApiShim } from './__peers__/telegram-test-api-shim';
import { createTelegram, type TelegramCommandEvent, type TelegramProviderSettings } from './index';

// telegram-test-api: a Bot API emulation with simulated users (getMe, getUpdates, sendMessage,
// editMessageText, deleteMessage, callbacks, set/deleteWebhook); every other method answers 500.
// The provider talks to it through a pass-through (__peers__/telegram-test-api-shim.ts) that adds
// getChat/getChatMember for users the emulator has seen and a 400 for edits of missing messages.
const TOKEN = '987654321:AAPeerTokenForSwitchyardContractTests';
/** The simulated user the contract suite writes to and looks up: they message the bot first. */
const ADA = { userId: 424242, chatId: 424242, firstName: 'Ada', userName: 'ada' };
const errors = JSON.parse(readFileSync(new URL('__fixtures__/errors.json', import.meta.url), 'utf8')) as Record<string, unknown>;
let server: TelegramServer;
let shim: TelegramTestApiShim;

beforeAll(async () => {
  const port = await findFreePort();
  server = new TelegramServer({ port, host: '127.0.0.1', storage: 'RAM' });
  await server.start();
  shim = await startTelegramTestApiShim(server);
  const ada = server.getClient(TOKEN, ADA);
  await ada.sendMessage(ada.makeMessage('hello bot', { from: { last_name: 'Lovelace' } }));
  // The bot polls once, as it would in production; the emulator keeps the read update, so Ada stays known.
  await createTelegram(peerSettings()).operations.getUpdates!.execute({}, createCallContext());
});

afterAll(async () => {
  await shim.close();
  await server.stop();
});

const peerSettings = (extra: TelegramProviderSettings = {}): TelegramProviderSettings => ({
  token: TOKEN,
  baseURL: shim.url,
  allowPrivateNetwork: true,
  ...extra,
});

testProvider({ id: 'telegram', category: 'communication', create: () => createTelegram({ token: TOKEN }) });

// The whole contract runs against the emulator (through the shim): the bot writes to Ada and looks
// her up. The Bot API cannot list chats or users.
testMessagingProvider({
  create: () => createTelegram(peerSettings()),
  recipient: { kind: 'chat', id: String(ADA.chatId) },
  userId: String(ADA.userId),
  unsupported: ['listChannels', 'listUsers'],
  additionalTests() {
    it('edits a sent message in place on the peer', async () => {
      const telegram = createTelegram(peerSettings());
      const context = createCallContext();
      const sent = (await telegram.execute(
        { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'chat', id: '1' }, text: 'before' } },
        context,
      )) as { messageId: string; channelId: string };
      const updated = await telegram.execute(
        {
          capability: 'messaging',
          operation: 'updateMessage',
          input: { channelId: sent.channelId, messageId: sent.messageId, text: 'after <edit> & more' },
        },
        context,
      );
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
      {
        capability: 'messaging',
        operation: 'sendMessage',
        input: {
          recipient: { kind: 'chat', id: '77' },
          text: 'Welcome!',
          blocks: [
            { type: 'section', text: 'Welcome, Ada' },
            { type: 'actions', buttons: [{ text: 'Help', value: 'help' }] },
          ],
        },
      },
      createCallContext(),
    );
    const { result: botMessages } = await client.getUpdates();
    const reply = botMessages
      .map((entry) => entry.message as unknown as { text: string; reply_markup?: unknown })
      .find((message) => message.text === 'Welcome, Ada');
    expect(reply?.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Help', callback_data: 'help' }]] });
  });

  it('gets the button value back as callback_data when the user presses it', async () => {
    const telegram = createTelegram(peerSettings());
    const client = server.getClient(TOKEN, { chatId: 78, userId: 78 });
    await telegram.execute(
      {
        capability: 'messaging',
        operation: 'sendMessage',
        input: {
          recipient: { kind: 'chat', id: '78' },
          text: 'Deploy 42 finished',
          blocks: [{ type: 'actions', buttons: [{ text: 'Roll back', value: 'rollback-42' }] }],
        },
      },
      createCallContext(),
    );
    const { result } = await client.getUpdates();
    const pressed = result
      .map((entry) => entry.message as unknown as { reply_markup?: { inline_keyboard: { callback_data?: string }[][] } })
      .find((message) => message.reply_markup !== undefined);
    await client.sendCallback(client.makeCallbackQuery(pressed?.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? 'missing'));
    const polled = (await telegram.operations.getUpdates!.execute({}, createCallContext())) as {
      updates: { callback_query?: { data?: string } }[];
    };
    expect(polled.updates.map((update) => update.callback_query?.data)).toEqual(['rollback-42']);
  });

  it('sets and deletes a webhook with a secret token', async () => {
    const telegram = createTelegram(peerSettings({ webhookSecret: 'peer-webhook-secret_1' }));
    await expect(
      telegram.operations.setWebhook!.execute({ url: 'https://bot.example.com/telegram' }, createCallContext()),
    ).resolves.toEqual({ url: 'https://bot.example.com/telegram', hasSecretToken: true });
    await expect(telegram.operations.deleteWebhook!.execute({}, createCallContext())).resolves.toEqual({ deleted: true });
  });

  it('reports a method the peer lacks as a provider error without the token', async () => {
    const telegram = createTelegram(peerSettings());
    const failure = await telegram.operations
      .setCommands!.execute({ commands: [{ command: 'start', description: 'Start' }] }, createCallContext())
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'provider', statusCode: 500 });
    expect(String((failure as Error).message)).not.toContain(TOKEN);
  });

  it('looks a user up with getChatMember in a group they wrote in', async () => {
    const grace = server.getClient(TOKEN, {
      userId: 79,
      chatId: -1001,
      type: 'group',
      chatTitle: 'Ops',
      firstName: 'Grace',
      userName: 'grace',
    });
    await grace.sendMessage(grace.makeMessage('hi all'));
    const telegram = createTelegram(peerSettings({ userChatId: '-1001' }));
    await expect(
      telegram.execute({ capability: 'messaging', operation: 'getUser', input: { userId: '79' } }, createCallContext()),
    ).resolves.toEqual({ id: '79', name: 'Grace', handle: 'grace', isBot: false });
    await expect(
      telegram.execute({ capability: 'messaging', operation: 'getUser', input: { userId: String(ADA.userId) } }, createCallContext()),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('answers getMe for healthCheck', async () => {
    await expect(createTelegram(peerSettings()).healthCheck({ signal: new AbortController().signal })).resolves.toBeUndefined();
  });
});

describe('the telegram-test-api shim', () => {
  const call = async (method: string, init: RequestInit = {}, query = '') => {
    const response = await fetch(`${shim.url}/bot${TOKEN}/${method}${query}`, init);
    return { status: response.status, body: await response.json() };
  };
  const json = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const form = (body: Record<string, string>): RequestInit => ({ method: 'POST', body: new URLSearchParams(body) });

  it('answers getChat for a user who wrote to the bot, from a JSON body, a form body or the query string', async () => {
    const chat = {
      id: ADA.userId,
      type: 'private',
      first_name: 'Ada',
      last_name: 'Lovelace',
      username: 'ada',
      accent_color_id: 0,
      max_reaction_count: 11,
    };
    await expect(call('getChat', json({ chat_id: ADA.userId }))).resolves.toEqual({ status: 200, body: { ok: true, result: chat } });
    await expect(call('getChat', form({ chat_id: String(ADA.userId) }))).resolves.toEqual({
      status: 200,
      body: { ok: true, result: chat },
    });
    await expect(call('getchat', {}, `?chat_id=${ADA.userId}`)).resolves.toEqual({ status: 200, body: { ok: true, result: chat } });
  });

  it('answers 400 "chat not found" for a user the bot has not seen, and for another bot', async () => {
    await expect(call('getChat', json({ chat_id: 5150 }))).resolves.toEqual({ status: 400, body: errors.chatNotFound });
    const other = await fetch(`${shim.url}/bot111:OtherBotToken/getChat`, json({ chat_id: ADA.userId }));
    expect({ status: other.status, body: await other.json() }).toEqual({ status: 400, body: errors.chatNotFound });
  });

  it('answers 400 "message to edit not found" for an edit of a message that does not exist', async () => {
    await expect(call('editMessageText', json({ chat_id: ADA.chatId, message_id: 999_999, text: 'x' }))).resolves.toEqual({
      status: 400,
      body: errors.messageToEditNotFound,
    });
    await expect(call('editMessageText', form({ chat_id: '5150', message_id: '1', text: 'x' }))).resolves.toEqual({
      status: 400,
      body: errors.messageToEditNotFound,
    });
  });

  it('forwards everything else to the emulator unchanged', async () => {
    const sent = await call('sendMessage', json({ chat_id: 80, text: 'through the shim' }));
    expect(sent).toMatchObject({ status: 200, body: { ok: true, result: { chat: { id: 80 }, text: 'through the shim' } } });
    const messageId = (sent.body as { result: { message_id: number } }).result.message_id;
    await expect(call('editMessageText', form({ chat_id: '80', message_id: String(messageId), text: 'edited' }))).resolves.toEqual({
      status: 200,
      body: { ok: true, result: null },
    });
    expect(server.storage.botMessages.find((update) => update.messageId === messageId)?.message).toMatchObject({ text: 'edited' });
    await expect(call('getMe', {}, '')).resolves.toMatchObject({ status: 200, body: { ok: true } });
    await expect(call('setMyCommands', json({ commands: [] }))).resolves.toMatchObject({
      status: 500,
      body: { message: expect.stringContaining("'setMyCommands' is not supported") as unknown },
    });
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
    const call = createTelegram().execute(
      { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'chat', id: '1' }, text: 'hi' } },
      createCallContext(),
    );
    await expect(call).rejects.toMatchObject({ kind: 'auth' });
    await expect(call).rejects.toThrow(/TELEGRAM_BOT_TOKEN/);
  });

  it('keeps the webhook secret from TELEGRAM_WEBHOOK_SECRET in its secrets', () => {
    process.env.TELEGRAM_WEBHOOK_SECRET = 'from-environment-secret';
    expect(redactText('sent from-environment-secret', createTelegram().secrets)).toBe('sent [REDACTED]');
  });

  it('holds its secrets in its secret set, never in a property', () => {
    const planted = { token: '555666777:AAPlantedTokenNeverAProperty', webhookSecret: 'planted-webhook-secret_3' };
    const telegram = createTelegram(planted);
    expectSecretsKeptPrivately(telegram, Object.values(planted));
    expect('webhookSecret' in telegram).toBe(false);
  });

  it('hides bot tokens in Bot API paths and the X-Telegram-Bot-Api-Secret-Token header', () => {
    const telegram = createTelegram();
    const url = 'POST https://api.telegram.org/bot110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage';
    expect(redactText(url, telegram.secrets)).toBe('POST https://api.telegram.org/[REDACTED]/sendMessage');
    expect(redact({ 'X-Telegram-Bot-Api-Secret-Token': 'a-secret' }, telegram.secrets)).toEqual({
      'X-Telegram-Bot-Api-Secret-Token': '[REDACTED]',
    });
  });
});
