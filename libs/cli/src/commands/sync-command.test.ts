import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, type ProviderV1 } from '@switchyard/core';
import { createMemoryIssuesProvider } from '@switchyard/core/testing';
import type { JsonValue } from '@switchyard/platform';
import { createSqliteStore, DEFAULT_SQLITE_PATH } from '@switchyard/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli';

let directory: string;
let tracker: ProviderV1;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-sync-'));
  tracker = createMemoryIssuesProvider({ id: 'tracker' });
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const openStore = () => createSqliteStore({ path: join(directory, DEFAULT_SQLITE_PATH) });

/** Opens issues on the tracker, and an integration of it syncing the given projects in batches of 2. */
async function setUp(titles: readonly string[], projects: JsonValue = ['acme/website']) {
  const hub = createHub({ providers: [tracker] });
  for (const title of titles) {
    await hub.execute({ capability: 'issues', operation: 'createIssue', input: { project: 'acme/website', title } });
  }
  const store = openStore();
  try {
    return await store.integrations.create({ providerId: 'tracker', name: 'Tracker', settings: { sync: { projects, batchSize: 2 } } });
  } finally {
    await store.close();
  }
}

async function cli(argv: readonly string[], terminal = false) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: directory,
    cliDirectory: directory,
    env: {},
    providers: [tracker],
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: Object.assign({ write: (chunk: string) => (stderr += chunk) }, terminal ? { isTTY: true } : {}),
  });
  return { code, stdout, stderr };
}

describe('switchyard sync', () => {
  it('syncs the issues of the integration’s projects into the store, with a line per batch and a summary table', async () => {
    const integration = await setUp(['Checkout fails', 'Slow search', 'Typo on the front page']);
    const first = await cli(['sync', integration.id]);
    expect(first.code).toBe(0);
    expect(first.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^sync issues: 2 records \(\d+\/s\), 2 created, 0 updated, 0 unchanged, 0 deleted, 0 failed$/),
      expect.stringMatching(/^sync issues: 3 records \(\d+\/s\), 3 created/),
      expect.stringMatching(/^sync issues: 3 records \(\d+\/s\), 3 created/),
    ]);
    const [header, issues, total] = first.stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['STREAM', 'READ', 'CREATED', 'UPDATED', 'UNCHANGED', 'DELETED', 'FAILED', 'DURATION']);
    expect(issues?.split(/\s+/)).toEqual(['issues', '3', '3', '0', '0', '0', '0', '-']);
    expect(total).toMatch(/^total\s+3\s+3\s+0\s+0\s+0\s+0\s+\d+ ms$/);

    const store = openStore();
    try {
      expect((await store.records.get(integration.id, 'issue', 'acme/website#2')).data).toMatchObject({ title: 'Slow search' });
    } finally {
      await store.close();
    }
    const second = await cli(['sync', integration.id, '--full', '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ integrationId: integration.id, recordsProcessed: 3, created: 0, unchanged: 3 });
  });

  it('rewrites one progress line on a terminal', async () => {
    const integration = await setUp(['one', 'two', 'three']);
    const { code, stderr } = await cli(['sync', integration.id], true);
    expect(code).toBe(0);
    expect(stderr.startsWith('\rsync issues: 2 records')).toBe(true);
    expect(stderr.match(/\r/g)).toHaveLength(3);
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 3 when another run holds the integration, also after --wait, and syncs once it is free', async () => {
    const integration = await setUp(['one']);
    const store = openStore();
    try {
      await store.sync.acquireLease(integration.id, 'other-host:42', 60_000);
      const busy = await cli(['sync', integration.id]);
      expect(busy.code).toBe(3);
      expect(busy.stderr).toMatch(/^error \[conflict\]: integration "[^"]+" is being synced by another run/);
      const started = Date.now();
      expect((await cli(['sync', integration.id, '--wait', '0.3'])).code).toBe(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      await store.sync.releaseLease(integration.id, 'other-host:42');
    } finally {
      await store.close();
    }
    expect((await cli(['sync', integration.id, '--wait', '0.3'])).code).toBe(0);
    expect((await cli(['sync', integration.id, '--wait', 'soon'])).code).toBe(2);
  });

  it('exits 1 with the typed error’s message when the integration cannot be synced', async () => {
    const nothing = await setUp([], []);
    expect(await cli(['sync', nothing.id])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('error [validation]: integration') as unknown,
    });
    expect((await cli(['sync', nothing.id])).stderr).toContain('list its projects in settings.sync.projects');

    const missingProject = await setUp([], ['acme/nowhere']);
    const failed = await cli(['sync', missingProject.id]);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error \[not_found\]: .*acme\/nowhere/m) as unknown });

    expect(await cli(['sync', 'no-such-integration'])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error \[not_found\]/) as unknown,
    });
    expect((await cli(['sync'])).code).toBe(2);
  });
});
