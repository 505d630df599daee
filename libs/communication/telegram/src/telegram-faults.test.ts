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
import { createTelegram } from './index';

// The token travels in the URL path (/bot<token>/sendMessage): the fault suite plants it and checks that no
// part of it shows in any error.
const TOKEN = '123456789:AAFaultServerTokenForTelegramTests';
const ROUTE = `POST /bot${TOKEN}/sendMessage`;
const sendMessage = {
  capability: 'messaging',
  operation: 'sendMessage',
  input: { recipient: { kind: 'chat', id: '424242' }, text: 'Deploy 42 finished' },
} as const;
let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const telegramAt = (baseURL: string) => createTelegram({ baseURL, token: TOKEN, allowPrivateNetwork: true });

testProviderFaults({
  provider: 'telegram',
  create: telegramAt,
  request: sendMessage,
  route: ROUTE,
  errorAnswer: (status, message) => ({ body: { ok: false, error_code: status, description: message } }),
  secrets: [TOKEN],
});

async function failure(answer: FaultResponse): Promise<IntegrationError> {
  server = await startFaultServer({ [ROUTE]: answer });
  return integrationErrorOf(telegramAt(server.url).execute(sendMessage, createCallContext()));
}

describe('telegram error envelope', () => {
  it('takes the wait of a 429 from parameters.retry_after (Telegram sends no Retry-After header)', async () => {
    const limited = await failure({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 35', parameters: { retry_after: 35 } },
    });
    expect(limited).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 35_000, isRetryable: true });
    expect(limited.message).toContain('retry after 35');
  });

  it('classifies a 200 with ok: false (as telegram-test-api answers) by its error_code, hint included', async () => {
    const missing = await failure({ status: 200, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
    expect(missing).toMatchObject({ kind: 'not_found', statusCode: 400, isRetryable: false, provider: 'telegram' });
    expect(missing.message).toContain('chat not found');
  });

  it('refuses a sent Message without message_id with a provider error naming the field', async () => {
    const malformed = await failure({ status: 200, body: { ok: true, result: { chat: { id: 424242 }, date: 1_700_000_000 } } });
    expect(malformed).toMatchObject({ kind: 'provider', provider: 'telegram' });
    expect(malformed.message).toContain('result.message_id');
    expect(malformed.message).not.toContain(TOKEN);
  });
});

describe('telegram in the hub', () => {
  it('lets the hub send once through another provider when Telegram answers 5xx', async () => {
    server = await startFaultServer({ [ROUTE]: { status: 503, body: { ok: false, error_code: 503, description: 'Service Unavailable' } } });
    const backup = createMemoryMessagingProvider({ id: 'backup' });
    const hub = createHub({ providers: [telegramAt(server.url), backup] });
    const sent = await hub.messaging.sendMessage(sendMessage.input, { prefer: ['telegram'] });
    expect(sent.text).toBe('Deploy 42 finished');
    // Telegram was tried once (a send is not retried blindly), then the backup took it.
    expect(server.requests).toHaveLength(1);
    await expect(
      backup.execute(
        { capability: 'messaging', operation: 'deleteMessage', input: { channelId: sent.channelId, messageId: sent.messageId } },
        createCallContext(),
      ),
    ).resolves.toBeDefined();
  });
});
