import { createHub, type IntegrationError } from '@switchyard/core';
import { createCallContext, createMemoryMessagingProvider, startFaultServer, type FaultResponse, type FaultServer } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegram } from './index';

const TOKEN = '123456789:AAFaultServerTokenForTelegramTests';
const PATH = `POST /bot${TOKEN}/sendMessage`;
const sendMessage = { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'chat', id: '424242' }, text: 'Deploy 42 finished' } } as const;
let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(answer: FaultResponse, signal?: AbortSignal): Promise<IntegrationError> {
  server = await startFaultServer({ [PATH]: answer });
  const telegram = createTelegram({ baseURL: server.url, token: TOKEN, allowPrivateNetwork: true });
  return telegram.execute(sendMessage, createCallContext(signal === undefined ? {} : { signal })).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as IntegrationError,
  );
}

describe('telegram under faults', () => {
  it('maps a 502 to a retryable provider error', async () => {
    expect(await failure({ status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } })).toMatchObject({ kind: 'provider', statusCode: 502, isRetryable: true });
  });

  it('takes the wait of a 429 from parameters.retry_after (Telegram sends no Retry-After header)', async () => {
    const limited = await failure({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 35', parameters: { retry_after: 35 } } });
    expect(limited).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 35_000 });
    expect(limited.message).toContain('retry after 35');
  });

  it('maps a reset connection to network, a malformed body to provider, and a slow answer past the deadline to timeout', async () => {
    expect(await failure({ fault: 'reset' })).toMatchObject({ kind: 'network' });
    await server?.close();
    expect(await failure({ fault: 'malformed-json' })).toMatchObject({ kind: 'provider' });
    await server?.close();
    expect(await failure({ delayMs: 2_000, body: {} }, AbortSignal.timeout(100))).toMatchObject({ kind: 'timeout' });
  });

  it('never shows the token from the URL path in any of these errors', async () => {
    for (const answer of [{ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } }, { fault: 'reset' as const }, { fault: 'malformed-json' as const }]) {
      const error = await failure(answer);
      expect(`${error.message} ${String(error.cause)} ${error.stack ?? ''}`).not.toContain(TOKEN.split(':')[1]);
      await server?.close();
      server = undefined;
    }
  });

  it('lets the hub send once through another provider when Telegram answers 5xx', async () => {
    server = await startFaultServer({ [PATH]: { status: 503, body: { ok: false, error_code: 503, description: 'Service Unavailable' } } });
    const backup = createMemoryMessagingProvider({ id: 'backup' });
    const hub = createHub({ providers: [createTelegram({ baseURL: server.url, token: TOKEN, allowPrivateNetwork: true }), backup] });
    const sent = await hub.messaging.sendMessage(sendMessage.input, { prefer: ['telegram'] });
    expect(sent.text).toBe('Deploy 42 finished');
    // Telegram was tried once (a send is not retried blindly), then the backup took it.
    expect(server.requests).toHaveLength(1);
    await expect(backup.execute({ capability: 'messaging', operation: 'deleteMessage', input: { channelId: sent.channelId, messageId: sent.messageId } }, createCallContext())).resolves.toBeDefined();
  });
});
