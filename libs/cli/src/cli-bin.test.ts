import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
/** The built bin, as the README runs it: `node libs/cli/dist/cli.js` (npm ci links no bin before the build). */
const bin = join(import.meta.dirname, '..', 'dist', 'cli.js');
const directories: string[] = [];

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('the built switchyard bin', () => {
  it('runs the quickstart end to end and records into the SQLite store of its working directory', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-quickstart-'));
    directories.push(directory);
    const { stdout } = await run(process.execPath, [bin, 'quickstart'], {
      cwd: directory,
      env: { ...process.env, SWITCHYARD_DATABASE_URL: '' },
    });
    expect(stdout).toMatch(/^1\. putObject with both providers up:\n {2}served by memory-primary$/m);
    expect(stdout).toMatch(/event failover: memory-primary -> memory-backup after network/);
    expect(stdout).toMatch(/memory-primary: skipped \(circuit open\)/);
    expect(stdout).toMatch(/Quickstart memory-backup \(\S+\): active, health 100\/100 \(healthy\)/);
    expect(existsSync(join(directory, '.switchyard', 'switchyard.db'))).toBe(true);

    const listed = await run(process.execPath, [bin, 'integrations', 'list', '--json'], {
      cwd: directory,
      env: { ...process.env, SWITCHYARD_DATABASE_URL: '' },
    });
    const integrations = JSON.parse(listed.stdout) as { providerId: string }[];
    expect(integrations.map((integration) => integration.providerId).sort()).toEqual(['memory-backup', 'memory-primary']);
  }, 30_000);
});
