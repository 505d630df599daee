import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';

type Json = Record<string, unknown>;

/** Reads a fixture from `src/__fixtures__` (documented Slack example responses, see its README). */
export function fixture<T = Json>(name: string): T {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', '__fixtures__', name), 'utf8')) as T;
}

/** One request the fake received: the method, how it was authenticated and its arguments. */
export interface SlackFakeRequest {
  readonly method: string;
  readonly contentType: string;
  readonly authorization: string | undefined;
  readonly args: Readonly<Record<string, string>>;
}

interface StoredMessage {
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
}

/** A running {@link startSlackFake}. */
export interface SlackFake {
  /** The Web API base URL, ending in `/`: `http://127.0.0.1:<port>/api/`. */
  readonly url: string;
  readonly requests: SlackFakeRequest[];
  /** Messages by channel id, as stored (blocks parsed). */
  readonly messages: ReadonlyMap<string, readonly StoredMessage[]>;
  /** Answers the next call of `method` with HTTP 429 and `Retry-After: <seconds>`, as Slack does for a rate-limited method. */
  rateLimitNext(method: string, seconds: number): void;
  /** Answers the next call of `method` with HTTP 200 and `body` as given (to show that a validator refuses a wrong answer). */
  answerNext(method: string, body: unknown): void;
  close(): Promise<void>;
}

/** What {@link startSlackFake} takes. */
export interface SlackFakeOptions {
  /** The bot token it accepts (`Authorization: Bearer`); any other gets `invalid_auth`. */
  readonly token: string;
}

const EMPTY_CURSOR_METADATA = { next_cursor: '' };

/**
 * Profile fields Slack's OpenAPI description requires but its own
 * `users.list`/`users.info` examples leave out for some users; filled in with
 * the empty values the examples use for unset fields (`"phone": ""`). See
 * the fixtures README.
 */
const REQUIRED_PROFILE_DEFAULTS = { title: '', phone: '', skype: '', status_text: '', status_emoji: '', fields: {} };

/** A documented user, with what the description requires and the example lacks (`is_app_user`, profile fields). */
function describedUser(user: Json): Json {
  return { is_app_user: false, ...user, profile: { ...REQUIRED_PROFILE_DEFAULTS, ...(user.profile as Json) } };
}

/**
 * A stateful wire-protocol fake of the Slack Web API methods the provider
 * calls, on a free 127.0.0.1 port: every method is `POST /api/<method>` with
 * a form-encoded (or JSON) body, answers HTTP 200 with `{ ok: true, … }` or
 * `{ ok: false, error }`, and 429 with `Retry-After` when told to. Channels
 * and users are seeded from the documented `conversations.list`,
 * `users.list` and `users.info` examples; messages get a fresh
 * `<seconds>.<micros>` ts and are shaped like the documented
 * `chat.postMessage` and `chat.update` responses. Cursors are base64 of
 * `<kind>:<next id>`, like Slack's. Its answers satisfy Slack's OpenAPI
 * description as patched by `slack-openapi-patch.ts` (Prism checks them in
 * `slack-prism.test.ts`); what it adds to the documented users for that is
 * listed in the fixtures README. It emits no links back to the API.
 */
export async function startSlackFake(options: SlackFakeOptions): Promise<SlackFake> {
  const channels = fixture<{ channels: Json[] }>('conversations.list.json').channels;
  const listedUsers = fixture<{ members: Json[] }>('users.list.json').members;
  const infoUser = fixture<{ user: Json }>('users.info.json').user;
  const users: Json[] = listedUsers.map((user) => describedUser(user.id === infoUser.id ? infoUser : user));
  const messages = new Map<string, StoredMessage[]>(channels.map((channel) => [String(channel.id), []]));
  const requests: SlackFakeRequest[] = [];
  const rateLimits = new Map<string, number>();
  const scripted = new Map<string, unknown>();
  let sequence = 0;
  const nextTs = () => {
    sequence += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
  };
  const dmChannel = (userId: string) => `D${userId.slice(1)}`;

  const page = <Item extends Json>(items: readonly Item[], args: Readonly<Record<string, string>>, kind: string) => {
    const limit = Math.max(1, Math.min(Number(args.limit ?? 100) || 100, 1000));
    const start =
      args.cursor === undefined || args.cursor === ''
        ? 0
        : items.findIndex(
            (item) =>
              item.id ===
              Buffer.from(args.cursor ?? '', 'base64')
                .toString('utf8')
                .split(':')[1],
          );
    if (start < 0) return { error: 'invalid_cursor' };
    const next = items[start + limit];
    return {
      items: items.slice(start, start + limit),
      metadata: next === undefined ? EMPTY_CURSOR_METADATA : { next_cursor: Buffer.from(`${kind}:${String(next.id)}`).toString('base64') },
    };
  };

  const content = (args: Readonly<Record<string, string>>): { error: string } | { text: string; blocks: unknown[] | undefined } => {
    let blocks: unknown[] | undefined;
    if (args.blocks !== undefined) {
      try {
        const parsed: unknown = JSON.parse(args.blocks);
        if (
          !Array.isArray(parsed) ||
          parsed.some((block) => typeof block !== 'object' || block === null || typeof (block as Json).type !== 'string')
        )
          return { error: 'invalid_blocks' };
        blocks = parsed;
      } catch {
        return { error: 'invalid_blocks_format' };
      }
    }
    const text = args.text ?? '';
    if (text === '' && (blocks === undefined || blocks.length === 0)) return { error: 'no_text' };
    if (text.length > 40_000) return { error: 'msg_too_long' };
    return { text, blocks };
  };

  const conversation = (id: string | undefined) => {
    if (id === undefined) return undefined;
    if (messages.has(id)) return id;
    if (/^[UW]/.test(id) && users.some((user) => user.id === id)) {
      const dm = dmChannel(id);
      if (!messages.has(dm)) messages.set(dm, []);
      return dm;
    }
    return undefined;
  };

  const methods: Readonly<Record<string, (args: Readonly<Record<string, string>>) => Json>> = {
    'auth.test': () => ({
      url: 'https://ghostbusters.slack.com/',
      team: 'Ghostbusters',
      user: 'ecto1',
      team_id: 'T012AB3C4',
      user_id: 'U0LAN0Z89',
      bot_id: 'B123ABC456',
    }),
    'chat.postMessage': (args) => {
      const channel = conversation(args.channel);
      if (channel === undefined) return { error: 'channel_not_found' };
      const body = content(args);
      if ('error' in body) return body;
      const stored = messages.get(channel)!;
      if (args.thread_ts !== undefined && !stored.some((message) => message.ts === args.thread_ts)) return { error: 'thread_not_found' };
      const parent = stored.find((message) => message.ts === args.thread_ts);
      const message: StoredMessage = { ts: nextTs(), text: body.text, blocks: body.blocks, threadTs: parent?.threadTs ?? parent?.ts };
      stored.push(message);
      const shown = {
        text: message.text,
        username: 'ecto1',
        bot_id: 'B123ABC456',
        type: 'message',
        subtype: 'bot_message',
        ts: message.ts,
        ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
        ...(body.blocks === undefined ? {} : { blocks: body.blocks }),
      };
      return { channel, ts: message.ts, message: shown };
    },
    'chat.update': (args) => {
      const stored = args.channel === undefined ? undefined : messages.get(args.channel);
      if (stored === undefined) return { error: 'channel_not_found' };
      const message = stored.find((entry) => entry.ts === args.ts);
      if (message === undefined) return { error: 'message_not_found' };
      const body = content(args);
      if ('error' in body) return body;
      message.text = body.text;
      if (body.blocks !== undefined) message.blocks = body.blocks;
      return {
        channel: args.channel,
        ts: message.ts,
        text: message.text,
        message: { text: message.text, user: 'U0LAN0Z89', ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }) },
      };
    },
    'chat.delete': (args) => {
      const stored = args.channel === undefined ? undefined : messages.get(args.channel);
      if (stored === undefined) return { error: 'channel_not_found' };
      const index = stored.findIndex((entry) => entry.ts === args.ts);
      if (index < 0) return { error: 'message_not_found' };
      stored.splice(index, 1);
      return { channel: args.channel, ts: args.ts };
    },
    'conversations.list': (args) => {
      const result = page(channels, args, 'team');
      return 'error' in result ? result : { channels: result.items, response_metadata: result.metadata };
    },
    'users.info': (args) => {
      const user = users.find((entry) => entry.id === args.user);
      return user === undefined ? { error: 'user_not_found' } : { user };
    },
    'users.list': (args) => {
      const result = page(users, args, 'user');
      return 'error' in result ? result : { members: result.items, cache_ts: 1498777272, response_metadata: result.metadata };
    },
  };

  const answer = (response: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const contentType = request.headers['content-type'] ?? '';
    const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const args: Record<string, string> = contentType.startsWith('application/json')
      ? Object.fromEntries(
          Object.entries(JSON.parse(text === '' ? '{}' : text) as Json).map(([key, value]) => [
            key,
            typeof value === 'string' ? value : JSON.stringify(value),
          ]),
        )
      : Object.fromEntries(new URLSearchParams(text));
    requests.push({ method, contentType, authorization: request.headers.authorization, args });
    const limited = rateLimits.get(method);
    if (limited !== undefined) {
      rateLimits.delete(method);
      answer(response, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limited) });
      return;
    }
    if (scripted.has(method)) {
      const body = scripted.get(method);
      scripted.delete(method);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
      return;
    }
    if (request.method !== 'POST') return answer(response, 200, { ok: false, error: 'method_not_supported_for_channel_type' });
    const handler = methods[method];
    if (handler === undefined) return answer(response, 200, { ok: false, error: 'unknown_method' });
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? args.token;
    if (token === undefined) return answer(response, 200, { ok: false, error: 'not_authed' });
    if (token !== options.token) return answer(response, 200, { ok: false, error: 'invalid_auth' });
    const result = handler(args);
    answer(response, 200, 'error' in result ? { ok: false, ...result } : { ok: true, ...result });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => answer(response, 200, { ok: false, error: 'invalid_form_data' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    requests,
    messages,
    rateLimitNext: (method, seconds) => rateLimits.set(method, seconds),
    answerNext: (method, body) => void scripted.set(method, body),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
