import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeProviderPackages } from './__fixtures__/fake-provider-packages';
import { runCli } from './run-cli';

const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The schema name comes from a UUID, never input; it is dropped at the end. */
const schema = `switchyard_test_${randomUUID().replaceAll('-', '').slice(0, 10)}_cli`;
const admin = new pg.Pool({ connectionString, max: 1 });
const directories: string[] = [];

beforeAll(async () => {
  try {
    await admin.query('SELECT 1');
  } catch (error) {
    throw new Error(`These tests need PostgreSQL at ${connectionString} (or SWITCHYARD_TEST_DATABASE_URL).`, { cause: error });
  }
});

afterAll(async () => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
});

/** Runs the CLI in a fresh working directory (its own provider packages, no SQLite file yet) against PostgreSQL. */
async function cli(...argv: string[]) {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-cli-pg-'));
  directories.push(directory);
  installFakeProviderPackages(directory);
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: directory,
    // Only the provider packages this test installed, not the ones next to the CLI in the workspace.
    cliDirectory: directory,
    env: { SWITCHYARD_DATABASE_URL: connectionString, SWITCHYARD_DATABASE_SCHEMA: schema },
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr, directory };
}

describe('the CLI with SWITCHYARD_DATABASE_URL', () => {
  it('keeps integrations in PostgreSQL, shared by runs in different working directories, and writes no SQLite file', async () => {
    const added = await cli('integrations', 'add', 'echo', '--name', 'Echo (acme)', '--json');
    expect(added.code, added.stderr).toBe(0);
    const [{ id }] = JSON.parse(added.stdout) as [{ id: string }];
    expect(existsSync(join(added.directory, '.switchyard'))).toBe(false);

    const listed = await cli('integrations', 'list', '--json');
    expect((JSON.parse(listed.stdout) as { id: string; providerId: string }[]).map((entry) => [entry.id, entry.providerId])).toEqual([
      [id, 'echo'],
    ]);
    const { rows } = await admin.query<{ provider_id: string }>(`SELECT provider_id FROM "${schema}".integrations WHERE id = $1`, [id]);
    expect(rows).toEqual([{ provider_id: 'echo' }]);

    const tested = await cli('integrations', 'test', id, '--json');
    expect(tested.code, tested.stderr).toBe(0);
    expect((await cli('integrations', 'remove', id)).stdout).toBe(`removed ${id}\n`);
    expect(JSON.parse((await cli('integrations', 'list', '--json')).stdout)).toEqual([]);
  });

  it('routes a call and shows the decision while the store is PostgreSQL', async () => {
    const call = await cli(
      'call',
      'storage.putObject',
      '--input',
      JSON.stringify({ bucket: 'reports', key: 'q3.csv', body: 'revenue,42' }),
      '--demo',
      '--prefer',
      'memory-backup',
    );
    expect(call.code, call.stderr).toBe(0);
    expect(call.stdout).toMatch(/Routing storage\.putObject \(strategy weighted-sum\):/);
    expect(call.stdout).toMatch(/Served by memory-backup/);
  });

  it('fails with a clear message when PostgreSQL is unreachable', async () => {
    let stderr = '';
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-cli-pg-'));
    directories.push(directory);
    const code = await runCli(['integrations', 'list'], {
      cwd: directory,
      // Only the provider packages this test installed, not the ones next to the CLI in the workspace.
      cliDirectory: directory,
      env: { SWITCHYARD_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' },
      stdout: { write: () => true },
      stderr: { write: (chunk: string) => (stderr += chunk) },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/network/);
  });
});
