/**
 * npm run bench:sync [-- --json] [-- --quick]
 *
 * Records/s a sync (issue 18) stores into SQLite and PostgreSQL from a
 * source that is not the bottleneck (generated records, paged by offset; its
 * own rate is printed), against a bare baseline on the same database in the
 * same run: the same rows inserted with prepared statements (SQLite) or one
 * `jsonb_to_recordset` INSERT per batch (PostgreSQL), 1 000 per
 * transaction, with no validation, hashing, lease or checkpoint.
 *
 * Each database gets alternating rounds (sync first, then bare, twice; one
 * with `--quick`), each into a fresh integration (SQLite: a fresh file); the
 * report is the median records/s of each and their ratio, and the rate of a
 * second sync of the same records (all `unchanged`: hashes compared, nothing
 * rewritten). PostgreSQL is 127.0.0.1:5432 (`SWITCHYARD_TEST_DATABASE_URL`);
 * without it, its rows say why.
 *
 * Goal (issue 18): ≥ 50 000 records/s into SQLite (`sqliteRecordsPerSecond`).
 * Printed, never failing the run.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createSyncService, type JsonObject, type Store } from '@switchyard/platform';
import { createPostgresStore } from '@switchyard/store-postgres';
import { createSqliteStore } from '@switchyard/store-sqlite';
import pg from 'pg';
import { generatedRecord, generatedSource } from '../test/fixtures/generated-source.ts';
import { printTable } from './measure.ts';

const QUICK = process.argv.includes('--quick');
const JSON_OUTPUT = process.argv.includes('--json');
const RECORDS = QUICK ? 20_000 : 100_000;
const BATCH = 1_000;
const ROUNDS = QUICK ? 1 : 2;
const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const median = (values: readonly number[]): number => {
  const sorted = values.toSorted((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
};
const perSecond = (records: number, ms: number): number => Math.round((records / ms) * 1000);

/** Reads the whole source without storing anything: what the source alone allows. */
async function sourceRate(): Promise<number> {
  const source = generatedSource(RECORDS);
  const signal = new AbortController().signal;
  const started = performance.now();
  let cursor: string | undefined;
  do {
    const page = await source.readPage({ cursor, since: undefined, limit: BATCH, signal });
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return perSecond(RECORDS, performance.now() - started);
}

/** One sync of every record into a new integration of `store`, then a second (all unchanged); records/s of each. */
async function syncRound(store: Store): Promise<{ first: number; unchanged: number }> {
  const integration = await store.integrations.create({ providerId: 'generated', name: 'bench', settings: { sync: { batchSize: BATCH } } });
  const sync = createSyncService({ store, streams: () => [{ name: 'records', entity: 'record', source: generatedSource(RECORDS) }] });
  const first = await sync.syncIntegration(integration.id);
  const second = await sync.syncIntegration(integration.id);
  if (first.created !== RECORDS || second.unchanged !== RECORDS)
    throw new Error(`the sync stored ${first.created}, then found ${second.unchanged} unchanged`);
  await sync.stop();
  return { first: perSecond(RECORDS, first.duration), unchanged: perSecond(RECORDS, second.duration) };
}

function rows(from: number): JsonObject[] {
  return Array.from({ length: Math.min(BATCH, RECORDS - from) }, (_, offset) => generatedRecord(from + offset));
}

function bareSqlite(path: string): number {
  const database = new DatabaseSync(path);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec(
    'CREATE TABLE data (integration_id TEXT NOT NULL, entity TEXT NOT NULL, external_id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (integration_id, entity, external_id)) STRICT',
  );
  const insert = database.prepare('INSERT INTO data VALUES (?, ?, ?, ?)');
  const started = performance.now();
  for (let from = 0; from < RECORDS; from += BATCH) {
    const batch = rows(from);
    database.exec('BEGIN IMMEDIATE');
    for (const record of batch) insert.run('bench', 'record', record['id'] as string, JSON.stringify(record));
    database.exec('COMMIT');
  }
  const rate = perSecond(RECORDS, performance.now() - started);
  database.close();
  return rate;
}

async function barePostgres(pool: pg.Pool, schema: string): Promise<number> {
  const table = `"${schema}".bare_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  await pool.query(
    `CREATE TABLE ${table} (integration_id text NOT NULL, entity text NOT NULL, external_id text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (integration_id, entity, external_id))`,
  );
  const started = performance.now();
  for (let from = 0; from < RECORDS; from += BATCH) {
    const batch = rows(from).map((record) => ({ external_id: record['id'], data: record }));
    await pool.query(
      `INSERT INTO ${table} SELECT 'bench', 'record', r.external_id, r.data FROM jsonb_to_recordset($1::jsonb) AS r (external_id text, data jsonb)`,
      [JSON.stringify(batch)],
    );
  }
  return perSecond(RECORDS, performance.now() - started);
}

interface DatabaseResult {
  readonly sync: number;
  readonly unchanged: number;
  readonly bare: number;
  readonly error?: string;
}

async function benchSqlite(): Promise<DatabaseResult> {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-sync-bench-'));
  try {
    const synced: number[] = [];
    const unchanged: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const store = createSqliteStore({ path: join(directory, `sync-${round}.db`) });
      try {
        const rates = await syncRound(store);
        synced.push(rates.first);
        unchanged.push(rates.unchanged);
      } finally {
        await store.close();
      }
      bare.push(bareSqlite(join(directory, `bare-${round}.db`)));
    }
    return { sync: median(synced), unchanged: median(unchanged), bare: median(bare) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<DatabaseResult> {
  const schema = `switchyard_sync_bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const pool = new pg.Pool({ connectionString, max: 2 });
  let store: Store | undefined;
  try {
    store = await createPostgresStore({ pool, schema });
    const synced: number[] = [];
    const unchanged: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const rates = await syncRound(store);
      synced.push(rates.first);
      unchanged.push(rates.unchanged);
      bare.push(await barePostgres(pool, schema));
    }
    return { sync: median(synced), unchanged: median(unchanged), bare: median(bare) };
  } catch (error) {
    return {
      sync: 0,
      unchanged: 0,
      bare: 0,
      error: `PostgreSQL at ${connectionString}: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    await store?.close().catch(() => undefined);
    // The name is made here from a UUID, never input.
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end().catch(() => undefined);
  }
}

const load = loadavg()[0] ?? 0;
const source = await sourceRate();
const sqlite = await benchSqlite();
const postgres = await benchPostgres();
const ratio = (result: DatabaseResult) => (result.bare === 0 ? 0 : Number((result.sync / result.bare).toFixed(3)));
const summary = {
  records: RECORDS,
  batchSize: BATCH,
  rounds: ROUNDS,
  load1m: Number(load.toFixed(2)),
  sourceRecordsPerSecond: source,
  sqliteRecordsPerSecond: sqlite.sync,
  sqliteUnchangedRecordsPerSecond: sqlite.unchanged,
  sqliteBareInsertsPerSecond: sqlite.bare,
  sqliteSyncOverBare: ratio(sqlite),
  postgresRecordsPerSecond: postgres.sync,
  postgresUnchangedRecordsPerSecond: postgres.unchanged,
  postgresBareInsertsPerSecond: postgres.bare,
  postgresSyncOverBare: ratio(postgres),
  ...(postgres.error === undefined ? {} : { postgresError: postgres.error }),
};

if (JSON_OUTPUT) {
  console.log(JSON.stringify(summary));
} else {
  console.log(
    `Sync into the store: ${RECORDS} generated records, ${BATCH} per batch, median of ${ROUNDS} round(s); load ${summary.load1m}`,
  );
  console.log(`The source alone reads ${source.toLocaleString('en')} records/s.\n`);
  const row = (name: string, result: DatabaseResult) => [
    name,
    result.sync.toLocaleString('en'),
    result.unchanged.toLocaleString('en'),
    result.bare.toLocaleString('en'),
    ratio(result).toFixed(3),
  ];
  printTable(
    ['database', 'sync rec/s', 'unchanged rec/s', 'bare insert rec/s', 'sync ÷ bare'],
    [row('SQLite', sqlite), row('PostgreSQL', postgres)],
  );
  if (postgres.error !== undefined) console.log(`\n${postgres.error}`);
  console.log(`\nGoal: ≥ 50,000 records/s into SQLite — ${sqlite.sync >= 50_000 ? 'met' : 'not met'}.`);
}
