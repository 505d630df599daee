import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redactText, SecretSet } from '@switchyard/core';
import { startFaultServer, type FaultServer } from '@switchyard/testing';
import { apiKeyAuth, basicAuth, bearerAuth, createHttpClient, signedRequestAuth, type AuthStrategy } from '../index';

describe('auth strategies', () => {
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer({ '/whoami': { body: { ok: true } } });
  });

  afterAll(async () => {
    await server.close();
  });

  /** The client's secrets, shared by every request of a test, as a provider's set would be. */
  let secrets = new SecretSet();

  beforeEach(() => {
    secrets = new SecretSet();
  });

  async function send(auth: AuthStrategy, request: { method?: string; body?: unknown } = {}) {
    const client = createHttpClient({ baseURL: server.url, allowPrivateNetwork: true, auth, secrets });
    await client.request({ path: '/whoami', query: { page: 1 }, ...request });
    return server.requests.at(-1)!;
  }

  it('bearerAuth sends the token and keeps it in the client’s secrets', async () => {
    const recorded = await send(bearerAuth({ token: 'bearer-token-value-1' }));
    expect(recorded.headers.authorization).toBe('Bearer bearer-token-value-1');
    expect(redactText('leaked bearer-token-value-1', secrets)).toBe('leaked [REDACTED]');
    // Nothing is process-wide: a set the token was never given does not know it.
    expect(redactText('leaked bearer-token-value-1', new SecretSet())).toBe('leaked bearer-token-value-1');
    await send(bearerAuth({ token: 'bearer-token-value-1' }));
    expect(secrets.size).toBe(1);
  });

  it('bearerAuth resolves the token lazily on each request, with a custom scheme; a new token replaces the old one', async () => {
    let calls = 0;
    const auth = bearerAuth({ scheme: 'Bot', getToken: () => Promise.resolve(`lazy-token-${(calls += 1)}-abcdef`) });
    expect(calls).toBe(0);
    expect((await send(auth)).headers.authorization).toBe('Bot lazy-token-1-abcdef');
    expect((await send(auth)).headers.authorization).toBe('Bot lazy-token-2-abcdef');
    expect(redactText('lazy-token-2-abcdef', secrets)).toBe('[REDACTED]');
    expect(redactText('lazy-token-1-abcdef', secrets)).toBe('lazy-token-1-abcdef');
    expect(secrets.size).toBe(1);
  });

  it('apiKeyAuth sends the key in a header or the query string', async () => {
    expect((await send(apiKeyAuth({ in: 'header', name: 'X-Api-Key', value: 'header-key-123456' }))).headers['x-api-key']).toBe(
      'header-key-123456',
    );
    const recorded = await send(apiKeyAuth({ in: 'query', name: 'key', getValue: () => 'query-key-123456' }));
    expect(recorded.path).toBe('/whoami?page=1&key=query-key-123456');
    expect(redactText('header-key-123456 query-key-123456', secrets)).toBe('[REDACTED] [REDACTED]');
  });

  it('basicAuth encodes user and password', async () => {
    const recorded = await send(basicAuth({ username: 'ACcount', password: 'basic-password-1' }));
    const encoded = Buffer.from('ACcount:basic-password-1').toString('base64');
    expect(recorded.headers.authorization).toBe(`Basic ${encoded}`);
    expect(redactText(`basic-password-1 ${encoded}`, secrets)).toBe('[REDACTED] [REDACTED]');
  });

  it('basicAuth without a password keeps the user name (an API key) secret', async () => {
    const recorded = await send(basicAuth({ username: 'sk-user-name-key-1' }));
    expect(recorded.headers.authorization).toBe(`Basic ${Buffer.from('sk-user-name-key-1:').toString('base64')}`);
    expect(redactText('sk-user-name-key-1', secrets)).toBe('[REDACTED]');
  });

  it('rejects with an auth error when a secret is missing, without sending', async () => {
    const before = server.requests.length;
    await expect(send(bearerAuth({ getToken: () => '' }))).rejects.toMatchObject({ kind: 'auth', isRetryable: false });
    expect(server.requests.length).toBe(before);
  });

  it('signedRequestAuth signs the method, path and body', async () => {
    const secret = 'signing-secret-xyz';
    const auth = signedRequestAuth((request) => {
      const payload = `${request.method}\n${request.path}\n${typeof request.body === 'string' ? request.body : ''}`;
      return { headers: { 'x-signature': createHmac('sha256', secret).update(payload).digest('hex') } };
    });
    const recorded = await send(auth, { method: 'POST', body: { amount: 5 } });
    const expected = createHmac('sha256', secret).update(`POST\n/whoami?page=1\n{"amount":5}`).digest('hex');
    expect(recorded.headers['x-signature']).toBe(expected);
  });
});
