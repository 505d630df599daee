import { readFileSync } from 'node:fs';
import { createHub, type IntegrationError } from '@switchyard/core';
import { createCallContext, createMemoryMessagingProvider, startFaultServer, type FaultResponse, type FaultServer } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilio } from './index';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const MESSAGES_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const ERRORS = JSON.parse(readFileSync(new URL('./__fixtures__/errors.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
const MESSAGE = JSON.parse(readFileSync(new URL('./__fixtures__/message.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const sendMessage = { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'phone', number: '+15558675310' }, text: 'Deploy 42 finished' } } as const;
let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const twilioAt = (url: string) => createTwilio({ baseURL: url, accountSid: ACCOUNT_SID, authToken: 'fault-auth-token-31b7', from: '+15017122661', allowPrivateNetwork: true });

async function failure(answer: FaultResponse): Promise<IntegrationError> {
  await server?.close();
  server = await startFaultServer({ [`POST ${MESSAGES_PATH}`]: answer });
  return twilioAt(server.url)
    .execute(sendMessage, createCallContext())
    .then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: unknown) => error as IntegrationError,
    );
}

describe('twilio error mapping', () => {
  it('maps 429 (20429) with Retry-After to a retryable rate_limit with the wait', async () => {
    expect(await failure({ status: 429, headers: { 'retry-after': '7' }, body: ERRORS.tooManyRequests })).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 7000, isRetryable: true, provider: 'twilio' });
  });

  it('maps 401 (20003) to auth, not retryable', async () => {
    expect(await failure({ status: 401, body: ERRORS.unauthorized })).toMatchObject({ kind: 'auth', statusCode: 401, isRetryable: false });
  });

  it('maps 400 with 21211 (invalid To), 21608 (unverified number on a trial account) and 21610 (unsubscribed) to validation, quoting Twilio', async () => {
    const invalid = await failure({ status: 400, body: ERRORS.invalidTo });
    expect(invalid).toMatchObject({ kind: 'validation', statusCode: 400, isRetryable: false, details: { twilioCode: 21211 } });
    expect(invalid.message).toContain("The 'To' number +15005550001 is not a valid phone number. (Twilio error 21211)");
    expect(await failure({ status: 400, body: ERRORS.unverified })).toMatchObject({ kind: 'validation', message: expect.stringContaining('unverified') as unknown });
    expect(await failure({ status: 400, body: ERRORS.unsubscribed })).toMatchObject({ kind: 'validation', message: expect.stringContaining('unsubscribed') as unknown });
  });

  it('maps 404 (20404) to not_found and 5xx to a retryable provider error', async () => {
    expect(await failure({ status: 404, body: ERRORS.notFound })).toMatchObject({ kind: 'not_found', statusCode: 404 });
    expect(await failure({ status: 500, body: ERRORS.internal })).toMatchObject({ kind: 'provider', statusCode: 500, isRetryable: true });
    expect(await failure({ status: 503, body: 'Service Unavailable' })).toMatchObject({ kind: 'provider', statusCode: 503 });
  });

  it('maps a reset connection to network, a malformed body to provider, and a message without sid to provider naming the field', async () => {
    expect(await failure({ fault: 'reset' })).toMatchObject({ kind: 'network' });
    expect(await failure({ fault: 'malformed-json' })).toMatchObject({ kind: 'provider' });
    const withoutSid = { ...MESSAGE };
    delete withoutSid.sid;
    const missing = await failure({ status: 201, body: withoutSid });
    expect(missing).toMatchObject({ kind: 'provider' });
    expect(missing.message).toContain('sid');
  });

  it("takes the documented Message resource's date_created as the timestamp", async () => {
    server = await startFaultServer({ [`POST ${MESSAGES_PATH}`]: { status: 201, body: MESSAGE } });
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
    server = await startFaultServer({ [`POST ${MESSAGES_PATH}`]: { status: 503, body: ERRORS.internal } });
    const spare = createMemoryMessagingProvider({ id: 'spare-sms' });
    const hub = createHub({ providers: [twilioAt(server.url), spare], routing: { providers: { twilio: { weight: 100 } } } });
    const sent = await hub.messaging.sendMessage(sendMessage.input);
    expect(sent).toMatchObject({ channelId: '+15558675310', text: 'Deploy 42 finished' });
    expect(server.requests.filter((request) => request.method === 'POST').length).toBe(1);
  });
});
