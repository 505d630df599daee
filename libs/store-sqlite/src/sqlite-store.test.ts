import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { testStore } from '@switchyard/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateSqlite, SQLITE_MIGRATIONS } from './sqlite-migrations';
import { createSqliteStore } from './sqlite-store';

const folder = mkdtempSync(join(tmpdir(), 'switchyard-sqlite-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let count = 0;
const nextPath = () => join(folder, `nested/store-${(count += 1)}.db`);

testStore({ name: 'sqlite store contract (temp file)', create: () => Promise.resolve(createSqliteStore({ path: nextPath() })) });
testStore({ name: 'sqlite store contract (:memory:)', create: () => Promise.resolve(createSqliteStore({ path: ':memory:' })) });

describe('createSqliteStore', () => {
  it('creates the folder, uses WAL mode and records each migration once across reopenings', async () => {
    const path = nextPath();
    const first = createSqliteStore({ path });
    await first.integrations.create({ id: 'kept', providerId: 'github', name: 'Kept' });
    await first.close();
    await first.close();
    const second = createSqliteStore({ path });
    expect((await second.integrations.get('kept')).name).toBe('Kept');
    await second.close();
    const database = new DatabaseSync(path);
    expect(database.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(database.prepare('SELECT version FROM schema_migrations').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
      { version: 6 },
      { version: 7 },
    ]);
    database.close();
  });

  it('shares a file between two stores: a compare-and-swap by one is a conflict for the other', async () => {
    const path = nextPath();
    const [left, right] = [createSqliteStore({ path }), createSqliteStore({ path })];
    await left.integrations.create({ id: 'a', providerId: 'github', name: 'A' });
    const sealed = { integrationId: 'a', field: 'token', keyId: 'k', iv: 'AAAA', ciphertext: 'AAAA', authTag: 'AAAA' };
    await left.credentials.put({ ...sealed, expectedVersion: 0 });
    await right.credentials.put({ ...sealed, expectedVersion: 1 });
    await expect(left.credentials.put({ ...sealed, expectedVersion: 1 })).rejects.toMatchObject({ kind: 'conflict' });
    await Promise.all([left.close(), right.close()]);
  });

  it('adds the placement tables to a database made by the first migration, keeping its data', async () => {
    const path = nextPath();
    const database = new DatabaseSync(path);
    migrateSqlite(database, SQLITE_MIGRATIONS.slice(0, 1));
    database.exec(
      "INSERT INTO integrations VALUES ('kept', 'github', 'Kept', '{}', 'active', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')",
    );
    database.close();

    const upgraded = createSqliteStore({ path });
    expect((await upgraded.integrations.get('kept')).name).toBe('Kept');
    const record = { capability: 'storage', key: 'b/k', holders: [{ provider: 's3' }], writeId: 'w1', deleted: false, updatedAt: 1 };
    expect(await upgraded.placements.put(record)).toBe(true);
    expect(await upgraded.placements.get('storage', 'b/k')).toEqual(record);
    await upgraded.close();
    const check = new DatabaseSync(path);
    migrateSqlite(check, SQLITE_MIGRATIONS);
    expect(check.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
      { version: 6 },
      { version: 7 },
    ]);
    check.close();
  });

  it('adds the api_keys table to a database made by the first two migrations, keeping its data', async () => {
    const path = nextPath();
    const database = new DatabaseSync(path);
    migrateSqlite(database, SQLITE_MIGRATIONS.slice(0, 2));
    database.exec(
      "INSERT INTO integrations VALUES ('kept', 'github', 'Kept', '{}', 'active', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')",
    );
    database.close();

    const upgraded = createSqliteStore({ path });
    expect((await upgraded.integrations.get('kept')).name).toBe('Kept');
    const created = await upgraded.apiKeys.create({
      id: 'k1',
      workspaceId: 'acme',
      name: 'ci',
      scopes: ['read'],
      secretHash: 'a'.repeat(64),
    });
    expect(await upgraded.apiKeys.get('k1')).toEqual(created);
    await upgraded.close();
    const check = new DatabaseSync(path);
    expect(check.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
      { version: 6 },
      { version: 7 },
    ]);
    check.close();
  });

  it('puts integrations and events of a database made by the first four migrations in the "default" workspace', async () => {
    const path = nextPath();
    const database = new DatabaseSync(path);
    migrateSqlite(database, SQLITE_MIGRATIONS.slice(0, 4));
    database.exec(
      `INSERT INTO integrations VALUES ('kept', 'github', 'Kept', '{}', 'active', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z');
       INSERT INTO events (type, integration_id, payload, occurred_at) VALUES ('kept.event', 'kept', '{}', '2020-01-01T00:00:00.000Z')`,
    );
    database.close();

    const upgraded = createSqliteStore({ path });
    expect((await upgraded.integrations.get('kept')).workspaceId).toBe('default');
    expect((await upgraded.forWorkspace('default').events.listRecent()).map((event) => event.type)).toEqual(['kept.event']);
    expect(await upgraded.forWorkspace('acme').events.listRecent()).toEqual([]);
    await upgraded.forWorkspace('acme').events.append({ type: 'acme.event' });
    expect((await upgraded.events.listRecent({ workspaceId: 'acme' })).map((event) => event.type)).toEqual(['acme.event']);
    expect((await upgraded.events.listRecent()).map((event) => event.workspaceId)).toEqual(['acme', 'default']);
    await upgraded.close();
  });

  it('shares placements between two stores on one file: a conditional write by one is refused for the other', async () => {
    const path = nextPath();
    const [left, right] = [createSqliteStore({ path }), createSqliteStore({ path })];
    const record = (writeId: string) => ({ capability: 'storage', key: 'b/k', holders: [], writeId, deleted: false, updatedAt: 1 });
    await left.placements.put(record('w1'));
    expect(await right.placements.put(record('w-right'), 'w1')).toBe(true);
    expect(await left.placements.put(record('w-left'), 'w1')).toBe(false);
    expect((await left.placements.get('storage', 'b/k'))?.writeId).toBe('w-right');
    await left.placements.addHint({ capability: 'storage', key: 'b/k', provider: 'gcs', action: 'copy', writeId: 'w-right', createdAt: 1 });
    expect(await right.placements.countHints('gcs')).toBe(1);
    await Promise.all([left.close(), right.close()]);
  });
});
