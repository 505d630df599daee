import { readFileSync } from 'node:fs';
import { createHub, type IntegrationError } from '@switchyard/core';
import {
  createCallContext,
  createMemoryMessagingProvider,
  startFaultServer,
  testProviderFaults,
  type FaultResponse,
  type FaultServer,
  integrationErrorOf,
} from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilio } from './index';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'fault-auth-token-31b7';
const MESSAGES_ROUTE = `POST /2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const ERRORS = JSON.parse(readFileSync(new URL('./__fixtures__/errors.json', import.meta.url), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;
const MESSAGE = JSON.parse(readFileSync(new URL('./__fixtures__/message.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const sendMessage = {
  capability: 'messaging',
  operation: 'sendMessage',
  input: { recipient: { kind: 'phone', number: '+15558675310' }, text: 'Deploy 42 finished' },
} as const;
let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const twilioAt = (url: string) =>
  createTwilio({ baseURL: url, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15017122661', allowPrivateNetwork: true });

/** Twilio's error envelope, with the code Twilio gives each status (20003 for 401, else 20000 + status: 20429, 20500, …). */
function twilioErrorAnswer(status: number, message: string) {
  const code = status === 401 ? 20003 : 20_000 + status;
  return { body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

testProviderFaults({
  provider: 'twilio',
  create: twilioAt,
  request: sendMessage,
  route: MESSAGES_ROUTE,
  errorAnswer: twilioErrorAnswer,
  secrets: [AUTH_TOKEN],
});

async function failure(answer: FaultResponse): Promise<IntegrationError> {
  await server?.close();
  server = await startFaultServer({ [MESSAGES_ROUTE]: answer });
  return integrationErrorOf(twilioAt(server.url).execute(sendMessage, createCallContext()));
}

describe('twilio error envelope', () => {
  it('maps 400 with 21211 (invalid To), 21608 (unverified number on a trial account) and 21610 (unsubscribed) to validation, quoting Twilio and keeping the code', async () => {
    const invalid = await failure({ status: 400, body: ERRORS.invalidTo });
    expect(invalid).toMatchObject({
      kind: 'validation',
      statusCode: 400,
      isRetryable: false,
      details: { twilioCode: 21211, moreInfo: 'https://www.twilio.com/docs/errors/21211' },
    });
    expect(invalid.message).toContain("The 'To' number +15005550001 is not a valid phone number. (Twilio error 21211)");
    expect(await failure({ status: 400, body: ERRORS.unverified })).toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('unverified') as unknown,
      details: { twilioCode: 21608 },
    });
    expect(await failure({ status: 400, body: ERRORS.unsubscribed })).toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('unsubscribed') as unknown,
      details: { twilioCode: 21610 },
    });
  });

  it('maps 429 (20429) to rate_limit keeping the code, and a body that is not the envelope by its status alone', async () => {
    expect(await failure({ status: 429, headers: { 'retry-after': '7' }, body: ERRORS.tooManyRequests })).toMatchObject({
      kind: 'rate_limit',
      retryAfterMs: 7000,
      details: { twilioCode: 20429 },
    });
    const plain = await failure({ status: 503, body: 'Service Unavailable' });
    expect(plain).toMatchObject({ kind: 'provider', statusCode: 503, isRetryable: true });
    expect(plain.details).toBeUndefined();
  });

  it('refuses a Message without sid with a provider error naming the field', async () => {
    const withoutSid = { ...MESSAGE };
    delete withoutSid.sid;
    const missing = await failure({ status: 201, body: withoutSid });
    expect(missing).toMatchObject({ kind: 'provider', provider: 'twilio' });
    expect(missing.message).toContain('"sid"');
  });

  it("takes the documented Message resource's date_created as the timestamp", async () => {
    server = await startFaultServer({ [MESSAGES_ROUTE]: { status: 201, body: MESSAGE } });
    expect(await twilioAt(server.url).execute(sendMessage, createCallContext())).toEqual({
      messageId: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      channelId: '+15558675310',
      text: 'Hi there',
      timestamp: '2023-08-24T05:01:45.000Z',
    });
  });
});

describe('twilio in the hub', () => {
  it('fails over to another SMS provider when Twilio answers 503, and sends once', async () => {
    server = await startFaultServer({ [MESSAGES_ROUTE]: { status: 503, body: ERRORS.internal } });
    const spare = createMemoryMessagingProvider({ id: 'spare-sms' });
    const hub = createHub({ providers: [twilioAt(server.url), spare], routing: { providers: { twilio: { weight: 100 } } } });
    const sent = await hub.messaging.sendMessage(sendMessage.input);
    expect(sent).toMatchObject({ channelId: '+15558675310', text: 'Deploy 42 finished' });
    expect(server.requests.filter((request) => request.method === 'POST').length).toBe(1);
  });
});
