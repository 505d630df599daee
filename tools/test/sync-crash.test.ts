/**
 * Issue 18: a sync that is killed (-9) at random points and resumed loses
 * and duplicates nothing, on SQLite and on PostgreSQL; and two processes
 * started together on one integration do not both sync it.
 *
 * Each run is a child process (fixtures/sync-child.ts) syncing 100 000
 * generated records in batches of 1 000. After every kill, the store must
 * hold exactly the records of the pages before its checkpoint (the batch and
 * its checkpoint are one transaction); after the last, uninterrupted run,
 * exactly the source's records.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@switchyard/platform';
import { createPostgresStore } from '@switchyard/store-postgres';
import { createSqliteStore } from '@switchyard/store-sqlite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedRecord } from './fixtures/generated-source.ts';

const TOTAL = 100_000;
const BATCH = 1_000;
const KILLS = 5;
/** Short, so a run after a kill takes over the dead run's lease soon. */
const LEASE_MS = 1_500;
const CHILD = join(import.meta.dirname, 'fixtures', 'sync-child.ts');
const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; connectionString: string; schema: string };

interface ChildRun {
  readonly child: ChildProcess;
  /** Records the child reported stored so far. */
  stored: () => number;
  output: () => string;
  exited: Promise<number | null>;
}

function startChild(store: StoreConfig, integrationId: string, waitMs: number): ChildRun {
  const child = spawn(process.execPath, [CHILD, JSON.stringify({ store, integrationId, total: TOTAL, leaseMs: LEASE_MS, waitMs })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stored = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
    const batches = [...chunk.toString().matchAll(/batch (\d+)/g)];
    const last = batches.at(-1);
    if (last !== undefined) stored = Number(last[1]);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stored: () => stored, output: () => output, exited };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The stored records must be exactly records 0 .. count-1 of the source, each with the source's content. */
async function expectExactly(store: Store, integrationId: string, count: number): Promise<void> {
  const records = await store.records.list({ integrationId, entity: 'record' });
  const ids = records.map((record) => record.externalId);
  expect(new Set(ids).size, 'duplicated records').toBe(ids.length);
  expect(ids.length, 'records stored').toBe(count);
  const expected = new Set(Array.from({ length: count }, (_, index) => `rec-${index}`));
  expect(
    ids.filter((id) => !expected.has(id)),
    'records that should not be there yet',
  ).toEqual([]);
  for (const record of records) {
    expect(record.data).toEqual(generatedRecord(Number(record.externalId.slice(4))));
  }
}

/** How many records the checkpoint says are stored: the offset of the next page, all of them when the pass is ending or done. */
async function checkpointedCount(store: Store, integrationId: string): Promise<number> {
  const checkpoint = await store.checkpoints.get(integrationId, 'records');
  if (checkpoint === undefined) return 0;
  const position = JSON.parse(checkpoint.cursor) as { page?: string; pass?: string; ending?: boolean };
  if (position.page !== undefined) return Number(position.page);
  return position.pass === undefined || position.ending === true ? TOTAL : 0;
}

async function killAndResume(open: () => Promise<Store>, config: StoreConfig): Promise<void> {
  const setup = await open();
  const integration = await setup.integrations.create({
    providerId: 'generated',
    name: 'Generated',
    settings: { sync: { batchSize: BATCH } },
  });
  await setup.close();

  const killedAt: number[] = [];
  for (let kill = 0; kill < KILLS; kill += 1) {
    const run = startChild(config, integration.id, 60_000);
    // A random point: after up to a tenth of the records (so the first pass is still going at the last kill), then up to
    // 30 ms more, so some kills land inside a batch's transaction and some between two.
    const target = Math.floor(Math.random() * (TOTAL / (2 * KILLS)));
    await Promise.race([until(() => run.stored() >= target, 120_000), run.exited]);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
    run.child.kill('SIGKILL');
    await run.exited;
    killedAt.push(run.stored());

    const check = await open();
    try {
      const stored = await check.sync.countRecords(integration.id);
      expect(stored, `after kill ${kill + 1} (child had reported ${run.stored()}): stored records match the checkpoint`).toBe(
        await checkpointedCount(check, integration.id),
      );
      await expectExactly(check, integration.id, stored);
    } finally {
      await check.close();
    }
  }

  const last = startChild(config, integration.id, 60_000);
  const code = await last.exited;
  expect(code, `the last run's output: ${last.output()}`).toBe(0);
  const check = await open();
  try {
    await expectExactly(check, integration.id, TOTAL);
    const position = JSON.parse((await check.checkpoints.get(integration.id, 'records'))?.cursor ?? '{}') as Record<string, unknown>;
    expect(position['pass'], 'no pass left in progress').toBeUndefined();
    expect(position['page']).toBeUndefined();
    expect(await check.sync.getLease(integration.id), 'the lease was given up').toBeUndefined();
  } finally {
    await check.close();
  }
  expect(killedAt).toHaveLength(KILLS);
}

async function twoAtOnce(open: () => Promise<Store>, config: StoreConfig): Promise<void> {
  const setup = await open();
  const integration = await setup.integrations.create({
    providerId: 'generated',
    name: 'Generated',
    settings: { sync: { batchSize: BATCH } },
  });
  await setup.close();
  const runs = [startChild(config, integration.id, 0), startChild(config, integration.id, 0)];
  const codes = await Promise.all(runs.map((run) => run.exited));
  expect(codes.toSorted(), runs.map((run) => run.output()).join('\n---\n')).toEqual([0, 3]);
  expect(
    runs.find((run) => run.output().includes('busy')),
    'one reports it is busy',
  ).toBeDefined();
  const check = await open();
  try {
    await expectExactly(check, integration.id, TOTAL);
  } finally {
    await check.close();
  }
}

describe('a sync killed with -9 and resumed, on SQLite', () => {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-sync-crash-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it(`loses and duplicates nothing over ${KILLS} kills at random points`, async () => {
    const config: StoreConfig = { kind: 'sqlite', path: join(directory, 'kill.db') };
    await killAndResume(() => Promise.resolve(createSqliteStore({ path: config.path })), config);
  }, 600_000);

  it('two processes on one integration: one syncs, the other reports it is busy', async () => {
    const config: StoreConfig = { kind: 'sqlite', path: join(directory, 'two.db') };
    await twoAtOnce(() => Promise.resolve(createSqliteStore({ path: config.path })), config);
  }, 300_000);
});

describe('a sync killed with -9 and resumed, on PostgreSQL', () => {
  const prefix = `switchyard_sync_crash_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const admin = new pg.Pool({ connectionString, max: 1 });
  afterAll(async () => {
    try {
      const { rows } = await admin
        .query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)', [prefix])
        .catch(() => ({ rows: [] as Array<{ name: string }> }));
      // The names are made here from a UUID, never input.
      for (const { name } of rows) await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch(() => undefined);
    } finally {
      await admin.end().catch(() => undefined);
    }
  });
  const openAt = (schema: string) => async () => {
    try {
      return await createPostgresStore({ connectionString, schema, maxConnections: 2 });
    } catch (error) {
      throw new Error(`These tests need PostgreSQL at ${connectionString} (or SWITCHYARD_TEST_DATABASE_URL): ${String(error)}`, {
        cause: error,
      });
    }
  };

  it(`loses and duplicates nothing over ${KILLS} kills at random points`, async () => {
    const config: StoreConfig = { kind: 'postgres', connectionString, schema: `${prefix}_kill` };
    await killAndResume(openAt(config.schema), config);
  }, 600_000);

  it('two processes on one integration: one syncs, the other reports it is busy', async () => {
    const config: StoreConfig = { kind: 'postgres', connectionString, schema: `${prefix}_two` };
    await twoAtOnce(openAt(config.schema), config);
  }, 300_000);
});
