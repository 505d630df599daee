import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { REDACTED, type Hub } from '@switchyard/core';
import { createMemoryMessagingProvider, createMemoryStorageProvider } from '@switchyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startMcpHttpServer, type McpHttpServer, type McpServerOptions } from './index';
import { connectClient, PLANTED_SECRET, testHub, type FailingProvider } from './mcp-test-hub';

const TOKEN = 'test-token-0123456789';
const PREFER_PRIMARY = { 'switchyard/prefer': ['primary'] };
const putArguments = { bucket: 'reports', key: 'q3.txt', body: 'revenue up', encoding: 'utf8' };

let server: McpHttpServer | undefined;
const clients: Client[] = [];

async function start(options: McpServerOptions = {}): Promise<{ hub: Hub; primary: FailingProvider; client: Client }> {
  const { hub, primary } = testHub();
  server = await startMcpHttpServer({ hub, tokens: [TOKEN], ...options });
  const { client } = await connectClient(server.url, { token: TOKEN });
  clients.push(client);
  return { hub, primary, client };
}

function text(result: CallToolResult): string {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

describe('tools/list', () => {
  it('lists every routed operation with its schemas and annotations', async () => {
    const { client } = await start();
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('storage_put_object');
    expect(names).toContain('storage_get_object');
    const put = tools.find((tool) => tool.name === 'storage_put_object')!;
    expect(put.description).toMatch(/routed across .*primary.*backup|routed across .*backup.*primary/);
    expect(put.inputSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['bucket', 'key', 'body']) as unknown });
    expect(put.outputSchema).toMatchObject({ type: 'object', properties: { etag: { type: 'string' } } });
    expect(put.annotations).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true });
    const get = tools.find((tool) => tool.name === 'storage_get_object')!;
    expect(get.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(get.outputSchema).toMatchObject({ properties: { body: { type: 'string' } } });
  });
});

describe('tools/call', () => {
  it('fails over from a failing primary to the backup, and reads the object back', async () => {
    const { client, primary } = await start();
    const put = (await client.callTool({ name: 'storage_put_object', arguments: putArguments, _meta: PREFER_PRIMARY })) as CallToolResult;
    expect(put.isError).toBeFalsy();
    expect(primary.calls).toEqual(['putObject']);
    expect(put._meta).toMatchObject({
      'switchyard/provider': 'backup',
      'switchyard/failedAttempts': [{ provider: 'primary', kind: 'network' }],
    });
    expect(put.structuredContent).toMatchObject({ bucket: 'reports', key: 'q3.txt' });
    expect(JSON.parse(text(put))).toEqual(put.structuredContent);

    const get = (await client.callTool({
      name: 'storage_get_object',
      arguments: { bucket: 'reports', key: 'q3.txt' },
      _meta: PREFER_PRIMARY,
    })) as CallToolResult;
    expect(get.isError).toBeFalsy();
    expect(get.structuredContent).toMatchObject({ body: 'revenue up', encoding: 'utf8' });

    // Routing arguments in _meta steer the router: without the backup, the write fails.
    const steered = (await client.callTool({
      name: 'storage_put_object',
      arguments: { ...putArguments, key: 'q4.txt' },
      _meta: { 'switchyard/exclude': ['backup'] },
    })) as CallToolResult;
    expect(steered.isError).toBe(true);
  });

  it('answers bad arguments with an isError result naming validation and the field', async () => {
    const { client, primary } = await start();
    const result = (await client.callTool({ name: 'storage_put_object', arguments: { ...putArguments, key: 42 } })) as CallToolResult;
    expect(result.isError).toBe(true);
    const report = JSON.parse(text(result)) as { error: { kind: string; fields: string[]; isRetryable: boolean } };
    expect(report.error).toMatchObject({ kind: 'validation', fields: ['key'], isRetryable: false });
    expect(result._meta?.['switchyard/error']).toEqual(report.error);
    expect(primary.calls).toEqual([]);
  });

  it('answers a provider failure with kind, retryability and attempts, never a protocol error or a secret', async () => {
    const { client } = await start();
    const result = (await client.callTool({
      name: 'storage_put_object',
      arguments: putArguments,
      _meta: { 'switchyard/only': ['primary'] },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    const report = JSON.parse(text(result)) as { error: { kind: string; isRetryable: boolean; attempts: { provider: string }[] } };
    expect(report.error.kind).toBe('network');
    expect(report.error.isRetryable).toBe(true);
    expect(report.error.attempts.map((attempt) => attempt.provider)).toEqual(['primary']);
    const everything = JSON.stringify(result);
    expect(everything).toContain(REDACTED);
    expect(everything).not.toContain(PLANTED_SECRET);
  });

  it('rejects malformed routing arguments in _meta as validation', async () => {
    const { client, primary } = await start();
    const result = (await client.callTool({
      name: 'storage_put_object',
      arguments: putArguments,
      _meta: { 'switchyard/timeoutMs': -5 },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('switchyard/timeoutMs');
    expect(primary.calls).toEqual([]);
  });

  it('answers an unknown tool with an isError result, as the SDK does', async () => {
    const { client } = await start();
    const result = (await client.callTool({ name: 'rm_rf', arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { kind: 'unsupported', message: 'No tool named "rm_rf"' } });
  });
});

describe("tools: 'meta'", () => {
  it('exposes three tools that find, describe and call any other', async () => {
    const { client } = await start({ tools: 'meta' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['search_tools', 'describe_tool', 'call_tool']);

    const found = (await client.callTool({
      name: 'search_tools',
      arguments: { query: 'put object', capability: 'storage' },
    })) as CallToolResult;
    const matches = (found.structuredContent as { tools: { name: string; annotations: object }[] }).tools;
    expect(matches[0]).toMatchObject({ name: 'storage_put_object', annotations: { destructiveHint: true } });
    const none = (await client.callTool({
      name: 'search_tools',
      arguments: { query: 'put object', capability: 'issues' },
    })) as CallToolResult;
    expect(none.structuredContent).toEqual({ tools: [], total: 0 });

    const described = (await client.callTool({ name: 'describe_tool', arguments: { name: 'storage_get_object' } })) as CallToolResult;
    expect(described.structuredContent).toMatchObject({
      name: 'storage_get_object',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object' },
    });

    const called = (await client.callTool({
      name: 'call_tool',
      arguments: { name: 'storage_put_object', arguments: putArguments },
    })) as CallToolResult;
    expect(called.isError).toBeFalsy();
    expect(called.structuredContent).toMatchObject({ bucket: 'reports', key: 'q3.txt' });

    const invalid = (await client.callTool({
      name: 'call_tool',
      arguments: { name: 'storage_get_object', arguments: {} },
    })) as CallToolResult;
    expect(invalid.isError).toBe(true);
    expect(invalid.structuredContent).toMatchObject({
      error: { kind: 'validation', fields: expect.arrayContaining(['bucket']) as unknown },
    });
  });
});

describe('confirmDestructive', () => {
  it('refuses a destructive tool when the client cannot ask the user', async () => {
    const { client, primary } = await start({ confirmDestructive: true });
    const result = (await client.callTool({ name: 'storage_put_object', arguments: putArguments })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result._meta?.['switchyard/error']).toMatchObject({
      kind: 'not_confirmed',
      message: expect.stringMatching(/cannot ask/) as unknown,
    });
    expect(primary.calls).toEqual([]);
    const read = (await client.callTool({ name: 'storage_head_object', arguments: { bucket: 'reports', key: 'none' } })) as CallToolResult;
    expect(read._meta?.['switchyard/error']).toMatchObject({ kind: 'not_found' });
  });

  it('asks through elicitation, runs on accept and refuses on decline', async () => {
    const { hub } = testHub();
    server = await startMcpHttpServer({ hub, tokens: [TOKEN], confirmDestructive: true });
    const { client } = await connectClient(server.url, { token: TOKEN, client: { capabilities: { elicitation: { form: {} } } } });
    clients.push(client);
    const asked: string[] = [];
    let answer: 'accept' | 'decline' = 'decline';
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });

    const declined = (await client.callTool({ name: 'storage_put_object', arguments: putArguments })) as CallToolResult;
    expect(declined._meta?.['switchyard/error']).toMatchObject({
      kind: 'not_confirmed',
      message: expect.stringMatching(/decline/) as unknown,
    });
    answer = 'accept';
    const accepted = (await client.callTool({ name: 'storage_put_object', arguments: putArguments })) as CallToolResult;
    expect(accepted.isError).toBeFalsy();
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(/storage_put_object/);
    // Read-only tools are never gated.
    await client.callTool({ name: 'storage_get_object', arguments: { bucket: 'reports', key: 'q3.txt' } });
    expect(asked).toHaveLength(2);
  });
});

describe('tools/list_changed', () => {
  it('notifies every session when the tools change', async () => {
    const { client } = await start();
    let notifications = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notifications += 1;
    });
    expect(client.getServerCapabilities()?.tools?.listChanged).toBe(true);
    // The client opens its notification stream (GET) on its own after initialize; send until it is there, a bounded number of times.
    for (let attempt = 0; attempt < 100 && notifications === 0; attempt += 1) {
      await server!.toolsChanged();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(notifications).toBeGreaterThan(0);
  });

  it('is sent by itself, once for a burst, when providers are registered or removed', async () => {
    const { hub, client } = await start();
    let notifications = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notifications += 1;
    });
    // Wait until the client's notification stream is open (bounded), then count from zero.
    for (let attempt = 0; attempt < 100 && notifications === 0; attempt += 1) {
      await server!.toolsChanged();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    notifications = 0;

    hub.register(createMemoryMessagingProvider({ id: 'chat' }));
    hub.register(createMemoryStorageProvider({ id: 'third', buckets: ['reports'] }));
    await waitFor(() => notifications > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(notifications).toBe(1);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('messaging_send_message');

    hub.unregister('chat');
    await waitFor(() => notifications > 1);
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('messaging_send_message');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(condition()).toBe(true);
}
