import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEntities } from './telegram-fake-entities';

/**
 * A wire-protocol fake of the Telegram Bot API (https://core.telegram.org/bots/api)
 * for the methods telegram-test-api lacks: getChat, getChatMember,
 * setMyCommands, getUpdates with offsets, webhook conflicts, and the error
 * envelope `{ ok: false, error_code, description, parameters }` of
 * `__fixtures__/errors.json`. Bound to 127.0.0.1.
 */

type Envelope =
  { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: { retry_after: number } };

/** A chat the fake knows: private chats are users. */
export interface FakeChat {
  readonly id: number;
  readonly type: 'private' | 'group' | 'supergroup' | 'channel';
  readonly first_name?: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly title?: string;
  /** Sending to it answers 403 "bot was blocked by the user". */
  readonly blocked?: boolean;
}

/** A message as the fake stored it: what the user sees, plus the raw request. */
export interface FakeMessage {
  readonly message_id: number;
  readonly chatId: number;
  visible: string;
  text: string;
  parse_mode: unknown;
  reply_markup: unknown;
  reply_to: number | undefined;
  readonly date: number;
}

export interface TelegramFake {
  readonly url: string;
  readonly token: string;
  readonly chats: Map<number, FakeChat>;
  readonly messages: FakeMessage[];
  /** Every request: method and raw path (with the token). */
  readonly requests: { method: string; path: string; body: Record<string, unknown> }[];
  commands: unknown;
  webhook: { url: string; secret_token?: string } | undefined;
  /** Queues an update for getUpdates; `update_id` is assigned. */
  pushUpdate(update: Record<string, unknown>): number;
  /** The next request to `method` answers with this envelope: an error with HTTP status `error_code`, or a documented result (fixture) with 200. */
  failNext(method: string, envelope: Envelope): void;
  close(): Promise<void>;
}

const errors = JSON.parse(readFileSync(new URL('../__fixtures__/errors.json', import.meta.url), 'utf8')) as Record<string, Envelope>;

function error(name: string): Envelope {
  const envelope = errors[name];
  if (envelope === undefined) throw new Error(`no error fixture ${name}`);
  return envelope;
}

function withoutBlocked(chat: FakeChat): Omit<FakeChat, 'blocked'> {
  return Object.fromEntries(Object.entries(chat).filter(([key]) => key !== 'blocked')) as Omit<FakeChat, 'blocked'>;
}

function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve(text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));
    });
    request.on('error', reject);
  });
}

/** Starts the fake with a bot `token` and a seeded private chat 424242 (Ada) and group -100200300. */
export async function startTelegramFake(token = '123456789:AAFakeTokenForSwitchyardTests_0123456789'): Promise<TelegramFake> {
  const chats = new Map<number, FakeChat>([
    [424242, { id: 424242, type: 'private', first_name: 'Ada', last_name: 'Lovelace', username: 'ada' }],
    [515151, { id: 515151, type: 'private', first_name: 'Grace', username: 'grace', blocked: true }],
    [-100200300, { id: -100200300, type: 'supergroup', title: 'Deploys' }],
  ]);
  const messages: FakeMessage[] = [];
  const requests: TelegramFake['requests'] = [];
  const updates: Record<string, unknown>[] = [];
  const failures = new Map<string, Envelope>();
  let nextMessageId = 1000;
  let nextUpdateId = 900_000_000;
  const state = { commands: undefined as unknown, webhook: undefined as TelegramFake['webhook'] };

  const chatOf = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? chats.get(Number(value)) : undefined);
  const findMessage = (chatId: unknown, messageId: unknown) =>
    messages.find((message) => message.chatId === Number(chatId) && message.message_id === Number(messageId));

  function sendMessage(body: Record<string, unknown>): Envelope {
    const chat = chatOf(body.chat_id);
    if (chat === undefined) return error('chatNotFound');
    if (chat.blocked === true) return error('botBlocked');
    if (typeof body.text !== 'string' || body.text.trim() === '') return error('messageTextEmpty');
    const parsed = parseEntities(body.text, body.parse_mode);
    if ('error' in parsed) return { ok: false, error_code: 400, description: parsed.error };
    const keyboard = (body.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
    if (keyboard.flat().some((button) => button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64)) {
      return { ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' };
    }
    const replyTo = (body.reply_parameters as { message_id?: number } | undefined)?.message_id;
    if (replyTo !== undefined && findMessage(chat.id, replyTo) === undefined)
      return { ok: false, error_code: 400, description: 'Bad Request: message to be replied not found' };
    const message: FakeMessage = {
      message_id: nextMessageId++,
      chatId: chat.id,
      visible: parsed.visible,
      text: body.text,
      parse_mode: body.parse_mode,
      reply_markup: body.reply_markup,
      reply_to: replyTo,
      date: Math.floor(Date.now() / 1000),
    };
    messages.push(message);
    const publicChat = withoutBlocked(chat);
    return {
      ok: true,
      result: {
        message_id: message.message_id,
        from: { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Switchyard Bot' },
        chat: publicChat,
        date: message.date,
        text: parsed.visible,
        ...(replyTo === undefined ? {} : { reply_to_message: { message_id: replyTo } }),
      },
    };
  }

  function editMessageText(body: Record<string, unknown>): Envelope {
    const message = findMessage(body.chat_id, body.message_id);
    if (message === undefined) return error('messageToEditNotFound');
    if (typeof body.text !== 'string') return error('messageTextEmpty');
    const parsed = parseEntities(body.text, body.parse_mode);
    if ('error' in parsed) return { ok: false, error_code: 400, description: parsed.error };
    if (parsed.visible === message.visible && JSON.stringify(body.reply_markup) === JSON.stringify(message.reply_markup))
      return error('messageNotModified');
    Object.assign(message, { visible: parsed.visible, text: body.text, parse_mode: body.parse_mode, reply_markup: body.reply_markup });
    return {
      ok: true,
      result: {
        message_id: message.message_id,
        chat: { id: message.chatId, type: chatOf(message.chatId)?.type },
        date: message.date,
        edit_date: Math.floor(Date.now() / 1000),
        text: parsed.visible,
      },
    };
  }

  function getUpdates(body: Record<string, unknown>): Envelope {
    if (state.webhook !== undefined) return error('webhookConflict');
    const offset = typeof body.offset === 'number' ? body.offset : undefined;
    // An offset confirms every earlier update: Telegram forgets them.
    if (offset !== undefined) updates.splice(0, updates.length, ...updates.filter((update) => (update.update_id as number) >= offset));
    const limit = typeof body.limit === 'number' ? body.limit : 100;
    return { ok: true, result: updates.slice(0, limit) };
  }

  const methods: Record<string, (body: Record<string, unknown>) => Envelope> = {
    getMe: () => ({
      ok: true,
      result: { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Switchyard Bot', username: 'switchyard_test_bot' },
    }),
    sendMessage,
    editMessageText,
    deleteMessage(body) {
      const message = findMessage(body.chat_id, body.message_id);
      if (message === undefined) return error('messageToDeleteNotFound');
      messages.splice(messages.indexOf(message), 1);
      return { ok: true, result: true };
    },
    getChat(body) {
      const chat = chatOf(body.chat_id);
      if (chat === undefined) return error('chatNotFound');
      const publicChat = withoutBlocked(chat);
      return { ok: true, result: publicChat };
    },
    getChatMember(body) {
      if (chatOf(body.chat_id) === undefined) return error('chatNotFound');
      const user = chatOf(body.user_id);
      if (user === undefined || user.type !== 'private') return error('userNotFound');
      return {
        ok: true,
        result: {
          status: 'member',
          user: { id: user.id, is_bot: false, first_name: user.first_name, last_name: user.last_name, username: user.username },
        },
      };
    },
    setMyCommands(body) {
      state.commands = body.commands;
      return { ok: true, result: true };
    },
    setWebhook(body) {
      state.webhook = { url: String(body.url), ...(typeof body.secret_token === 'string' ? { secret_token: body.secret_token } : {}) };
      return { ok: true, result: true };
    },
    deleteWebhook() {
      state.webhook = undefined;
      return { ok: true, result: true };
    },
    getUpdates,
  };

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.url ?? '');
      requests.push({ method: match?.[2] ?? '', path: request.url ?? '', body });
      let envelope: Envelope;
      if (match === null || match[1] !== token)
        envelope = match === null ? { ok: false, error_code: 404, description: 'Not Found' } : error('unauthorized');
      else
        envelope = failures.get(match[2] ?? '') ??
          methods[match[2] ?? '']?.(body) ?? { ok: false, error_code: 404, description: 'Not Found: method not found' };
      if (match !== null) failures.delete(match[2] ?? '');
      response.writeHead(envelope.ok ? 200 : envelope.error_code, { 'content-type': 'application/json' });
      response.end(JSON.stringify(envelope));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    chats,
    messages,
    requests,
    get commands() {
      return state.commands;
    },
    get webhook() {
      return state.webhook;
    },
    pushUpdate(update) {
      const update_id = nextUpdateId++;
      updates.push({ update_id, ...update });
      return update_id;
    },
    failNext(method, envelope) {
      failures.set(method, envelope);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
