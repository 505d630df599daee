import { randomUUID } from 'node:crypto';
import type { Store } from '@switchyard/platform';
import { testStore } from '@switchyard/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS } from './postgres-migrations';
import { createPostgresStore } from './postgres-store';

const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Every schema this run creates starts with it, and all are dropped at the end. */
const runPrefix = `switchyard_test_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
const admin = new pg.Pool({ connectionString, max: 2 });
let count = 0;
const nextSchema = () => `${runPrefix}_${(count += 1)}`;
const schemas = new WeakMap<Store, string>();

/** Fails with what is missing instead of skipping when PostgreSQL is not there. */
async function requirePostgres(): Promise<void> {
  try {
    await admin.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `The @switchyard/store-postgres tests need a running PostgreSQL at ${connectionString} (trust auth, database must exist), ` +
        `or SWITCHYARD_TEST_DATABASE_URL pointing at one. Connecting failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

async function dropSchema(schema: string): Promise<void> {
  // The name is generated above from a UUID and a counter, never input.
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

beforeAll(requirePostgres);
afterAll(async () => {
  try {
    // When PostgreSQL is unreachable every test has already failed saying so; there is nothing to drop.
    const { rows } = await admin
      .query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)', [runPrefix])
      .catch(() => ({ rows: [] }));
    for (const { name } of rows) await dropSchema(name);
  } finally {
    await admin.end();
  }
});

testStore({
  name: 'postgres store contract',
  create: async () => {
    await requirePostgres();
    const schema = nextSchema();
    const store = await createPostgresStore({ connectionString, schema, maxConnections: 4 });
    schemas.set(store, schema);
    return store;
  },
  destroy: async (store) => {
    await store.close();
    const schema = schemas.get(store);
    if (schema !== undefined) await dropSchema(schema);
  },
});

describe('createPostgresStore', () => {
  const sealed = { integrationId: 'a', field: 'refreshToken', keyId: 'k', iv: 'AAAA', ciphertext: 'AAAA', authTag: 'AAAA' };

  it('lets exactly one of two stores (two pools) win each race on the same credential version', async () => {
    const schema = nextSchema();
    const [left, right] = await Promise.all([
      createPostgresStore({ connectionString, schema, maxConnections: 2 }),
      createPostgresStore({ connectionString, schema, maxConnections: 2 }),
    ]);
    try {
      await left.integrations.create({ id: 'a', providerId: 'github', name: 'A' });
      let version = (await left.credentials.put({ ...sealed, expectedVersion: 0 })).version;
      for (let round = 0; round < 10; round += 1) {
        const results = await Promise.allSettled(
          [left, right].map((store, index) =>
            store.credentials.put({ ...sealed, ciphertext: index === 0 ? 'bGVmdA==' : 'cmlnaHQ=', expectedVersion: version }),
          ),
        );
        const winners = results.filter((result) => result.status === 'fulfilled');
        const losers = results.filter((result) => result.status === 'rejected');
        expect(winners, `round ${round}: one winner`).toHaveLength(1);
        expect(losers.map((result) => (result.reason as { kind?: unknown }).kind)).toEqual(['conflict']);
        version += 1;
        expect(await right.credentials.get('a', 'refreshToken')).toEqual(winners[0]?.value);
      }
    } finally {
      await Promise.all([left.close(), right.close()]);
      await dropSchema(schema);
    }
  });

  it('migrates a schema once when two stores start together, and uses a pool it is given without closing it', async () => {
    const schema = nextSchema();
    const pool = new pg.Pool({ connectionString, max: 2 });
    try {
      const stores = await Promise.all([createPostgresStore({ pool, schema }), createPostgresStore({ pool, schema })]);
      await Promise.all(stores.map((store) => store.close()));
      const { rows } = await pool.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
        { version: 4 },
        { version: 5 },
        { version: 6 },
        { version: 7 },
      ]);
    } finally {
      await pool.end();
      await dropSchema(schema);
    }
  });

  it('lets exactly one of two stores (two pools) win each race of conditional placement writes on the same writeId', async () => {
    const schema = nextSchema();
    const [left, right] = await Promise.all([
      createPostgresStore({ connectionString, schema, maxConnections: 3 }),
      createPostgresStore({ connectionString, schema, maxConnections: 3 }),
    ]);
    const record = (writeId: string) => ({
      capability: 'storage',
      key: 'b/k',
      holders: [{ provider: 's3' }],
      writeId,
      deleted: false,
      updatedAt: 1,
    });
    try {
      let current = 'w0';
      await left.placements.put(record(current));
      for (let round = 0; round < 10; round += 1) {
        const writers = [left, right, left, right].map((store, index) => ({ store, writeId: `w${round + 1}-${index}` }));
        const results = await Promise.all(writers.map(({ store, writeId }) => store.placements.put(record(writeId), current)));
        expect(results.filter(Boolean), `round ${round}: one winner`).toHaveLength(1);
        current = writers[results.indexOf(true)]?.writeId ?? '';
        expect((await right.placements.get('storage', 'b/k'))?.writeId).toBe(current);
      }
      const deletes = await Promise.all([left, right].map((store) => store.placements.delete('storage', 'b/k', current)));
      expect(deletes.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all([left.close(), right.close()]);
      await dropSchema(schema);
    }
  });

  it('adds the placement tables to a schema made by the first migration, keeping its data', async () => {
    const schema = nextSchema();
    const pool = new pg.Pool({ connectionString, max: 2 });
    try {
      await migratePostgres(pool, schema, POSTGRES_MIGRATIONS.slice(0, 1));
      await pool.query(
        `INSERT INTO "${schema}".integrations (id, provider_id, name, status, created_at, updated_at) VALUES ('kept', 'github', 'Kept', 'active', now(), now())`,
      );
      const store = await createPostgresStore({ pool, schema });
      expect((await store.integrations.get('kept')).name).toBe('Kept');
      await store.placements.addHint({ capability: 'storage', key: 'b/k', provider: 'gcs', action: 'delete', writeId: 'w1', createdAt: 1 });
      expect(await store.placements.countHints()).toBe(1);
      await store.close();
      const { rows } = await pool.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
        { version: 4 },
        { version: 5 },
        { version: 6 },
        { version: 7 },
      ]);
    } finally {
      await pool.end();
      await dropSchema(schema);
    }
  });

  it('adds the api_keys table to a schema made by the first two migrations, keeping its data', async () => {
    const schema = nextSchema();
    const pool = new pg.Pool({ connectionString, max: 2 });
    try {
      await migratePostgres(pool, schema, POSTGRES_MIGRATIONS.slice(0, 2));
      await pool.query(
        `INSERT INTO "${schema}".integrations (id, provider_id, name, status, created_at, updated_at) VALUES ('kept', 'github', 'Kept', 'active', now(), now())`,
      );
      const store = await createPostgresStore({ pool, schema });
      expect((await store.integrations.get('kept')).name).toBe('Kept');
      const created = await store.apiKeys.create({
        id: 'k1',
        workspaceId: 'acme',
        name: 'ci',
        scopes: ['read'],
        secretHash: 'a'.repeat(64),
      });
      expect(await store.apiKeys.get('k1')).toEqual(created);
      await store.close();
      const { rows } = await pool.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
        { version: 4 },
        { version: 5 },
        { version: 6 },
        { version: 7 },
      ]);
    } finally {
      await pool.end();
      await dropSchema(schema);
    }
  });

  it('rejects a schema name that is not a plain identifier, and reports an unreachable server as a network error', async () => {
    await expect(createPostgresStore({ connectionString, schema: 'public; DROP TABLE x' })).rejects.toMatchObject({ kind: 'validation' });
    await expect(
      createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', schema: nextSchema() }),
    ).rejects.toMatchObject({ kind: 'network' });
  });
});
