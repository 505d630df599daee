import { TelegramSchemaIssue } from './telegram-client';
import type { TelegramUpdate } from './telegram-settings';

type Path = readonly string[];

function record(value: unknown, path: Path): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TelegramSchemaIssue(path, 'expected an object');
  return value as Record<string, unknown>;
}

function integer(value: unknown, path: Path): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TelegramSchemaIssue(path, 'expected an integer');
  return value;
}

function optionalText(value: unknown, path: Path): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TelegramSchemaIssue(path, 'expected a string');
  return value;
}

/** The fields of a sent or edited `Message` the provider reads. */
export interface TelegramMessage {
  readonly messageId: number;
  /** The chat id; undefined when the server sent none that is a number. */
  readonly chatId: number | undefined;
  /** Epoch milliseconds. */
  readonly date: number;
}

/**
 * `date` is Unix time in seconds. telegram-test-api sends milliseconds; a
 * value past 10^10 (the year 2286 in seconds) can only be milliseconds.
 */
function epochMilliseconds(date: number): number {
  return date > 10_000_000_000 ? date : date * 1000;
}

/** Reads a `Message` result (sendMessage, editMessageText). */
export function readMessage(value: unknown): TelegramMessage {
  const message = record(value, []);
  const chat = message.chat === undefined ? undefined : record(message.chat, ['chat']);
  const chatId = typeof chat?.id === 'number' && Number.isFinite(chat.id) ? chat.id : undefined;
  return { messageId: integer(message.message_id, ['message_id']), chatId, date: epochMilliseconds(integer(message.date, ['date'])) };
}

/**
 * Reads editMessageText's result: the edited `Message`, or `true` for inline
 * messages. telegram-test-api answers `null`; all but a message read as undefined.
 */
export function readEditResult(value: unknown): TelegramMessage | undefined {
  if (value === true || value === null) return undefined;
  return readMessage(value);
}

/** Reads a `True` result (deleteMessage, setMyCommands, setWebhook, ...); telegram-test-api sends `null` for some. */
export function readTrue(value: unknown): true {
  if (value !== true && value !== null) throw new TelegramSchemaIssue([], 'expected true');
  return true;
}

/** A user as getChat or getChatMember describes them. */
export interface TelegramUser {
  readonly id: number;
  readonly firstName: string | undefined;
  readonly lastName: string | undefined;
  readonly username: string | undefined;
  readonly isBot: boolean | undefined;
  /** The chat type for getChat (`private` for a user), undefined for getChatMember. */
  readonly chatType: string | undefined;
}

function readUserFields(value: Record<string, unknown>, path: Path, chatType: string | undefined): TelegramUser {
  return {
    id: integer(value.id, [...path, 'id']),
    firstName: optionalText(value.first_name, [...path, 'first_name']),
    lastName: optionalText(value.last_name, [...path, 'last_name']),
    username: optionalText(value.username, [...path, 'username']),
    isBot: typeof value.is_bot === 'boolean' ? value.is_bot : undefined,
    chatType,
  };
}

/** Reads getChat's `ChatFullInfo`. */
export function readChat(value: unknown): TelegramUser {
  const chat = record(value, []);
  return readUserFields(chat, [], optionalText(chat.type, ['type']));
}

/** Reads getChatMember's `ChatMember` (its `user`). */
export function readChatMember(value: unknown): TelegramUser {
  return readUserFields(record(record(value, []).user, ['user']), ['user'], undefined);
}

/** Reads getMe's `User`. */
export function readBotUser(value: unknown): TelegramUser {
  return readUserFields(record(value, []), [], undefined);
}

/** Reads getUpdates' `Update[]`, keeping each update whole. */
export function readUpdates(value: unknown): TelegramUpdate[] {
  if (!Array.isArray(value)) throw new TelegramSchemaIssue([], 'expected an array');
  return value.map((entry, index) => {
    const update = record(entry, [String(index)]);
    integer(update.update_id, [String(index), 'update_id']);
    return update as TelegramUpdate;
  });
}
