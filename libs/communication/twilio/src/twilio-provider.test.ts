import { redact, redactText } from '@switchyard/core';
import { createCallContext, expectSecretsKeptPrivately, testProvider } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from './__peers__/twilio-fake';
import { createTwilio, type TwilioProviderSettings } from './index';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-fake-auth-token-7c1e';
const FROM = '+15017122661';
const RECIPIENT = '+15558675310';
let fake: TwilioFake;

beforeAll(async () => {
  fake = await startTwilioFake({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    apiKey: { apiKeySid: 'SK0123456789abcdef0123456789abcdef', apiKeySecret: 'api-key-secret-9f2b' },
  });
});
afterAll(async () => {
  await fake.close();
});

const settings = (overrides: TwilioProviderSettings = {}): TwilioProviderSettings => ({
  baseURL: fake.url,
  accountSid: ACCOUNT_SID,
  authToken: AUTH_TOKEN,
  from: FROM,
  allowPrivateNetwork: true,
  ...overrides,
});
const send = (overrides: TwilioProviderSettings, input: unknown, context = createCallContext()) =>
  createTwilio(settings(overrides)).execute({ capability: 'messaging', operation: 'sendMessage', input }, context);

testProvider({
  id: 'twilio',
  category: 'communication',
  create: () => createTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM }),
});

// The messaging contract suite runs in twilio-prism.test.ts, through Prism checking every exchange against Twilio's
// official OpenAPI description in front of this fake. The tests here talk to the fake directly: they assert what the
// description cannot judge (Twilio's error codes, the test credentials' magic numbers, which headers and form fields
// are sent, settings and environment variables).

describe('createTwilio settings', () => {
  const names = ['TWILIO_BASE_URL', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] as const;
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('talks to api.twilio.com by default, else TWILIO_BASE_URL, else settings, without trailing slashes', () => {
    delete process.env.TWILIO_BASE_URL;
    expect(createTwilio().baseURL).toBe('https://api.twilio.com');
    process.env.TWILIO_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createTwilio().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createTwilio({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe('http://127.0.0.1:9/from-settings');
  });

  it('reads TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, and fails with auth naming them when they are missing', async () => {
    delete process.env.TWILIO_ACCOUNT_SID;
    delete process.env.TWILIO_AUTH_TOKEN;
    const bare = createTwilio({ baseURL: fake.url, from: FROM, allowPrivateNetwork: true });
    expect(bare.isConfigured()).toBe(false);
    await expect(
      bare.execute(
        { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'phone', number: RECIPIENT }, text: 'hi' } },
        createCallContext(),
      ),
    ).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('TWILIO_ACCOUNT_SID') as unknown,
    });
    process.env.TWILIO_ACCOUNT_SID = ACCOUNT_SID;
    await expect(
      bare.execute(
        { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'phone', number: RECIPIENT }, text: 'hi' } },
        createCallContext(),
      ),
    ).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('TWILIO_AUTH_TOKEN') as unknown,
    });
    process.env.TWILIO_AUTH_TOKEN = AUTH_TOKEN;
    const fromEnvironment = createTwilio({ baseURL: fake.url, from: FROM, allowPrivateNetwork: true });
    expect(fromEnvironment.isConfigured()).toBe(true);
    expect(redactText(`signed with ${AUTH_TOKEN}`, fromEnvironment.secrets), 'kept in its secrets').toBe('signed with [REDACTED]');
    await expect(
      fromEnvironment.execute(
        { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'phone', number: RECIPIENT }, text: 'hi' } },
        createCallContext(),
      ),
    ).resolves.toMatchObject({ text: 'hi' });
  });

  it('holds its secrets in its secret set, never in a property', () => {
    const planted = { authToken: 'planted-auth-token-0f3c', apiKeySecret: 'planted-api-key-secret-6a1d' };
    const twilio = createTwilio(
      settings({
        authToken: planted.authToken,
        apiKey: { apiKeySid: 'SK0123456789abcdef0123456789abcdef', apiKeySecret: planted.apiKeySecret },
      }),
    );
    expectSecretsKeptPrivately(twilio, Object.values(planted));
    expect('webhookSecret' in twilio).toBe(false);
    expect(redact({ 'X-Twilio-Signature': 'bm90LWEtc2lnbmF0dXJl' }, twilio.secrets)).toEqual({ 'X-Twilio-Signature': '[REDACTED]' });
  });

  it('needs a sender: not configured without from or messagingServiceSid, and a call fails with validation before any request', async () => {
    const provider = createTwilio(settings({ from: undefined }));
    expect(provider.isConfigured()).toBe(false);
    const before = fake.requests.length;
    await expect(send({ from: undefined }, { recipient: { kind: 'phone', number: RECIPIENT }, text: 'hi' })).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('messagingServiceSid') as unknown,
    });
    expect(fake.requests.length).toBe(before);
  });

  it('sends To, From, Body and StatusCallback form-encoded with basic auth, and the idempotency key as I-Twilio-Idempotency-Token', async () => {
    const context = { ...createCallContext(), idempotencyKey: 'notify-team-42' };
    const sent = (await send(
      { statusCallback: 'https://hooks.example.com/twilio/status' },
      { recipient: { kind: 'phone', number: RECIPIENT }, text: 'Deploy 42 finished' },
      context,
    )) as { messageId: string };
    const request = fake.requests.at(-1)!;
    expect(request).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
      username: ACCOUNT_SID,
      idempotencyToken: 'notify-team-42',
      form: { To: RECIPIENT, From: FROM, Body: 'Deploy 42 finished', StatusCallback: 'https://hooks.example.com/twilio/status' },
    });
    expect(request.contentType).toContain('application/x-www-form-urlencoded');
    expect(sent.messageId).toMatch(/^SM[0-9a-f]{32}$/);
    await send({}, { recipient: { kind: 'phone', number: RECIPIENT }, text: 'no key' });
    expect(fake.requests.at(-1)!.idempotencyToken).toBeUndefined();
  });

  it('sends through a Messaging Service and authenticates with an API key instead of the auth token', async () => {
    await send(
      {
        from: undefined,
        messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
        authToken: undefined,
        apiKey: { apiKeySid: 'SK0123456789abcdef0123456789abcdef', apiKeySecret: 'api-key-secret-9f2b' },
      },
      { recipient: { kind: 'phone', number: RECIPIENT }, text: 'via service' },
    );
    const request = fake.requests.at(-1)!;
    expect(request.username).toBe('SK0123456789abcdef0123456789abcdef');
    expect(request.form).toEqual({ To: RECIPIENT, Body: 'via service', MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef' });
  });

  it('sends only the plain text of a message with blocks, and refuses other recipient kinds as unsupported', async () => {
    const sent = await send(
      {},
      { recipient: { kind: 'phone', number: RECIPIENT }, text: 'Deploy finished', blocks: [{ type: 'section', text: 'Deploy *42*' }] },
    );
    expect(sent).toMatchObject({ text: 'Deploy finished', channelId: RECIPIENT });
    expect(fake.requests.at(-1)!.form.Body).toBe('Deploy finished');
    await expect(send({}, { recipient: { kind: 'channel', id: 'C0123' }, text: 'hi' })).rejects.toMatchObject({
      kind: 'unsupported',
      isRetryable: false,
    });
  });

  it('refuses a body over 1,600 characters with validation before sending (Twilio error 21617)', async () => {
    const before = fake.requests.length;
    await expect(send({}, { recipient: { kind: 'phone', number: RECIPIENT }, text: 'x'.repeat(1601) })).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('21617') as unknown,
    });
    expect(fake.requests.length).toBe(before);
  });

  it("maps the test credentials' magic numbers to validation, quoting Twilio's message", async () => {
    const invalid = send({}, { recipient: { kind: 'phone', number: '+15005550001' }, text: 'hi' });
    await expect(invalid).rejects.toMatchObject({
      kind: 'validation',
      statusCode: 400,
      isRetryable: false,
      message: expect.stringContaining('is not a valid phone number') as unknown,
    });
    await expect(send({}, { recipient: { kind: 'phone', number: '+15005550004' }, text: 'hi' })).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('unsubscribed') as unknown,
    });
  });

  it('reports delivery through getMessageStatus, and not_found for an unknown SID', async () => {
    const provider = createTwilio(settings());
    const sent = (await send({}, { recipient: { kind: 'phone', number: RECIPIENT }, text: 'track me' })) as { messageId: string };
    const getMessageStatus = provider.operations.getMessageStatus!;
    expect(await getMessageStatus.execute({ messageId: sent.messageId }, createCallContext())).toMatchObject({
      messageId: sent.messageId,
      status: 'queued',
      to: RECIPIENT,
    });
    fake.setStatus(sent.messageId, 'undelivered', 30003);
    const status = getMessageStatus.output.parse(await getMessageStatus.execute({ messageId: sent.messageId }, createCallContext())) as {
      updatedAt?: string;
    };
    expect(status).toMatchObject({ status: 'undelivered', errorCode: '30003', errorMessage: 'Error 30003' });
    expect(status.updatedAt).toMatch(/Z$/);
    await expect(getMessageStatus.execute({ messageId: `SM${'0'.repeat(32)}` }, createCallContext())).rejects.toMatchObject({
      kind: 'not_found',
      statusCode: 404,
    });
    await expect(getMessageStatus.execute({ messageId: 'not-a-sid' }, createCallContext())).rejects.toMatchObject({ kind: 'validation' });
  });

  it('checks health on the account resource and maps a wrong auth token to auth without leaking it', async () => {
    await createTwilio(settings()).healthCheck({ signal: new AbortController().signal });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: `/2010-04-01/Accounts/${ACCOUNT_SID}.json` });
    const wrong = createTwilio(settings({ authToken: 'wrong-auth-token-0000' }));
    const error = await wrong.healthCheck({ signal: new AbortController().signal }).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error).toMatchObject({ kind: 'auth', statusCode: 401 });
    expect(JSON.stringify(error)).not.toContain('wrong-auth-token-0000');
  });
});
