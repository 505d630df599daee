import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hmacSignature, IntegrationError, type InboundWebhook } from '@switchyard/core';
import { createMemoryStore, createWebhookReceiver } from '@switchyard/platform';
import { describe, expect, it } from 'vitest';
import { createTwilio } from './index';

const webhooks = createTwilio().webhooks;

/** Twilio's worked example (https://www.twilio.com/docs/usage/security#validating-requests). */
const DOCUMENTED = {
  authToken: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  // Deliberately not in sorted order: the signature sorts the parameters.
  body: 'To=%2B18005551212&CallSid=CA1234567890ABCDE&Digits=1234&From=%2B12349013030&Caller=%2B12349013030',
  signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
};

const AUTH_TOKEN = 'twilio-webhook-auth-token-5d2a';
const STATUS_URL = 'https://hooks.example.com/twilio/status?integration=alerts';
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

/** What Twilio would send: the signature over the URL and the sorted form parameters. */
function sign(url: string, body: string, authToken = AUTH_TOKEN): string {
  const sorted = [...new URLSearchParams(body)].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return hmacSignature({
    secret: authToken,
    payload: url + sorted.map(([name, value]) => name + value).join(''),
    algorithm: 'sha1',
    encoding: 'base64',
  });
}

function request(
  body: string | Uint8Array,
  url: string | undefined,
  signature: string | undefined,
  headers: Record<string, string> = {},
): InboundWebhook {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === undefined ? {} : { 'x-twilio-signature': signature }),
      ...headers,
    },
    rawBody: body,
    url,
  };
}

function rejection(action: () => unknown): IntegrationError {
  try {
    action();
  } catch (error) {
    if (IntegrationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected verify to throw');
}

function flipByte(text: string, index: number): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  bytes[index] = bytes[index]! ^ 0x01;
  return bytes;
}

describe('twilio webhook signatures', () => {
  it("verifies Twilio's documented example (auth token 12345, signature 0/KCTR6DLpKmkAf8muzZqo1nDgQ=)", () => {
    const verified = webhooks.verify(request(DOCUMENTED.body, DOCUMENTED.url, DOCUMENTED.signature), DOCUMENTED.authToken);
    expect(verified).toEqual({ deliveryId: expect.stringMatching(/^signed:[0-9a-f]{32}$/) as unknown, providerEvent: 'other' });
    expect(verified.deliveryId).not.toContain(DOCUMENTED.signature);
    expect(sign(DOCUMENTED.url, DOCUMENTED.body, DOCUMENTED.authToken)).toBe(DOCUMENTED.signature);
  });

  it("accepts the URL with or without the default port, as Twilio's validators do", () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
    expect(webhooks.verify(request(DOCUMENTED.body, withPort, DOCUMENTED.signature), DOCUMENTED.authToken).providerEvent).toBe('other');
    const signedWithPort = sign(withPort, DOCUMENTED.body, DOCUMENTED.authToken);
    expect(webhooks.verify(request(DOCUMENTED.body, DOCUMENTED.url, signedWithPort), DOCUMENTED.authToken).providerEvent).toBe('other');
  });

  it.each([
    ['another query string', { url: 'https://mycompany.com/myapp.php?foo=1&bar=3' }],
    ['another scheme (a proxy that terminated TLS)', { url: 'http://mycompany.com/myapp.php?foo=1&bar=2' }],
    ['another path', { url: 'https://mycompany.com/other.php?foo=1&bar=2' }],
    ['a flipped byte in the body', { body: flipByte(DOCUMENTED.body, 40) }],
    ['a parameter added', { body: `${DOCUMENTED.body}&Extra=1` }],
    ['a flipped signature character', { signature: `1${DOCUMENTED.signature.slice(1)}` }],
    ['a truncated signature', { signature: DOCUMENTED.signature.slice(0, 20) }],
    // "…DgR=" decodes to the same 20 bytes as "…DgQ=" (only padding bits differ); Twilio sends canonical base64.
    ['a non-canonical base64 spelling of the right signature', { signature: DOCUMENTED.signature.replace('DgQ=', 'DgR=') }],
    ['a wrong auth token', { authToken: '54321' }],
  ])('rejects %s with auth', (_, change: { url?: string; body?: string | Uint8Array; signature?: string; authToken?: string }) => {
    const error = rejection(() =>
      webhooks.verify(
        request(change.body ?? DOCUMENTED.body, change.url ?? DOCUMENTED.url, change.signature ?? DOCUMENTED.signature),
        change.authToken ?? DOCUMENTED.authToken,
      ),
    );
    expect(error).toMatchObject({ kind: 'auth', provider: 'twilio' });
    expect(error.message).not.toContain(change.authToken ?? DOCUMENTED.authToken);
  });

  it('rejects a missing or doubled signature header with auth, and asks for the URL with validation', () => {
    expect(rejection(() => webhooks.verify(request(DOCUMENTED.body, DOCUMENTED.url, undefined), DOCUMENTED.authToken))).toMatchObject({
      kind: 'auth',
      message: 'twilio: webhook: the X-Twilio-Signature header is missing',
    });
    const doubled = {
      ...request(DOCUMENTED.body, DOCUMENTED.url, undefined),
      headers: { 'x-twilio-signature': [DOCUMENTED.signature, 'other='] },
    };
    expect(rejection(() => webhooks.verify(doubled, DOCUMENTED.authToken)).kind).toBe('auth');
    const noUrl = rejection(() => webhooks.verify(request(DOCUMENTED.body, undefined, DOCUMENTED.signature), DOCUMENTED.authToken));
    expect(noUrl).toMatchObject({ kind: 'validation', message: expect.stringContaining('`url`') as unknown });
  });

  it('verifies a JSON body through its bodySHA256 query parameter and rejects a changed body', () => {
    const body = JSON.stringify({ flow: 'FW123', to: '+15558675310' });
    const url = `https://hooks.example.com/studio?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const signature = hmacSignature({ secret: AUTH_TOKEN, payload: url, algorithm: 'sha1', encoding: 'base64' });
    const verified = webhooks.verify(
      { headers: { 'x-twilio-signature': signature, 'i-twilio-idempotency-token': 'idem-1' }, rawBody: body, url },
      AUTH_TOKEN,
    );
    expect(verified).toEqual({ deliveryId: expect.stringMatching(/^signed:[0-9a-f]{32}$/) as unknown, providerEvent: 'json-body' });
    expect(webhooks.parse!(verified, body)).toEqual({ flow: 'FW123', to: '+15558675310' });
    const changed = rejection(() =>
      webhooks.verify({ headers: { 'x-twilio-signature': signature }, rawBody: body.replace('FW123', 'FW124'), url }, AUTH_TOKEN),
    );
    expect(changed).toMatchObject({ kind: 'auth', message: 'twilio: webhook: the body does not match its bodySHA256' });
  });
});

describe('twilio webhooks through the receiver', () => {
  function receiver() {
    const events: { type: string; payload: unknown }[] = [];
    const provider = createTwilio({ authToken: AUTH_TOKEN });
    const store = createMemoryStore();
    const instance = createWebhookReceiver({
      providers: [provider],
      secret: () => AUTH_TOKEN,
      store,
      events: { emit: (type, payload) => events.push({ type, payload }) },
    });
    return {
      receive: (body: string, url: string, signature = sign(url, body)) =>
        instance.receive({ provider: 'twilio', headers: request(body, url, signature).headers, rawBody: body, url }),
      events,
    };
  }

  it('accepts a status callback once per MessageSid and status, reading the form body, and dedupes a replay', async () => {
    const { receive, events } = receiver();
    const delivered = fixture('status-callback.txt');
    const receipt = await receive(delivered, STATUS_URL);
    expect(receipt).toMatchObject({
      outcome: 'accepted',
      reply: undefined,
      event: {
        provider: 'twilio',
        deliveryId: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:delivered',
        providerEvent: 'message-status',
        type: 'other',
        action: 'delivered',
        sender: '+15017122661',
      },
    });
    if (receipt.outcome === 'accepted')
      expect(receipt.event.payload).toMatchObject({
        MessageSid: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        MessageStatus: 'delivered',
        To: '+15558675310',
      });
    expect(await receive(delivered, STATUS_URL)).toEqual({
      outcome: 'duplicate',
      deliveryId: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:delivered',
    });
    const sent = delivered.replaceAll('=delivered', '=sent');
    expect((await receive(sent, STATUS_URL)).outcome).toBe('accepted');
    expect(events.map((event) => event.type)).toEqual(['webhook.received', 'webhook.duplicate', 'webhook.received']);
    expect(JSON.stringify(events)).not.toContain(AUTH_TOKEN);
  });

  it('dedupes a captured JSON or voice delivery resent with a new I-Twilio-Idempotency-Token: the token is not signed', async () => {
    const events: string[] = [];
    const instance = createWebhookReceiver({
      providers: [createTwilio({ authToken: AUTH_TOKEN })],
      secret: () => AUTH_TOKEN,
      store: createMemoryStore(),
      events: { emit: (type) => events.push(type) },
    });
    const body = JSON.stringify({ flow: 'FW123', to: '+15558675310' });
    const url = `https://hooks.example.com/studio?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const signature = hmacSignature({ secret: AUTH_TOKEN, payload: url, algorithm: 'sha1', encoding: 'base64' });
    const json = (token: string) =>
      instance.receive({
        provider: 'twilio',
        headers: { 'x-twilio-signature': signature, 'i-twilio-idempotency-token': token },
        rawBody: body,
        url,
      });
    expect((await json('idem-1')).outcome).toBe('accepted');
    expect((await json('idem-forged-2')).outcome).toBe('duplicate');
    const documented = createWebhookReceiver({
      providers: [createTwilio()],
      secret: () => DOCUMENTED.authToken,
      store: createMemoryStore(),
    });
    const receiveDocumented = (token: string) =>
      documented.receive({
        provider: 'twilio',
        headers: { ...request(DOCUMENTED.body, DOCUMENTED.url, DOCUMENTED.signature).headers, 'i-twilio-idempotency-token': token },
        rawBody: DOCUMENTED.body,
        url: DOCUMENTED.url,
      });
    expect((await receiveDocumented('voice-1')).outcome).toBe('accepted');
    expect((await receiveDocumented('voice-forged-2')).outcome).toBe('duplicate');
    expect(events).toEqual(['webhook.received', 'webhook.duplicate']);
  });

  it('answers an incoming message with empty TwiML as text/xml', async () => {
    const { receive } = receiver();
    const receipt = await receive(fixture('incoming-message.txt'), 'https://hooks.example.com/twilio/sms');
    expect(receipt).toMatchObject({
      outcome: 'accepted',
      event: {
        deliveryId: 'SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
        providerEvent: 'incoming-message',
        action: 'received',
        sender: '+15558675310',
        payload: { Body: 'Hello from the other side!' },
      },
      reply: { status: 200, headers: { 'content-type': 'text/xml' }, body: '<?xml version="1.0" encoding="UTF-8"?><Response/>' },
    });
  });

  it('rejects a forged callback with auth, without using up its delivery id, and never names the token', async () => {
    const { receive, events } = receiver();
    const body = fixture('status-callback.txt');
    const forged = await receive(body, STATUS_URL, sign(STATUS_URL, body, 'attacker-guess-token')).catch(
      (error: unknown) => error as IntegrationError,
    );
    expect(forged).toMatchObject({ kind: 'auth' });
    expect((await receive(body, STATUS_URL)).outcome).toBe('accepted');
    expect(JSON.stringify(events)).not.toContain(AUTH_TOKEN);
  });
});
