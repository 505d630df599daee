/*
 * A pass-through in front of telegram-test-api 4.2.1 that closes two gaps
 * the `messaging` contract runs into, and nothing else:
 *
 * - The emulator has no `getChat` or `getChatMember` (it answers 500). The
 *   shim answers them from the users the emulator has really seen: the `from`
 *   of updates simulated clients sent to this bot (`server.storage.userMessages`).
 *   `getChat` returns a private chat's `ChatFullInfo`, or 400 "Bad Request:
 *   chat not found"; `getChatMember` returns `status: "member"` for a user who
 *   wrote in that chat, else 400 "chat not found" / "user not found".
 * - Its `editMessageText` answers `ok` even for a message that does not exist.
 *   The shim answers 400 "Bad Request: message to edit not found" when
 *   `server.storage.botMessages` holds no message of this bot with that
 *   `chat_id` and `message_id`, and forwards the edit otherwise.
 *
 * Method names match case-insensitively (as the emulator's routes and the Bot
 * API do). Parameters are read from the query string and a JSON or
 * form-encoded body; every other request is forwarded byte for byte, body
 * included. Error wording comes from `__fixtures__/errors.json`. Users the
 * emulator forgets (it drops updates after `storeTimeout`, 60 s by default,
 * and on deleteMessage) are unknown again. Bound to 127.0.0.1 on a free port.
 */
import { readFileSync } from 'node:fs';
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '@switchyard/testing';

/** The running shim. */
export interface TelegramTestApiShim {
  /** Where to point the provider's `baseURL`. */
  readonly url: string;
  close(): Promise<void>;
}

type Envelope = { ok: true; result: unknown } | { ok: false; error_code: number; description: string };
type MethodParameters = Record<string, unknown>;
interface SeenUser {
  readonly id: number;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly is_bot?: boolean;
}

/** A chat as a simulated client describes it. */
interface SeenChat {
  readonly id: number;
}

/**
 * The part of a telegram-test-api `TelegramServer` the shim reads. (Its own
 * declarations use typegram, which is not installed, so they are restated.)
 */
export interface TelegramTestApiEmulator {
  readonly config: { readonly apiURL: string };
  readonly storage: {
    /** Updates simulated clients sent: a message or command, or a button press. */
    readonly userMessages: readonly (
      | { readonly botToken: string; readonly message: { readonly from?: SeenUser; readonly chat: SeenChat } }
      | { readonly botToken: string; readonly callbackQuery: { readonly from: SeenUser; readonly message: { readonly chat: SeenChat } } }
    )[];
    /** Messages the bot sent, with the `chat_id` it sent them to. */
    readonly botMessages: readonly {
      readonly botToken: string;
      readonly messageId: number;
      readonly message: { readonly chat_id: unknown };
    }[];
  };
}

const errors = JSON.parse(readFileSync(new URL('../__fixtures__/errors.json', import.meta.url), 'utf8')) as Record<string, Envelope>;

function error(name: string): Envelope {
  const envelope = errors[name];
  if (envelope === undefined) throw new Error(`no error fixture ${name}`);
  return envelope;
}

const BOT_METHOD = /^\/bot([^/]+)\/([A-Za-z]+)$/;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The query string merged with a JSON or form-encoded body, as the Bot API accepts parameters. */
function parametersOf(url: URL, contentType: string | undefined, body: Buffer): MethodParameters {
  const parameters: MethodParameters = Object.fromEntries(url.searchParams);
  const text = body.toString('utf8');
  if (contentType?.includes('application/json') === true && text !== '') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) Object.assign(parameters, parsed);
    } catch {
      // Not JSON after all: the emulator will refuse it itself.
    }
  } else if (contentType?.includes('application/x-www-form-urlencoded') === true) {
    Object.assign(parameters, Object.fromEntries(new URLSearchParams(text)));
  }
  return parameters;
}

/** Who sent an update, and in which chat: a message's `from`/`chat`, or a callback's `from` and its message's chat. */
function senderOf(update: TelegramTestApiEmulator['storage']['userMessages'][number]): {
  user: SeenUser | undefined;
  chatId: number | undefined;
} {
  if ('callbackQuery' in update) return { user: update.callbackQuery.from, chatId: update.callbackQuery.message.chat.id };
  return { user: update.message.from, chatId: update.message.chat.id };
}

/** Starts the shim in front of a started emulator; its storage is read on every request. */
export async function startTelegramTestApiShim(emulator: TelegramTestApiEmulator): Promise<TelegramTestApiShim> {
  const sendersTo = (token: string) => emulator.storage.userMessages.filter((update) => update.botToken === token).map(senderOf);
  const userOf = (token: string, id: unknown) =>
    sendersTo(token).findLast(({ user }) => user !== undefined && String(user.id) === String(id))?.user;

  const answers: Record<string, (token: string, parameters: MethodParameters) => Envelope | undefined> = {
    getchat(token, parameters) {
      const user = userOf(token, parameters.chat_id);
      if (user === undefined) return error('chatNotFound');
      const { id, first_name, last_name, username } = user;
      // accent_color_id and max_reaction_count are required in ChatFullInfo; values as in __fixtures__/chat.json.
      return { ok: true, result: { id, type: 'private', first_name, last_name, username, accent_color_id: 0, max_reaction_count: 11 } };
    },
    getchatmember(token, parameters) {
      const inChat = sendersTo(token).filter(({ chatId }) => String(chatId) === String(parameters.chat_id));
      if (inChat.length === 0) return error('chatNotFound');
      const user = inChat.findLast((sender) => sender.user !== undefined && String(sender.user.id) === String(parameters.user_id))?.user;
      if (user === undefined) return error('userNotFound');
      const { id, is_bot, first_name, last_name, username } = user;
      return { ok: true, result: { status: 'member', user: { id, is_bot, first_name, last_name, username } } };
    },
    editmessagetext(token, parameters) {
      const exists = emulator.storage.botMessages.some(
        (update) =>
          update.botToken === token &&
          String(update.messageId) === String(parameters.message_id) &&
          String(update.message.chat_id) === String(parameters.chat_id),
      );
      return exists ? undefined : error('messageToEditNotFound');
    },
  };

  function pass(incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer): void {
    const upstream = forward(
      `${emulator.config.apiURL}${incoming.url ?? '/'}`,
      { method: incoming.method, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    upstream.end(body);
  }

  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readBody(incoming);
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const match = BOT_METHOD.exec(url.pathname);
      const answer = match === null ? undefined : answers[(match[2] ?? '').toLowerCase()];
      const envelope = answer?.(decodeURIComponent(match?.[1] ?? ''), parametersOf(url, incoming.headers['content-type'], body));
      if (envelope === undefined) {
        pass(incoming, outgoing, body);
        return;
      }
      outgoing.writeHead(envelope.ok ? 200 : envelope.error_code, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify(envelope));
    })().catch(() => outgoing.destroy());
  });
  return listenOnLoopback(server);
}
