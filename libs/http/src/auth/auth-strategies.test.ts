import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactText } from '@switchyard/core';
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

  async function send(auth: AuthStrategy, request: { method?: string; body?: unknown } = {}) {
    const client = createHttpClient({ baseURL: server.url, allowPrivateNetwork: true, auth });
    await client.request({ path: '/whoami', query: { page: 1 }, ...request });
    return server.requests.at(-1)!;
  }

  it('bearerAuth sends the token and registers it as a secret', async () => {
    const recorded = await send(bearerAuth({ token: 'bearer-token-value-1' }));
    expect(recorded.headers.authorization).toBe('Bearer bearer-token-value-1');
    expect(redactText('leaked bearer-token-value-1')).not.toContain('bearer-token-value-1');
  });

  it('bearerAuth resolves the token lazily on each request, with a custom scheme', async () => {
    let calls = 0;
    const auth = bearerAuth({ scheme: 'Bot', getToken: () => Promise.resolve(`lazy-token-${(calls += 1)}-abcdef`) });
    expect(calls).toBe(0);
    expect((await send(auth)).headers.authorization).toBe('Bot lazy-token-1-abcdef');
    expect((await send(auth)).headers.authorization).toBe('Bot lazy-token-2-abcdef');
    expect(redactText('lazy-token-2-abcdef')).toBe('[REDACTED]');
  });

  it('apiKeyAuth sends the key in a header or the query string', async () => {
    expect((await send(apiKeyAuth({ in: 'header', name: 'X-Api-Key', value: 'header-key-123456' }))).headers['x-api-key']).toBe(
      'header-key-123456',
    );
    const recorded = await send(apiKeyAuth({ in: 'query', name: 'key', getValue: () => 'query-key-123456' }));
    expect(recorded.path).toBe('/whoami?page=1&key=query-key-123456');
    expect(redactText('query-key-123456')).toBe('[REDACTED]');
  });

  it('basicAuth encodes user and password', async () => {
    const recorded = await send(basicAuth({ username: 'ACcount', password: 'basic-password-1' }));
    expect(recorded.headers.authorization).toBe(`Basic ${Buffer.from('ACcount:basic-password-1').toString('base64')}`);
    expect(redactText('basic-password-1')).toBe('[REDACTED]');
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
