import { createApiKeys, createMemoryStore } from '@switchyard/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { startMcpHttpServer, type McpHttpServer } from './index';
import { connectClient, testHub } from './mcp-test-hub';

const TOKEN = 'http-token-0123456789';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

let server: McpHttpServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
}

describe('startMcpHttpServer', () => {
  it('binds 127.0.0.1 on a free port by default', async () => {
    server = await startMcpHttpServer({ hub: testHub().hub, tokens: [TOKEN] });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('answers 401 with WWW-Authenticate: Bearer and no detail, without or with a wrong token', async () => {
    server = await startMcpHttpServer({ hub: testHub().hub, tokens: [TOKEN, 'another-token'] });
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
    ];
    for (const headers of refused) {
      const response = await post(JSON.stringify(initialize), headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = await response.text();
      expect(body).not.toMatch(/token|expected|another/i);
    }
    expect((await post(JSON.stringify(initialize), { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await post(JSON.stringify(initialize), { authorization: 'bearer another-token' })).status).toBe(200);
    await expect(connectClient(server.url, { token: 'wrong' })).rejects.toThrow();
  });

  it('takes API keys from the store: execute scope in, read-only 403, revoked 401, and a session stays its key’s', async () => {
    const keys = createApiKeys(createMemoryStore(), { cacheTtlMs: 0 });
    const agent = await keys.issue({ name: 'agent', scopes: ['execute'] });
    const other = await keys.issue({ name: 'other agent', scopes: ['admin'] });
    const reader = await keys.issue({ name: 'dashboard', scopes: ['read'] });
    const revoked = await keys.issue({ name: 'leaked', scopes: ['execute'] });
    await keys.revoke(revoked.record.id);
    server = await startMcpHttpServer({ hub: testHub().hub, verifyKey: (key) => keys.verify(key, 'execute') });

    const { client, transport } = await connectClient(server.url, { token: agent.key });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expect((await post(JSON.stringify(initialize), { authorization: `Bearer ${reader.key}` })).status).toBe(403);
    expect((await post(JSON.stringify(initialize), { authorization: `Bearer ${revoked.key}` })).status).toBe(401);
    expect((await post(JSON.stringify(initialize), {})).status).toBe(401);
    // Another valid key cannot use this session.
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
    const hijack = await post(list, {
      authorization: `Bearer ${other.key}`,
      'mcp-session-id': transport.sessionId!,
      'mcp-protocol-version': '2025-06-18',
    });
    expect(hijack.status).toBe(404);
    await client.close();
  });

  it('answers 403 to an Origin not allowed, and serves an allowed one', async () => {
    server = await startMcpHttpServer({ hub: testHub().hub, tokens: [TOKEN], allowedOrigins: ['https://app.example.test'] });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await post(JSON.stringify(initialize), { ...auth, origin: 'https://evil.example.test' })).status).toBe(403);
    expect((await post(JSON.stringify(initialize), { ...auth, origin: 'https://app.example.test' })).status).toBe(200);
  });

  it('answers 413 to a body over maxBodyBytes, and takes one under it', async () => {
    server = await startMcpHttpServer({ hub: testHub().hub, tokens: [TOKEN], maxBodyBytes: 4096 });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const padded = { ...initialize, params: { ...initialize.params, clientInfo: { name: 'x'.repeat(5000), version: '0' } } };
    expect((await post(JSON.stringify(padded), auth)).status).toBe(413);
    expect((await post(JSON.stringify(initialize), auth)).status).toBe(200);
  });

  it('defaults maxBodyBytes to 1 MiB', async () => {
    server = await startMcpHttpServer({ hub: testHub().hub, tokens: [TOKEN] });
    const big = JSON.stringify({ ...initialize, params: { ...initialize.params, padding: 'x'.repeat(1024 * 1024) } });
    expect((await post(big, { authorization: `Bearer ${TOKEN}` })).status).toBe(413);
  });

  it('keeps one session per client and ends it on DELETE', async () => {
    server = await startMcpHttpServer({ hub: testHub().hub, tokens: [TOKEN] });
    const { client, transport } = await connectClient(server.url, { token: TOKEN });
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.sessionCount).toBe(1);
    await client.listTools();
    await transport.terminateSession();
    expect(server.sessionCount).toBe(0);
    const stale = await post(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), {
      authorization: `Bearer ${TOKEN}`,
      'mcp-session-id': transport.sessionId ?? 'ended',
    });
    expect(stale.status).toBe(404);
    await client.close();
  });

  it('refuses to listen beyond loopback without a token', async () => {
    await expect(startMcpHttpServer({ hub: testHub().hub, host: '0.0.0.0' })).rejects.toThrow(/needs at least one bearer token/);
  });

  it('closes its sessions on close()', async () => {
    server = await startMcpHttpServer({ hub: testHub().hub, tokens: [TOKEN] });
    const { client } = await connectClient(server.url, { token: TOKEN });
    const closed = new Promise<void>((resolve) => {
      client.onclose = () => resolve();
    });
    await server.close();
    expect(server.sessionCount).toBe(0);
    await client.close();
    await closed;
  });
});
