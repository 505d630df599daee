import type { HttpClientSettings } from '@switchyard/http';

type Dispatcher = NonNullable<HttpClientSettings['dispatcher']>;

/** The part of undici's `Dispatcher.request` options `@switchyard/http` sends. */
interface TransportRequest {
  readonly origin: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | null | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The part of undici's response `@switchyard/http` reads. */
interface TransportBody {
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  dump(): Promise<void>;
}

interface TransportResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: TransportBody;
}

type Send = (request: TransportRequest) => Promise<TransportResponse>;

function fetchSend(request: TransportRequest): Promise<TransportResponse> {
  return fetch(`${request.origin}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? undefined,
    signal: request.signal,
  }).then((response) => ({
    statusCode: response.status,
    headers: Object.fromEntries(response.headers),
    body: {
      text: () => response.text(),
      json: () => response.json(),
      arrayBuffer: () => response.arrayBuffer(),
      dump: async () => {
        await response.body?.cancel();
      },
    },
  }));
}

function textBody(text: string): TransportBody {
  return {
    text: () => Promise.resolve(text),
    json: () => Promise.resolve(JSON.parse(text) as unknown),
    arrayBuffer: () => Promise.resolve(new TextEncoder().encode(text).buffer),
    dump: () => Promise.resolve(),
  };
}

/**
 * Rewrites Telegram's error envelope `{ ok: false, error_code, description,
 * parameters: { retry_after } }` into the conventions `@switchyard/http`'s
 * error mapper reads: `description` as `message` (so it is quoted in the
 * error) and `retry_after` as a `Retry-After` header (so a 429 carries
 * `retryAfterMs`); an `ok: false` body with status 200 takes its
 * `error_code` as the status. Bodies are read whole (Bot API answers are
 * small JSON); successful ones are handed on unchanged.
 */
async function translateError(response: TransportResponse): Promise<TransportResponse> {
  const text = await response.body.text();
  let envelope: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ...response, body: textBody(text) };
    envelope = parsed as Record<string, unknown>;
  } catch {
    return { ...response, body: textBody(text) };
  }
  // Telegram answers errors with the status in `error_code`; a server that sends 200 with `ok: false` (telegram-test-api) gets it too.
  const statusCode = response.statusCode < 400 && envelope.ok === false && typeof envelope.error_code === 'number' && envelope.error_code >= 400 ? envelope.error_code : response.statusCode;
  if (statusCode < 400) return { ...response, body: textBody(text) };
  const headers = { ...response.headers };
  delete headers['content-length'];
  const parameters = envelope.parameters as { retry_after?: unknown } | undefined;
  if (typeof parameters?.retry_after === 'number' && headers['retry-after'] === undefined) headers['retry-after'] = String(parameters.retry_after);
  const message = typeof envelope.description === 'string' && envelope.message === undefined ? { message: envelope.description } : {};
  return { statusCode, headers, body: textBody(JSON.stringify({ ...envelope, ...message })) };
}

/**
 * The dispatcher the Telegram client sends through: the given one (or Node's
 * `fetch` when none is given, so the package needs no undici of its own),
 * with Telegram's error envelope translated (see {@link translateError}).
 * Only `request` is implemented: it is all `@switchyard/http` calls.
 */
export function telegramDispatcher(inner: Dispatcher | undefined): Dispatcher {
  const forward = inner as unknown as { request: Send } | undefined;
  const send: Send = forward === undefined ? fetchSend : (request) => forward.request(request);
  const adapter = { request: async (request: TransportRequest) => translateError(await send(request)) };
  return adapter as unknown as Dispatcher;
}
