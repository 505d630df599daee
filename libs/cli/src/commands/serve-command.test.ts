import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli';

const bin = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-serve-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('switchyard serve', () => {
  it('serves the HTTP API on the CLI store with its keys, and stops cleanly on SIGTERM', async () => {
    let created = '';
    await runCli(['keys', 'create', '--name', 'ci', '--scope', 'execute'], {
      cwd: directory,
      cliDirectory: directory,
      env: {},
      stdout: { write: (chunk: string) => (created += chunk) },
      stderr: { write: () => true },
    });
    const key = created.trim();
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--demo'], {
      cwd: directory,
      env: { ...process.env, SWITCHYARD_DATABASE_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL on stderr: ${stderr}`)), 30_000);
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
          const found = /server on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
          if (found !== undefined) {
            clearTimeout(timer);
            resolve(found);
          }
        });
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const response = await fetch(`${url}/api/v1/execute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          capability: 'storage',
          operation: 'putObject',
          input: { bucket: 'reports', key: 'served.txt', body: 'hi', encoding: 'utf8' },
          only: ['memory-primary', 'memory-backup'],
        }),
      });
      expect(response.status, await response.clone().text()).toBe(200);
      expect((await fetch(`${url}/api/v1/execute`, { method: 'POST' })).status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('Stopping: finishing requests in flight');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
