import { IntegrationError } from '@switchyard/core';

// Readers for the Web API results the provider maps: only the fields it reads. A missing required field is a
// `provider` error naming it.

type Json = Readonly<Record<string, unknown>>;

/** A message as `chat.postMessage`, `chat.update` and `chat.delete` return it. */
export interface SlackPostedMessage {
  readonly channel: string;
  readonly ts: string;
  readonly text: string | undefined;
  readonly threadTs: string | undefined;
}

/** A conversation from `conversations.list`. */
export interface SlackChannel {
  readonly id: string;
  readonly name: string;
  readonly isPrivate: boolean | undefined;
}

/** A user as `users.info` and `users.list` return one. */
export interface SlackUser {
  readonly id: string;
  readonly name: string | undefined;
  readonly realName: string | undefined;
  readonly displayName: string | undefined;
  readonly profileRealName: string | undefined;
  readonly email: string | undefined;
  readonly isBot: boolean | undefined;
}

/** A page of a cursor-paginated method. */
export interface SlackPage<Item> {
  readonly items: readonly Item[];
  readonly nextCursor: string | undefined;
}

class MissingField extends Error {}

function record(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MissingField(`${path}: expected an object`);
  return value as Json;
}

function requiredString(object: Json, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw new MissingField(`${path}${key}: expected a non-empty string`);
  return value;
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const optionalBoolean = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

function array(object: Json, key: string): readonly unknown[] {
  const value = object[key];
  if (!Array.isArray(value)) throw new MissingField(`${key}: expected an array`);
  return value;
}

function nextCursor(result: Json): string | undefined {
  const metadata = result.response_metadata;
  return typeof metadata === 'object' && metadata !== null ? optionalString((metadata as Json).next_cursor) : undefined;
}

function readUser(value: unknown, path: string): SlackUser {
  const user = record(value, path);
  const profile = typeof user.profile === 'object' && user.profile !== null ? (user.profile as Json) : {};
  return {
    id: requiredString(user, 'id', `${path}.`),
    name: optionalString(user.name),
    realName: optionalString(user.real_name),
    displayName: optionalString(profile.display_name),
    profileRealName: optionalString(profile.real_name),
    email: optionalString(profile.email),
    isBot: optionalBoolean(user.is_bot),
  };
}

/** Reads `chat.postMessage`, `chat.update` or `chat.delete`: `channel`, `ts`, and `message.text`/`thread_ts` when present. */
export function readPostedMessage(result: Json): SlackPostedMessage {
  const message = typeof result.message === 'object' && result.message !== null ? (result.message as Json) : {};
  return {
    channel: requiredString(result, 'channel', ''),
    ts: requiredString(result, 'ts', ''),
    text: optionalString(message.text) ?? optionalString(result.text),
    threadTs: optionalString(message.thread_ts),
  };
}

/** Reads `conversations.list`. */
export function readChannelPage(result: Json): SlackPage<SlackChannel> {
  const items = array(result, 'channels').map((value, index) => {
    const channel = record(value, `channels.${index}`);
    return { id: requiredString(channel, 'id', `channels.${index}.`), name: optionalString(channel.name) ?? '', isPrivate: optionalBoolean(channel.is_private) };
  });
  return { items, nextCursor: nextCursor(result) };
}

/** Reads `users.info`. */
export function readUserInfo(result: Json): SlackUser {
  return readUser(result.user, 'user');
}

/** Reads `users.list`. */
export function readUserPage(result: Json): SlackPage<SlackUser> {
  return { items: array(result, 'members').map((value, index) => readUser(value, `members.${index}`)), nextCursor: nextCursor(result) };
}

/** Runs a reader, turning a missing or malformed field into a `provider` error that names it. */
export function readResult<T>(reader: (result: Json) => T, result: Json, operation: string, method: string): T {
  try {
    return reader(result);
  } catch (error) {
    if (!(error instanceof MissingField)) throw error;
    throw new IntegrationError({ kind: 'provider', message: `slack: ${operation} (${method}) returned an unexpected result: ${error.message}`, provider: 'slack', operation });
  }
}
