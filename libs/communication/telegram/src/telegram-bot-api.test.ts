import { createHub, IntegrationError, redactText } from '@switchyard/core';
import { createCallContext, testMessagingProvider } from '@switchyard/testing';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramFake, type TelegramFake } from './__peers__/telegram-fake';
import { createTelegram, type TelegramProviderSettings } from './index';

// The wire-protocol fake covers what telegram-test-api (with its shim, telegram-provider.test.ts)
// cannot: every error envelope, parse-mode checks, getUpdates offsets and setMyCommands.
let fake: TelegramFake;
beforeAll(async () => {
  fake = await startTelegramFake();
});
afterAll(async () => {
  await fake.close();
});

const settings = (extra: TelegramProviderSettings = {}): TelegramProviderSettings => ({
  token: fake.token,
  baseURL: fake.url,
  allowPrivateNetwork: true,
  ...extra,
});
const ADA = { kind: 'chat', id: '424242' } as const;
const errors = JSON.parse(readFileSync(new URL('__fixtures__/errors.json', import.meta.url), 'utf8')) as Record<
  string,
  { ok: false; error_code: number; description: string }
>;

testMessagingProvider({
  create: () => createTelegram(settings()),
  recipient: ADA,
  userId: '424242',
  unsupported: ['listChannels', 'listUsers'],
});

function send(extra: TelegramProviderSettings, input: Record<string, unknown>) {
  return createTelegram(settings(extra)).execute(
    { capability: 'messaging', operation: 'sendMessage', input: { recipient: ADA, ...input } },
    createCallContext(),
  );
}

const lastMessage = () => fake.messages.at(-1);

describe('message formatting', () => {
  const tricky = 'Deploy *42* <ok> & done [v1.2] (100%) _x_ ~y~ `z` #1 + - = | {} . ! \\';

  it.each(['HTML', 'MarkdownV2', 'none'] as const)('escapes text for %s so Telegram shows it literally', async (parseMode) => {
    await send({ parseMode }, { text: tricky });
    expect(lastMessage()?.visible).toBe(tricky);
    expect(lastMessage()?.parse_mode).toBe(parseMode === 'none' ? undefined : parseMode);
  });

  it('renders blocks as paragraphs and small print, and actions as an inline keyboard', async () => {
    await send(
      {},
      {
        text: 'fallback',
        blocks: [
          { type: 'section', text: 'Deploy 42 <finished>' },
          { type: 'divider' },
          { type: 'context', elements: ['main', 'build 42'] },
          {
            type: 'actions',
            buttons: [
              { text: 'Open', value: 'open-42', url: 'https://ci.example.com/42' },
              { text: 'Roll back', value: 'rollback-42' },
            ],
          },
        ],
      },
    );
    expect(lastMessage()?.text).toBe('Deploy 42 &lt;finished&gt;\n\n——————\n\n<i>main · build 42</i>');
    expect(lastMessage()?.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Open', url: 'https://ci.example.com/42' },
          { text: 'Roll back', callback_data: 'rollback-42' },
        ],
      ],
    });
  });

  it.each([
    ['HTML', 'Build 1.2 <ok>\n\n——————\n\n<i>main · v1.2</i>', 'Build 1.2 <ok>\n\n——————\n\nmain · v1.2'],
    ['MarkdownV2', 'Build 1\\.2 <ok\\>\n\n——————\n\n_main · v1\\.2_', 'Build 1.2 <ok>\n\n——————\n\nmain · v1.2'],
  ] as const)('renders blocks in %s markup Telegram accepts', async (parseMode, sent, visible) => {
    await send(
      { parseMode },
      {
        text: 'fallback',
        blocks: [{ type: 'section', text: 'Build 1.2 <ok>' }, { type: 'divider' }, { type: 'context', elements: ['main', 'v1.2'] }],
      },
    );
    expect(lastMessage()?.text).toBe(parseMode === 'HTML' ? sent.replace('<ok>', '&lt;ok&gt;') : sent);
    expect(lastMessage()?.visible).toBe(visible);
  });

  it('refuses a message id that is not an integer before sending', async () => {
    const requests = fake.requests.length;
    const call = createTelegram(settings()).execute(
      { capability: 'messaging', operation: 'deleteMessage', input: { channelId: '424242', messageId: 'C0123' } },
      createCallContext(),
    );
    await expect(call).rejects.toMatchObject({ kind: 'validation' });
    expect(fake.requests.length).toBe(requests);
  });

  it('refuses a button value over 64 bytes of UTF-8 before sending', async () => {
    const requests = fake.requests.length;
    const call = send({}, { text: 'x', blocks: [{ type: 'actions', buttons: [{ text: 'Go', value: 'ü'.repeat(40) }] }] });
    await expect(call).rejects.toMatchObject({ kind: 'validation' });
    expect(fake.requests.length).toBe(requests);
  });

  it('replies with reply_parameters and treats an unchanged edit as done', async () => {
    const telegram = createTelegram(settings());
    const context = createCallContext();
    const parent = (await telegram.execute(
      { capability: 'messaging', operation: 'sendMessage', input: { recipient: ADA, text: 'parent' } },
      context,
    )) as { channelId: string; messageId: string };
    await telegram.execute(
      {
        capability: 'messaging',
        operation: 'replyInThread',
        input: { channelId: parent.channelId, threadId: parent.messageId, text: 'child' },
      },
      context,
    );
    expect(lastMessage()?.reply_to).toBe(Number(parent.messageId));
    const address = { channelId: parent.channelId, messageId: parent.messageId };
    const again = telegram.execute({ capability: 'messaging', operation: 'updateMessage', input: { ...address, text: 'parent' } }, context);
    await expect(again).resolves.toMatchObject({ ...address, text: 'parent' });
    expect(fake.requests.at(-1)?.method).toBe('editMessageText');
  });
});

describe('recipients and users', () => {
  it('cannot send to a phone number', async () => {
    await expect(send({}, { recipient: { kind: 'phone', number: '+14155550123' }, text: 'sms?' })).rejects.toMatchObject({
      kind: 'unsupported',
    });
  });

  it('gets a user with getChat, or with getChatMember in userChatId (which says whether it is a bot)', async () => {
    const context = createCallContext();
    const viaChat = await createTelegram(settings()).execute(
      { capability: 'messaging', operation: 'getUser', input: { userId: '424242' } },
      context,
    );
    expect(viaChat).toEqual({ id: '424242', name: 'Ada Lovelace', handle: 'ada' });
    const viaMember = await createTelegram(settings({ userChatId: '-100200300' })).execute(
      { capability: 'messaging', operation: 'getUser', input: { userId: '424242' } },
      context,
    );
    expect(viaMember).toEqual({ id: '424242', name: 'Ada Lovelace', handle: 'ada', isBot: false });
  });

  it.each([
    ['an unknown id (chat not found)', {}, '999'],
    ['a group id', {}, '-100200300'],
    ['a non-member (user not found)', { userChatId: '-100200300' }, '999'],
  ])('reports not_found for %s', async (_title, extra, userId) => {
    const call = createTelegram(settings(extra)).execute(
      { capability: 'messaging', operation: 'getUser', input: { userId } },
      createCallContext(),
    );
    await expect(call).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('error mapping', () => {
  it.each([
    ['chatNotFound', 'sendMessage', 'not_found', undefined],
    ['messageToEditNotFound', 'sendMessage', 'not_found', undefined],
    ['cantParseEntities', 'sendMessage', 'validation', undefined],
    ['unauthorized', 'sendMessage', 'auth', undefined],
    ['botBlocked', 'sendMessage', 'auth', undefined],
    ['webhookConflict', 'sendMessage', 'conflict', undefined],
    ['tooManyRequests', 'sendMessage', 'rate_limit', 7000],
    ['internalServerError', 'sendMessage', 'provider', undefined],
  ])('maps %s to %s', async (name, method, kind, retryAfterMs) => {
    const envelope = errors[name];
    if (envelope === undefined) throw new Error(`no fixture ${name}`);
    fake.failNext(method, envelope);
    const failure = await send({}, { text: 'hello' }).catch((error: unknown) => error);
    expect(IntegrationError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ kind, statusCode: envelope.error_code, provider: 'telegram', retryAfterMs });
    expect((failure as Error).message).toContain(envelope.description);
  });

  it('answers a blocked user with auth', async () => {
    await expect(send({}, { recipient: { kind: 'user', id: '515151' }, text: 'hi' })).rejects.toMatchObject({
      kind: 'auth',
      statusCode: 403,
    });
  });

  it('never shows the bot token, which travels in the URL path, in errors', async () => {
    const planted = '555000111:AAPlantedTokenThatMustNeverLeak_xyz';
    const failure = await createTelegram({ token: planted, baseURL: fake.url, allowPrivateNetwork: true })
      .execute({ capability: 'messaging', operation: 'sendMessage', input: { recipient: ADA, text: 'hi' } }, createCallContext())
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'auth', statusCode: 401 });
    const shown = JSON.stringify({
      message: (failure as Error).message,
      cause: String((failure as Error).cause),
      stack: (failure as Error).stack,
    });
    expect(shown).toContain('/bot[REDACTED]/sendMessage');
    expect(shown).not.toContain(planted);
    expect(shown).not.toContain('AAPlantedTokenThatMustNeverLeak_xyz');
  });

  it('never shows a token taken from TELEGRAM_BOT_TOKEN in errors', async () => {
    const planted = '555000222:AAEnvironmentTokenThatMustNeverLeak';
    process.env.TELEGRAM_BOT_TOKEN = planted;
    try {
      const failure = await createTelegram({ baseURL: fake.url, allowPrivateNetwork: true })
        .execute({ capability: 'messaging', operation: 'sendMessage', input: { recipient: ADA, text: 'hi' } }, createCallContext())
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ kind: 'auth', statusCode: 401 });
      expect(`${(failure as Error).message} ${(failure as Error).stack ?? ''}`).not.toContain('AAEnvironmentTokenThatMustNeverLeak');
    } finally {
      delete process.env.TELEGRAM_BOT_TOKEN;
    }
  });

  it('passes the call signal: an aborted call is a timeout', async () => {
    const controller = new AbortController();
    controller.abort();
    const call = createTelegram(settings()).execute(
      { capability: 'messaging', operation: 'sendMessage', input: { recipient: ADA, text: 'hi' } },
      createCallContext({ signal: controller.signal }),
    );
    await expect(call).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('bot operations', () => {
  it('sets the command menu with setMyCommands', async () => {
    const telegram = createTelegram(settings());
    const result = await telegram.operations.setCommands!.execute(
      {
        commands: [
          { command: 'start', description: 'Start the bot' },
          { command: 'deploy', description: 'Deploy a build' },
        ],
      },
      createCallContext(),
    );
    expect(result).toEqual({ commands: ['start', 'deploy'] });
    expect(fake.commands).toEqual([
      { command: 'start', description: 'Start the bot' },
      { command: 'deploy', description: 'Deploy a build' },
    ]);
  });

  it('sets a webhook with the secret from settings; getUpdates then reports conflict until it is deleted', async () => {
    const telegram = createTelegram(settings({ webhookSecret: 'fake-webhook-secret_2' }));
    const context = createCallContext();
    await telegram.operations.setWebhook!.execute({ url: 'https://bot.example.com/hook', dropPendingUpdates: true }, context);
    expect(fake.webhook).toEqual({ url: 'https://bot.example.com/hook', secret_token: 'fake-webhook-secret_2' });
    await expect(telegram.operations.getUpdates!.execute({}, context)).rejects.toMatchObject({ kind: 'conflict', statusCode: 409 });
    await telegram.operations.deleteWebhook!.execute({}, context);
    await expect(telegram.operations.getUpdates!.execute({}, context)).resolves.toMatchObject({ dispatched: 0 });
  });

  it('keeps the secret token of the webhook in use in its secrets: a new one replaces the old', async () => {
    const telegram = createTelegram(settings());
    const setWebhook = (secretToken: string) =>
      telegram.operations.setWebhook!.execute({ url: 'https://bot.example.com/hook', secretToken }, createCallContext());
    await setWebhook('first-secret-token_1');
    const size = telegram.secrets?.size;
    await setWebhook('second-secret-token_2');
    expect(telegram.secrets?.size).toBe(size);
    expect(redactText('first-secret-token_1 second-secret-token_2', telegram.secrets)).toBe('first-secret-token_1 [REDACTED]');
    await telegram.operations.deleteWebhook!.execute({}, createCallContext());
  });

  it('keeps a token read from TELEGRAM_BOT_TOKEN in its secrets before the first request', async () => {
    process.env.TELEGRAM_BOT_TOKEN = fake.token;
    try {
      const telegram = createTelegram({ baseURL: fake.url, allowPrivateNetwork: true });
      expect(telegram.secrets?.size).toBe(0);
      await telegram.healthCheck({ signal: new AbortController().signal });
      expect(telegram.secrets?.size).toBe(1);
      expect(redactText(`sent ${fake.token}`, telegram.secrets)).toBe('sent [REDACTED]');
    } finally {
      delete process.env.TELEGRAM_BOT_TOKEN;
    }
  });
});

describe('through a hub and a custom dispatcher', () => {
  it('sends through hub.messaging.sendMessage', async () => {
    const hub = createHub({ providers: [createTelegram(settings())] });
    const sent = await hub.messaging.sendMessage({ recipient: ADA, text: 'via the hub' });
    expect(sent).toMatchObject({ channelId: '424242', text: 'via the hub' });
    expect(lastMessage()?.visible).toBe('via the hub');
  });

  it('sends through the given dispatcher, with Telegram errors translated there too', async () => {
    const seen: { origin: string; path: string; method: string }[] = [];
    const body = JSON.stringify({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
    const dispatcher = {
      request(options: { origin: string; path: string; method: string }) {
        seen.push({ origin: options.origin, path: options.path, method: options.method });
        return Promise.resolve({
          statusCode: 429,
          headers: { 'content-type': 'application/json' },
          body: {
            text: () => Promise.resolve(body),
            json: () => Promise.resolve(JSON.parse(body) as unknown),
            arrayBuffer: () => Promise.resolve(new ArrayBuffer(0)),
            dump: () => Promise.resolve(),
          },
        });
      },
    };
    // allowPrivateNetwork skips the DNS check of api.telegram.org, which this offline machine cannot resolve.
    const telegram = createTelegram({ token: '42:AADispatcherToken_abcdef', dispatcher: dispatcher as never, allowPrivateNetwork: true });
    const call = telegram.execute(
      { capability: 'messaging', operation: 'sendMessage', input: { recipient: ADA, text: 'hi' } },
      createCallContext(),
    );
    await expect(call).rejects.toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 3000 });
    expect(seen).toEqual([{ origin: 'https://api.telegram.org', path: '/bot42:AADispatcherToken_abcdef/sendMessage', method: 'POST' }]);
  });
});
