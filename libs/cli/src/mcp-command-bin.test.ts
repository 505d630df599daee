import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/** The built bin, as an MCP client's config runs it. */
const bin = join(import.meta.dirname, '..', 'dist', 'cli.js');
const directories: string[] = [];
const DEMO_ONLY = { 'switchyard/only': ['memory-primary', 'memory-backup'] };
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Spawns the built bin with `args` in a fresh directory and connects the SDK's client over stdio. */
async function spawnMcp(args: readonly string[]): Promise<{ readonly client: Client; readonly stderr: string[] }> {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-mcp-'));
  directories.push(directory);
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, 'mcp', ...args],
    cwd: directory,
    env: { ...(process.env as Record<string, string>), SWITCHYARD_DATABASE_URL: '' },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const client = new Client({ name: 'switchyard-cli-test', version: '0.0.0' });
  clients.push(client);
  // Anything but protocol on stdout would fail the client's parsing and this connect.
  await client.connect(transport);
  return { client, stderr };
}

describe('switchyard mcp (stdio)', () => {
  it('serves the hub as MCP tools to the SDK client over stdio', async () => {
    const { client, stderr } = await spawnMcp(['--demo']);

    const { tools } = await client.listTools();
    const put = tools.find((tool) => tool.name === 'storage_put_object');
    expect(put?.description).toMatch(/memory-primary/);
    expect(put?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });

    const stored = (await client.callTool({
      name: 'storage_put_object',
      arguments: { bucket: 'reports', key: 'agents.txt', body: 'hello from an agent', encoding: 'utf8' },
      // Installed provider packages (the workspace's, without credentials here) are tools too; keep to the demo ones.
      _meta: DEMO_ONLY,
    })) as CallToolResult;
    expect(stored.isError, JSON.stringify(stored)).toBeFalsy();
    expect(stored.structuredContent).toMatchObject({ bucket: 'reports', key: 'agents.txt' });

    const read = (await client.callTool({
      name: 'storage_get_object',
      arguments: { bucket: 'reports', key: 'agents.txt' },
    })) as CallToolResult;
    expect(read.structuredContent).toMatchObject({ body: 'hello from an agent' });
    expect(stderr.join('')).toMatch(/Switchyard MCP server on stdio/);
  }, 30_000);

  it('with --meta --confirm-destructive: three meta-tools, and a destructive call refused for a client that cannot confirm', async () => {
    const { client } = await spawnMcp(['--demo', '--meta', '--confirm-destructive']);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['call_tool', 'describe_tool', 'search_tools']);

    const found = (await client.callTool({ name: 'search_tools', arguments: { query: 'put object' } })) as CallToolResult;
    expect(JSON.stringify(found.structuredContent)).toContain('storage_put_object');
    const refused = (await client.callTool({
      name: 'call_tool',
      arguments: { name: 'storage_put_object', arguments: { bucket: 'reports', key: 'a.txt', body: 'x', encoding: 'utf8' } },
      _meta: DEMO_ONLY,
    })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ error: { kind: 'not_confirmed' } });
  }, 30_000);
});

describe('switchyard mcp usage', () => {
  it('refuses a bad port, and HTTP flags without --http', async () => {
    const stderr: string[] = [];
    const io = { stdout: { write: () => true }, stderr: { write: (chunk: string) => stderr.push(chunk) } };
    expect(await runCli(['mcp', '--http', '--port', 'eighty'], io)).toBe(2);
    expect(await runCli(['mcp', '--token', 'secret-token-value'], io)).toBe(2);
    expect(stderr.join('')).toMatch(/--port must be a number[\s\S]*--port and --token need --http/);
    expect(stderr.join('')).not.toContain('secret-token-value');
  });
});
