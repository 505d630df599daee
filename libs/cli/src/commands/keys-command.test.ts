import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli';

/** The built bin, for the server test. */
const bin = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-keys-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: directory,
    cliDirectory: directory,
    env: {},
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

describe('switchyard keys', () => {
  it('creates a key shown once on stdout, lists it without the secret, rotates and revokes it', async () => {
    const created = await cli('keys', 'create', '--name', 'agent', '--scope', 'execute', '--workspace', 'acme');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^syk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/shown once/);
    const id = key.slice(4, 20);

    const listed = await cli('keys', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id, workspaceId: 'acme', name: 'agent', scopes: ['execute'] }]);
    expect(listed.stdout).not.toContain(key.slice(21));

    const rotated = await cli('keys', 'rotate', id, '--grace', '1h', '--json');
    expect(rotated.code).toBe(0);
    const replacement = JSON.parse(rotated.stdout) as { key: string; id: string };
    expect(replacement.key).not.toBe(key);
    const table = (await cli('keys', 'list')).stdout;
    expect(table).toMatch(new RegExp(`${id}\\s+acme\\s+agent\\s+execute\\s+until `));
    expect(table).toMatch(new RegExp(`${replacement.id}\\s+acme\\s+agent\\s+execute\\s+active`));

    expect((await cli('keys', 'revoke', replacement.id)).stdout).toMatch(/Revoked API key/);
    expect((await cli('keys', 'list')).stdout).toMatch(new RegExp(`${replacement.id}.*revoked`));
  });

  it('exits 2 on missing or unknown scopes, a missing name and a bad duration; 1 on an unknown id', async () => {
    expect((await cli('keys', 'create', '--name', 'x')).stderr).toMatch(/missing --scope/);
    expect((await cli('keys', 'create', '--name', 'x', '--scope', 'root')).code).toBe(2);
    expect((await cli('keys', 'create', '--scope', 'read')).code).toBe(2);
    expect((await cli('keys', 'create', '--name', 'x', '--scope', 'read', '--expires-in', 'soon')).code).toBe(2);
    expect((await cli('keys', 'bogus')).code).toBe(2);
    const unknown = await cli('keys', 'revoke', '0000000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not_found/);
  });

  it('makes mcp --http take store keys with the execute scope', async () => {
    const agent = (await cli('keys', 'create', '--name', 'agent', '--scope', 'execute')).stdout.trim();
    const reader = (await cli('keys', 'create', '--name', 'dashboard', '--scope', 'read')).stdout.trim();
    const child = spawn(process.execPath, [bin, 'mcp', '--http', '--demo'], {
      cwd: directory,
      env: { ...process.env, SWITCHYARD_DATABASE_URL: '', SWITCHYARD_MCP_TOKENS: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL on stderr: ${stderr}`)), 30_000);
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
          const found = /on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)?.[1];
          if (found !== undefined) {
            clearTimeout(timer);
            resolve(found);
          }
        });
      });
      expect(stderr).not.toMatch(/warning: no bearer token/);
      const initialize = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
      });
      const post = (key?: string) =>
        fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
          },
          body: initialize,
        });
      expect((await post()).status, stderr).toBe(401);
      expect((await post(reader)).status).toBe(403);
      expect((await post(agent)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 60_000);
});
