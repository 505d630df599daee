import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '@switchyard/testing';

/** Options of {@link startTwilioFake}. */
export interface TwilioFakeOptions {
  /** The account whose `/2010-04-01/Accounts/{AccountSid}` the fake serves. */
  readonly accountSid: string;
  /** The auth token accepted as the basic-auth password for `accountSid`. */
  readonly authToken: string;
  /** An API key (`apiKeySid:apiKeySecret` basic auth) also accepted. Default none. */
  readonly apiKey?: { readonly apiKeySid: string; readonly apiKeySecret: string };
}

/** A request the fake received. */
export interface TwilioFakeRequest {
  readonly method: string;
  readonly path: string;
  /** The basic-auth user name, or undefined without basic auth. */
  readonly username: string | undefined;
  readonly idempotencyToken: string | undefined;
  readonly contentType: string | undefined;
  /** The decoded form parameters. */
  readonly form: Readonly<Record<string, string>>;
}

/** A running fake Twilio REST API. */
export interface TwilioFake {
  /** `http://127.0.0.1:<port>`: the API origin. */
  readonly url: string;
  /** Every request, in order. */
  readonly requests: TwilioFakeRequest[];
  /** The stored messages by SID, as the Message resource. */
  readonly messages: Map<string, Record<string, unknown>>;
  /** Moves a message to `status` (e.g. `delivered`, or `undelivered` with an error code), as Twilio does over time. */
  setStatus(sid: string, status: string, errorCode?: number): void;
  /** Answers the next authorized request with `reply` instead of the route's answer (to show a checker refusing a bad answer). */
  failNext(reply: { readonly status: number; readonly body?: unknown }): void;
  close(): Promise<void>;
}

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

const MESSAGE = fixture('message.json');
const ACCOUNT = fixture('account.json');
const ERRORS = fixture('errors.json') as Record<string, Record<string, unknown>>;
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The "magic" recipient numbers of Twilio's test credentials
 * (https://www.twilio.com/docs/iam/test-credentials), answered with the
 * documented error codes.
 */
const MAGIC_RECIPIENTS: Readonly<Record<string, { code: number; message: string }>> = {
  '+15005550001': { code: 21211, message: "The 'To' number +15005550001 is not a valid phone number." },
  '+15005550002': {
    code: 21612,
    message: "The 'To' phone number: +15005550002, is not currently reachable using the 'From' phone number via SMS.",
  },
  '+15005550003': {
    code: 21408,
    message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003.",
  },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  '+15005550009': { code: 21614, message: "'To' number is not a valid mobile number" },
};

/** Twilio's RFC 2822 dates: "Thu, 24 Aug 2023 05:01:45 +0000". */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

function twilioError(code: number, message: string, status: number) {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function basicUser(header: string | undefined): { username: string; password: string } | undefined {
  if (header === undefined || !header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Starts a wire-protocol fake of Twilio's Messages API on 127.0.0.1 (a free
 * port), written from the Message resource reference: basic auth (401 with
 * error 20003), `POST Messages.json` (form-encoded; 21211 for a `To` that is
 * not E.164, 21602 without `Body`, 21603 without `From` or
 * `MessagingServiceSid`, 21617 past 1,600 characters, and the test
 * credentials' magic numbers), `GET Messages/{Sid}.json` (404 with 20404),
 * `DELETE Messages/{Sid}.json` (204), and `GET Accounts/{Sid}.json`.
 */
export async function startTwilioFake(options: TwilioFakeOptions): Promise<TwilioFake> {
  const requests: TwilioFakeRequest[] = [];
  const messages = new Map<string, Record<string, unknown>>();
  const accountPath = `/2010-04-01/Accounts/${options.accountSid}`;
  const scripted: { status: number; body?: unknown }[] = [];
  const account: Record<string, unknown> = {
    ...ACCOUNT,
    sid: options.accountSid,
    owner_account_sid: options.accountSid,
    friendly_name: 'Switchyard test account',
    uri: `${accountPath}.json`,
    subresource_uris: Object.fromEntries(
      Object.entries(ACCOUNT.subresource_uris as Record<string, string>).map(([name, uri]) => [
        name,
        uri.replace(/\/Accounts\/AC[a-z]{32}/, `/Accounts/${options.accountSid}`),
      ]),
    ),
  };

  function authorized(header: string | undefined): boolean {
    const user = basicUser(header);
    if (user === undefined) return false;
    if (user.username === options.accountSid && user.password === options.authToken) return true;
    return options.apiKey !== undefined && user.username === options.apiKey.apiKeySid && user.password === options.apiKey.apiKeySecret;
  }

  function createMessage(form: Readonly<Record<string, string>>) {
    const to = form.To;
    if (to === undefined || !E164.test(to)) return twilioError(21211, `The 'To' number ${to ?? ''} is not a valid phone number.`, 400);
    const magic = MAGIC_RECIPIENTS[to];
    if (magic !== undefined) return twilioError(magic.code, magic.message, 400);
    if (form.From === undefined && form.MessagingServiceSid === undefined)
      return twilioError(21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message", 400);
    const body = form.Body;
    if (body === undefined || body === '') return twilioError(21602, 'Message body is required.', 400);
    if (body.length > 1600) return twilioError(21617, 'The concatenated message body exceeds the 1600 character limit.', 400);
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = rfc2822(new Date());
    const message: Record<string, unknown> = {
      ...MESSAGE,
      account_sid: options.accountSid,
      sid,
      body,
      to,
      from: form.From ?? null,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      status: form.MessagingServiceSid === undefined ? 'queued' : 'accepted',
      date_created: now,
      date_updated: now,
      uri: `${accountPath}/Messages/${sid}.json`,
      subresource_uris: { media: `${accountPath}/Messages/${sid}/Media.json` },
    };
    messages.set(sid, message);
    return { status: 201, body: message };
  }

  function route(method: string, pathname: string, form: Readonly<Record<string, string>>): { status: number; body?: unknown } {
    if (method === 'GET' && pathname === `${accountPath}.json`) {
      return { status: 200, body: account };
    }
    if (method === 'POST' && pathname === `${accountPath}/Messages.json`) return createMessage(form);
    const match = new RegExp(`^${accountPath}/Messages/([A-Za-z0-9]+)\\.json$`).exec(pathname);
    const message = match === null ? undefined : messages.get(match[1]!);
    if (match !== null && method === 'GET' && message !== undefined) return { status: 200, body: message };
    if (match !== null && method === 'DELETE' && message !== undefined) {
      messages.delete(match[1]!);
      return { status: 204 };
    }
    return { status: 404, body: { ...ERRORS.notFound, message: `The requested resource ${pathname} was not found` } };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const contentType = request.headers['content-type'];
    const form = contentType?.includes('application/x-www-form-urlencoded') === true ? Object.fromEntries(new URLSearchParams(text)) : {};
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      username: basicUser(header('authorization'))?.username,
      idempotencyToken: header('i-twilio-idempotency-token'),
      contentType,
      form,
    });
    const answer = !authorized(header('authorization'))
      ? { status: 401, body: ERRORS.unauthorized }
      : (scripted.shift() ?? route(request.method ?? 'GET', url.pathname, form));
    const headers: Record<string, string> = { date: new Date().toUTCString() };
    if (answer.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    response.writeHead(answer.status, headers);
    response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(ERRORS.internal));
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    messages,
    setStatus(sid, status, errorCode) {
      const message = messages.get(sid);
      if (message === undefined) throw new Error(`no message ${sid}`);
      Object.assign(message, {
        status,
        date_updated: rfc2822(new Date()),
        error_code: errorCode ?? null,
        error_message: errorCode === undefined ? null : `Error ${errorCode}`,
      });
    },
    failNext: (reply) => void scripted.push(reply),
    close,
  };
}
